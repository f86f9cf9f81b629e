package io.camelcast.upload;

import io.camelcast.config.UploadTargets;

import io.camelcast.messages.UploadItem;

import io.camelcast.config.Settings;
import io.camelcast.http.Refused;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The upload beans on their own: targets, retries, archive keys, TUS method override. */
class UploadBeansTest {

    @Test
    void targetsComeFromTheSourceUnlessTheZoomAccountOrHostSaysOtherwise() {
        UploadTargets t = new UploadTargets(Map.of(
                "camelcast.targets.zoom", "opencast",
                "camelcast.targets.account.acct-both", "opencast, archive,bunny",
                "camelcast.targets.host.Prof@Example.edu", "archive"));
        assertEquals(List.of("opencast"), t.forZoom("zoom", "other", "someone@example.edu"));
        assertEquals(List.of("archive", "bunny"), t.forZoom("zoom-upload", null, null), "the default for /zoom-upload");
        assertEquals(List.of("opencast", "archive", "bunny"), t.forZoom("zoom", "acct-both", null));
        assertEquals(List.of("archive"), t.forZoom("zoom", "acct-both", "prof@example.edu"), "the host wins over the account");
        assertEquals(List.of("archive", "bunny"), t.forSource("tus"));
    }

    @Test
    void unknownTargetsAndOpencastForFileUploadsAreConfigurationErrors() {
        assertThrows(Settings.ConfigException.class, () -> new UploadTargets(Map.of("camelcast.targets.tus", "archive,youtube")));
        assertThrows(Settings.ConfigException.class, () -> new UploadTargets(Map.of("camelcast.targets.custom", "opencast")));
        assertThrows(Settings.ConfigException.class, () -> new UploadTargets(Map.of("camelcast.targets.tus", " , ")));
        assertThrows(Settings.ConfigException.class, () -> new UploadTargets(Map.of("camelcast.targets.dropbox", "archive")));
    }

    @Test
    void retryDelaysReadLikeTheSeedsSchedule() {
        assertEquals(List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1)),
                UploadRetries.parse("1m, 5m,15m,1h"));
        assertEquals(List.of(Duration.ofSeconds(30), Duration.ofSeconds(45)), UploadRetries.parse("30s,45"));
        assertThrows(IllegalArgumentException.class, () -> UploadRetries.parse("1m,soon"));
    }

    @Test
    void onlyFailuresNoRetryCanMendSkipTheRetries() {
        assertTrue(UploadRetries.permanent(http(401)));
        assertTrue(UploadRetries.permanent(http(404)));
        assertFalse(UploadRetries.permanent(http(429)), "rate limited: later");
        assertFalse(UploadRetries.permanent(http(408)));
        assertFalse(UploadRetries.permanent(http(500)));
        assertFalse(UploadRetries.permanent(new IOException("connection reset")));
        assertTrue(UploadRetries.permanent(new RuntimeException(new java.nio.file.NoSuchFileException("/gone"))));
        assertTrue(UploadRetries.permanent(new io.camelcast.dlq.PermanentFailure("not configured")));
        assertEquals("HTTP 503 from http://site/notify", UploadRetries.describe(http(503)));
    }

    @Test
    void archiveKeysFollowThePatternAndNeverTakeSlashesFromUploaders() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);
        ArchiveUpload a = new ArchiveUpload(null, null, "archive", "{source}/{yyyy}/{MM}/{dd}/{meta.ace_id}/{id}/{filename}",
                8 << 20, null, null, clock, false);
        UploadItem item = new UploadItem();
        item.id = "abc";
        item.source = "tus";
        item.name = "../../etc/passwd";
        item.received = "2026-01-31T23:30:00Z";
        item.metadata.put("ace_id", "course/7");
        assertEquals("tus/2026/01/31/course_7/abc/.._.._etc_passwd", a.keyFor(item));
        item.metadata.clear();
        item.name = "..";
        assertEquals("tus/2026/01/31/unknown/abc/_", a.keyFor(item), "a missing field is 'unknown', a dot-dot name is '_'");
    }

    @Test
    void tusTakesPatchFromAMethodOverrideOnPostOnly() {
        TusProtocol p = new TusProtocol(null, "/files/", null);
        assertEquals("PATCH", p.method("patch", "POST"));
        assertEquals("GET", p.method("PATCH", "GET"));
        assertEquals("HEAD", p.method(null, "HEAD"));
        assertEquals("abc", p.id("/files/abc"));
        Refused r = assertThrows(Refused.class, () -> p.unsupported("POST"));
        assertEquals(405, r.getStatus());
        assertEquals("filename bGVjdHVyZS5tcDQ=,empty", TusProtocol.encode(new java.util.LinkedHashMap<>(Map.of("filename", "lecture.mp4")) {{
            put("empty", "");
        }}));
    }

    private static HttpOperationFailedException http(int status) {
        return new HttpOperationFailedException(URI.create("http://site/notify").toString(), status, "x", null, Map.of(), "");
    }
}
