package io.camelcast.upload;

import io.camelcast.http.UploadAuth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.camelcast.http.Refused;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The upload endpoints' guards: API key or HS256 JWT, path confinement, notification signatures. */
class UploadGuardsTest {

    @TempDir
    Path dir;

    static String token(String secret, String issuer, Instant expires) {
        return JWT.create().withSubject("site").withIssuer(issuer).withExpiresAt(expires).sign(Algorithm.HMAC256(secret));
    }

    @Test
    void anApiKeyOrAValidTokenIsLetInAndEverythingElseIs401() {
        UploadAuth auth = new UploadAuth("key-123", "jwt-secret-with-enough-length", "ace-academy");
        assertEquals("api-key", auth.check("key-123", null));
        assertEquals("site", auth.check(null, "Bearer " + token("jwt-secret-with-enough-length", "ace-academy", Instant.now().plusSeconds(60))));
        assertEquals(401, assertThrows(Refused.class, () -> auth.check("key-124", null)).getStatus());
        assertThrows(Refused.class, () -> auth.check(null, "Bearer " + token("other-secret-with-enough-length", "ace-academy",
                Instant.now().plusSeconds(60))), "wrong signature");
        assertThrows(Refused.class, () -> auth.check(null, "Bearer " + token("jwt-secret-with-enough-length", "ace-academy",
                Instant.now().minusSeconds(120))), "expired");
        assertThrows(Refused.class, () -> auth.check(null, "Bearer " + token("jwt-secret-with-enough-length", "someone-else",
                Instant.now().plusSeconds(60))), "wrong issuer");
        assertThrows(Refused.class, () -> auth.check(null, "Bearer not.a.jwt"));
        assertThrows(Refused.class, () -> auth.check(null, null));
        String none = JWT.create().withSubject("x").sign(Algorithm.none());
        assertThrows(Refused.class, () -> auth.check(null, "Bearer " + none), "alg none is not HS256");
        assertThrows(Refused.class, () -> new UploadAuth("", "", null).check("anything", null), "nothing configured: closed");
    }

    @Test
    void onlyRegularFilesInsideTheUploadRootAreTaken() throws Exception {
        Path root = Files.createDirectories(dir.resolve("uploads"));
        Path inside = Files.writeString(root.resolve("lecture.mp4"), "video");
        Path outside = Files.writeString(dir.resolve("secret.txt"), "no");
        Files.createSymbolicLink(root.resolve("escape.mp4"), outside);
        Files.createDirectories(root.resolve("sub"));
        LocalFiles files = new LocalFiles(root);
        assertEquals(inside.toRealPath(), files.resolve("lecture.mp4"));
        assertEquals(inside.toRealPath(), files.resolve(inside.toString()));
        for (String bad : new String[] {"../secret.txt", outside.toString(), "escape.mp4", "sub", "missing.mp4", "", "/etc/passwd"}) {
            Refused r = assertThrows(Refused.class, () -> files.resolve(bad), bad);
            assertEquals(400, r.getStatus(), bad);
        }
        assertThrows(Refused.class, () -> new LocalFiles(null).resolve("lecture.mp4"));
    }

    @Test
    void notificationsAreSignedOverTimestampAndBody() {
        NotifySigner s = new NotifySigner("notify-secret");
        String sig = s.sign(1_800_000_000L, "{\"id\":\"u1\"}");
        assertTrue(sig.startsWith("sha256=") && sig.length() == 71);
        assertTrue(s.verify(1_800_000_000L, "{\"id\":\"u1\"}", sig));
        assertFalse(s.verify(1_800_000_001L, "{\"id\":\"u1\"}", sig), "the timestamp is signed");
        assertFalse(s.verify(1_800_000_000L, "{\"id\":\"u2\"}", sig));
        assertThrows(IllegalArgumentException.class, () -> new NotifySigner(""));
    }
}
