package io.camelcast.upload;

import io.camelcast.embedded.EmbeddedServices;
import io.camelcast.http.Refused;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TUS storage against a real Redis and a real folder, without Camel or HTTP. */
class TusUploadsTest {

    @TempDir
    static Path dir;
    static EmbeddedServices services;
    static UnifiedJedis redis;
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);

    @BeforeAll
    static void start() throws Exception {
        services = EmbeddedServices.start(new EmbeddedServices.Options(dir.resolve("state"), false, false, true, 0, 0, 0, "k", "s",
                "us-east-1", List.of(), List.of()));
        redis = RedisClient.create(URI.create(services.redisUrl()));
    }

    @AfterAll
    static void stop() {
        redis.close();
        services.close();
    }

    static TusUploads uploads(Clock clock) throws IOException {
        return new TusUploads(redis, dir.resolve("uploads"), 10_000_000, Duration.ofHours(24), clock);
    }

    static String meta(String k, String v) {
        return k + " " + Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8));
    }

    static String sha1(byte[] data) throws Exception {
        return "sha1 " + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(data));
    }

    @Test
    void anUploadArrivesInChunksSurvivesARestartAndCompletes() throws Exception {
        byte[] data = new byte[250_000];
        new Random(3).nextBytes(data);
        TusUploads first = uploads(CLOCK);
        TusUploads.Upload u = first.create(Integer.toString(data.length), meta("ace_id", "ace-77") + "," + meta("filename", "lecture.mp4") + ",is_public");
        assertEquals("ace-77", u.metadata().get("ace_id"));
        assertEquals("", u.metadata().get("is_public"), "a key without a value");
        byte[] chunk1 = Arrays.copyOf(data, 100_000);
        assertEquals(100_000, first.append(u.id(), "0", new ByteArrayInputStream(chunk1), sha1(chunk1)).offset());
        assertEquals(409, assertThrows(Refused.class, () -> first.append(u.id(), "0", new ByteArrayInputStream(chunk1), null)).getStatus());

        // a restart: a new instance over the same folder and Redis knows the offset
        TusUploads second = uploads(CLOCK);
        assertEquals(100_000, second.get(u.id()).offset());
        TusUploads.Upload done = second.append(u.id(), "100000", new ByteArrayInputStream(Arrays.copyOfRange(data, 100_000, data.length)), null);
        assertTrue(done.complete());
        assertArrayEquals(data, Files.readAllBytes(done.file()));
    }

    @Test
    void aChunkWithAWrongChecksumIsCutOffAnd460() throws Exception {
        TusUploads t = uploads(CLOCK);
        TusUploads.Upload u = t.create("20", null);
        byte[] good = "0123456789".getBytes(StandardCharsets.UTF_8);
        t.append(u.id(), "0", new ByteArrayInputStream(good), sha1(good));
        Refused r = assertThrows(Refused.class, () -> t.append(u.id(), "10", new ByteArrayInputStream("abcdefghij".getBytes()), sha1(good)));
        assertEquals(460, r.getStatus());
        assertEquals(10, t.get(u.id()).offset(), "the offset stays");
        assertEquals(10, Files.size(u.file()), "the bad chunk is not kept");
        assertEquals(400, assertThrows(Refused.class, () -> t.append(u.id(), "10", new ByteArrayInputStream(good), "crc32 AAAA")).getStatus());
        assertEquals(413, assertThrows(Refused.class, () -> t.append(u.id(), "10", new ByteArrayInputStream(new byte[11]), null)).getStatus());
        assertEquals(10, t.get(u.id()).offset());
    }

    @Test
    void aDroppedConnectionKeepsWhatArrived() throws Exception {
        TusUploads t = uploads(CLOCK);
        TusUploads.Upload u = t.create("1000", null);
        InputStream breaks = new InputStream() {
            int sent;

            @Override
            public int read() throws IOException {
                if (sent == 300) {
                    throw new IOException("connection reset");
                }
                sent++;
                return 7;
            }
        };
        assertEquals(300, t.append(u.id(), "0", breaks, null).offset());
        assertEquals(300, t.get(u.id()).offset());
    }

    @Test
    void limitsMetadataTerminationAndExpiry() throws Exception {
        TusUploads t = uploads(CLOCK);
        assertEquals(413, assertThrows(Refused.class, () -> t.create("10000001", null)).getStatus());
        assertEquals(400, assertThrows(Refused.class, () -> t.create("-1", null)).getStatus());
        assertEquals(400, assertThrows(Refused.class, () -> t.create("x", null)).getStatus());
        assertEquals(400, assertThrows(Refused.class, () -> t.create("10", "title not*base64!")).getStatus());
        assertEquals(404, assertThrows(Refused.class, () -> t.get("../../etc/passwd")).getStatus());

        TusUploads.Upload gone = t.create("10", null);
        t.terminate(gone.id());
        assertEquals(404, assertThrows(Refused.class, () -> t.get(gone.id())).getStatus());
        assertFalse(Files.exists(gone.file()));

        TusUploads.Upload abandoned = t.create("10", null);
        TusUploads later = uploads(Clock.offset(CLOCK, Duration.ofHours(25)));
        assertEquals(410, assertThrows(Refused.class, () -> later.get(abandoned.id())).getStatus());
        assertTrue(later.expire() >= 1);
        assertFalse(Files.exists(abandoned.file()));
        assertFalse(redis.exists("camelcast:tus:" + abandoned.id()));
    }
}
