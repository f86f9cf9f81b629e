package io.camelcast.runtime;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which staged recordings the clean-up may delete: ended before the cut-off, nothing still going. */
class StagingCleanupTest {

    static final Instant CUTOFF = Instant.parse("2026-11-10T00:00:00Z");
    static final String OLD = "2026-11-01T00:00:00Z";
    static final String NEW = "2026-11-12T00:00:00Z";

    @Test
    void finalStatesBeforeTheCutOffMayGo() {
        assertNull(StagingCleanup.ended("SENT_TO_OPENCAST", OLD, CUTOFF, List.of()));
        assertNull(StagingCleanup.ended("UPLOADER_FAILED", OLD, CUTOFF, List.of()));
        assertNull(StagingCleanup.ended("IGNORED", OLD, CUTOFF, List.of()));
    }

    @Test
    void inFlightRecentOrUnfinishedUploadsStay() {
        assertNotNull(StagingCleanup.ended("SENT_TO_UPLOADER", OLD, CUTOFF, List.of()), "still being delivered");
        assertNotNull(StagingCleanup.ended("SENT_TO_OPENCAST", NEW, CUTOFF, List.of()), "ended after the cut-off");
        assertNotNull(StagingCleanup.ended(null, OLD, CUTOFF, List.of()));
        assertNotNull(StagingCleanup.ended("SENT_TO_UPLOADS", OLD, CUTOFF, List.<String[]>of(new String[] {"WAITING", OLD})));
        assertNotNull(StagingCleanup.ended("SENT_TO_UPLOADS", OLD, CUTOFF, List.<String[]>of(new String[] {"DONE", NEW})));
        assertNull(StagingCleanup.ended("SENT_TO_UPLOADS", OLD, CUTOFF, List.<String[]>of(new String[] {"DONE", OLD},
                new String[] {"FAILED", OLD})));
    }

    @Test
    void anUploadsStagedBytesGoOnceItEndedAndAreNamedByItsId() {
        assertNull(StagingCleanup.uploadEnded("DONE", OLD, CUTOFF));
        assertNull(StagingCleanup.uploadEnded("FAILED", OLD, CUTOFF));
        assertNotNull(StagingCleanup.uploadEnded("WAITING", OLD, CUTOFF));
        assertNotNull(StagingCleanup.uploadEnded("RETRYING", OLD, CUTOFF));
        assertNotNull(StagingCleanup.uploadEnded("FAILED", NEW, CUTOFF));
        org.junit.jupiter.api.Assertions.assertEquals("abc123", StagingCleanup.uploadId("uploads/tus/abc123.info"));
        org.junit.jupiter.api.Assertions.assertEquals("abc123", StagingCleanup.uploadId("uploads/tus/abc123"));
        org.junit.jupiter.api.Assertions.assertEquals("c9", StagingCleanup.uploadId("uploads/custom/c9"));
    }
}
