package io.camelcast.opencast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelcast.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EpisodeOwnersTest {

    @TempDir
    Path dir;

    @Test
    void mapsHostEmailsCaseInsensitivelyToOpencastUsers() throws Exception {
        Path csv = dir.resolve("owners.csv");
        Files.writeString(csv, "host_email,opencast_user\nJane.Doe@Uni.edu, jdoe \nbob@uni.edu,bob\n");
        EpisodeOwners owners = EpisodeOwners.of(csv.toString());
        assertEquals("jdoe", owners.owner("jane.doe@uni.edu"));
        assertEquals("bob", owners.owner("BOB@UNI.EDU"));
        assertNull(owners.owner("other@uni.edu"));
        assertNull(owners.owner(null));
        assertEquals(0, EpisodeOwners.of("").size());
    }

    @Test
    void aRowWithoutAUserIsAConfigurationError() throws Exception {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "jane@uni.edu\n");
        assertThrows(Settings.ConfigException.class, () -> EpisodeOwners.of(csv.toString()));
    }

    @Test
    void theUserRoleIsSpelledAsOpencastsUserIdRoleProvider() {
        assertEquals("ROLE_USER_JDOE", EpisodeOwners.userRole("jdoe"));
        assertEquals("ROLE_USER_J_DOE_SMITH", EpisodeOwners.userRole("j.doe-smith"));
        assertEquals("ROLE_USER_JANE_UNI_EDU", EpisodeOwners.userRole("jane@uni.edu"));
    }

    @Test
    void theAclGivesTheOwnerReadAndWriteInOpencastsJsonForm() throws Exception {
        JsonNode ace = new ObjectMapper().readTree(EpisodeOwners.acl("jdoe")).path("acl").path("ace");
        assertEquals(2, ace.size());
        assertEquals("ROLE_USER_JDOE", ace.get(0).path("role").asText());
        assertEquals("read", ace.get(0).path("action").asText());
        assertEquals("write", ace.get(1).path("action").asText());
        assertEquals(true, ace.get(1).path("allow").asBoolean());
    }
}
