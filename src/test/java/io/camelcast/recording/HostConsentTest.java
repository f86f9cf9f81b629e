package io.camelcast.recording;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostConsentTest {

    @TempDir
    Path dir;

    @Test
    void everyoneIsAdmittedWhenNothingIsSet() {
        HostConsent c = HostConsent.of("", "");
        assertNull(c.exclusion("a@b.edu"));
        assertNull(c.exclusion(null));
        assertFalse(c.isRestricted());
    }

    @Test
    void optOutExcludesTheListedHostsCaseInsensitively() {
        HostConsent c = HostConsent.of("", " Prof.X@Uni.EDU ,other@uni.edu");
        assertEquals("host prof.x@uni.edu opted out (camelcast.zoom.opt-out)", c.exclusion("prof.x@uni.edu"));
        assertEquals("host other@uni.edu opted out (camelcast.zoom.opt-out)", c.exclusion("OTHER@uni.edu"));
        assertNull(c.exclusion("someone@uni.edu"));
        assertNull(c.exclusion(null), "without opt-in an unknown host is admitted");
    }

    @Test
    void optInAdmitsOnlyItsHostsAndOptOutStillWins() {
        HostConsent c = HostConsent.of("a@uni.edu,b@uni.edu", "b@uni.edu");
        assertNull(c.exclusion("A@UNI.EDU"));
        assertEquals("host b@uni.edu opted out (camelcast.zoom.opt-out)", c.exclusion("b@uni.edu"));
        assertEquals("host c@uni.edu has not opted in (camelcast.zoom.opt-in)", c.exclusion("c@uni.edu"));
        assertTrue(c.exclusion(null).contains("host unknown"), "no email cannot have opted in");
    }

    @Test
    void listsAreReadFromCsvFilesWithOrWithoutHeader() throws Exception {
        Path withHeader = dir.resolve("in.csv");
        Files.writeString(withHeader, "\uFEFFEmail,Name\n\"A@Uni.edu\",Ann\n\nb@uni.edu;Bob\n");
        Path noHeader = dir.resolve("out.txt");
        Files.writeString(noHeader, "c@uni.edu\n");
        HostConsent c = HostConsent.of(withHeader.toString(), noHeader.toString());
        assertNull(c.exclusion("a@uni.edu"));
        assertNull(c.exclusion("b@uni.edu"));
        assertTrue(c.exclusion("c@uni.edu").contains("opted out"));
        assertTrue(c.exclusion("email").contains("has not opted in"), "the header is not a host");
    }

    @Test
    void aMissingCsvFileIsAConfigurationError() {
        assertThrows(RuntimeException.class, () -> HostConsent.of(dir.resolve("missing.csv").toString(), ""));
    }
}
