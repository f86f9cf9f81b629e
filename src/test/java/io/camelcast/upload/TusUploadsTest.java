package io.camelcast.upload;

import io.camelcast.embedded.EmbeddedServices;
import io.camelcast.http.Refused;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TUS storage against a real Redis and a real S3 (the embedded S3Proxy), without Camel or HTTP. Two
 * {@link TusUploads} over the same Redis and bucket stand for two instances: neither has a byte of the upload
 * on its own disk.
 */
class TusUploadsTest {

    @TempDir
    static Path dir;
    static EmbeddedServices services;
    static UnifiedJedis redis;
    static S3Client s3;
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);
    static final int PART = 5 << 20;

    @BeforeAll
    static void start() throws Exception {
        services = EmbeddedServices.start(new EmbeddedServices.Options(dir.resolve("state"), true, false, true, 0, 0, 0, "k", "s",
                "us-east-1", List.of("staging"), List.of()));
        redis = RedisClient.create(URI.create(services.redisUrl()));
        s3 = S3Client.builder().endpointOverride(URI.create(services.s3Endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
    }

    @AfterAll
    static void stop() {
        s3.close();
        redis.close();
        services.close();
    }

    static TusUploads instance(Clock clock, String name) {
        return instance(clock, name, 30_000);
    }

    static TusUploads instance(Clock clock, String name, long lockMillis) {
        return new TusUploads(redis, new StagingParts(s3, "staging"), 100_000_000, PART, Duration.ofHours(24), clock,
                lockMillis, 2_000, name);
    }

    static byte[] data(int size, int seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    static byte[] object(String key) throws IOException {
        try (InputStream in = s3.getObject(b -> b.bucket("staging").key(key))) {
            return in.readAllBytes();
        }
    }

    static boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket("staging").key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    static String meta(String k, String v) {
        return k + " " + Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8));
    }

    static String sha1(byte[] data) throws Exception {
        return "sha1 " + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(data));
    }

    static ByteArrayInputStream range(byte[] data, int from, int to) {
        return new ByteArrayInputStream(Arrays.copyOfRange(data, from, to));
    }

    @Test
    void anUploadStartedOnOneInstanceIsFinishedOnAnotherFromS3Alone() throws Exception {
        byte[] data = data(12 * 1024 * 1024 + 12345, 3);
        TusUploads a = instance(CLOCK, "a");
        TusUploads b = instance(CLOCK, "b");
        TusUploads.Upload u = a.create(Integer.toString(data.length), null,
                meta("ace_id", "ace-77") + "," + meta("filename", "lecture.mp4") + ",is_public", null);
        assertEquals("ace-77", u.metadata().get("ace_id"));
        assertEquals("", u.metadata().get("is_public"), "a key without a value");
        assertTrue(exists(u.key() + ".info"), "tusd's .info beside the upload");

        // a chunk shorter than a part waits in the tail object; the offset counts it
        assertEquals(1_000_000, a.append(u.id(), "0", range(data, 0, 1_000_000), sha1(Arrays.copyOf(data, 1_000_000)), null).offset());
        assertTrue(exists(u.key() + ".part"));
        assertEquals(409, assertThrows(Refused.class, () -> b.append(u.id(), "0", range(data, 0, 10), null, null)).getStatus());
        // B goes on: the tail and this chunk fill a part (multipart upload begun), the rest is the new tail
        assertEquals(7_000_000, b.get(u.id()).offset() + 6_000_000);
        assertEquals(7_000_000, b.append(u.id(), "1000000", range(data, 1_000_000, 7_000_000), null, null).offset());
        // A finishes: two more parts' worth and the last bytes
        TusUploads.Upload done = a.append(u.id(), "7000000", range(data, 7_000_000, data.length), null, null);
        assertTrue(done.complete());
        assertArrayEquals(data, object(u.key()), "the object is the bytes sent, in order");
        assertEquals(sha256(data), done.sha256(), "SHA-256 kept across PATCHes and instances");
        assertEquals(sha256(data), b.get(u.id()).sha256());
        assertFalse(exists(u.key() + ".part"), "no tail left");
        assertTrue(a.finished().stream().anyMatch(f -> f.id().equals(u.id())));

        b.release(u.id());
        assertFalse(exists(u.key()));
        assertFalse(exists(u.key() + ".info"));
        assertEquals(404, assertThrows(Refused.class, () -> a.get(u.id())).getStatus());
    }

    @Test
    void aChunkWithAWrongChecksumKeepsNothingAnd460() throws Exception {
        TusUploads t = instance(CLOCK, "a");
        byte[] data = data(PART + 100, 5);
        TusUploads.Upload u = t.create(Integer.toString(data.length + 20), null, null, null);
        byte[] good = "0123456789".getBytes(StandardCharsets.UTF_8);
        t.append(u.id(), "0", new ByteArrayInputStream(good), sha1(good), null);
        // a wrong checksum over a chunk big enough to have sent a part already: nothing of it counts
        Refused r = assertThrows(Refused.class, () -> t.append(u.id(), "10", new ByteArrayInputStream(data), sha1(good), null));
        assertEquals(460, r.getStatus());
        assertEquals(10, t.get(u.id()).offset(), "the offset stays");
        assertEquals(400, assertThrows(Refused.class, () -> t.append(u.id(), "10", new ByteArrayInputStream(good), "crc32 AAAA", null)).getStatus());
        TusUploads.Upload small = t.create("20", null, null, null);
        assertEquals(413, assertThrows(Refused.class,
                () -> t.append(small.id(), "0", new ByteArrayInputStream(new byte[21]), null, null)).getStatus());
        assertEquals(0, t.get(small.id()).offset(), "bytes past the length: nothing of the chunk kept");
        // the right bytes after all that: the upload is exactly them
        t.append(u.id(), "10", new ByteArrayInputStream(data), sha1(data), null);
        TusUploads.Upload done = t.append(u.id(), Long.toString(10 + data.length), new ByteArrayInputStream(good), null, null);
        assertTrue(done.complete());
        byte[] expected = new byte[data.length + 20];
        System.arraycopy(good, 0, expected, 0, 10);
        System.arraycopy(data, 0, expected, 10, data.length);
        System.arraycopy(good, 0, expected, 10 + data.length, 10);
        assertArrayEquals(expected, object(u.key()));
        assertEquals(sha256(expected), done.sha256());
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void anUploadOfWholePartsEndsWithAFullBufferAsItsLastPart() throws Exception {
        // the last byte lands in a full buffer: the PATCH must end there (it once read on with no room, forever)
        TusUploads t = instance(CLOCK, "a");
        byte[] data = data(2 * PART, 21);
        TusUploads.Upload u = t.create(Integer.toString(data.length), null, null, null);
        TusUploads.Upload done = t.append(u.id(), "0", new ByteArrayInputStream(data), null, null);
        assertTrue(done.complete());
        assertArrayEquals(data, object(u.key()));
        TusUploads.Upload more = t.create(Integer.toString(PART), null, null, null);
        assertEquals(413, assertThrows(Refused.class,
                () -> t.append(more.id(), "0", new ByteArrayInputStream(new byte[PART + 1]), null, null)).getStatus());
    }

    @Test
    void aDroppedConnectionKeepsWhatArrived() throws Exception {
        TusUploads t = instance(CLOCK, "a");
        TusUploads.Upload u = t.create("1000", null, null, null);
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
        assertEquals(300, t.append(u.id(), "0", breaks, null, null).offset());
        assertEquals(300, instance(CLOCK, "b").get(u.id()).offset());
    }

    @Test
    void onePatchAtATimeAcrossTheClusterAndADeadInstancesLockExpires() throws Exception {
        TusUploads a = instance(CLOCK, "a", 1_500);
        TusUploads b = instance(CLOCK, "b", 1_500);
        TusUploads.Upload u = a.create("100", null, null, null);
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        InputStream slow = new InputStream() {
            boolean first = true;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                if (first) {
                    first = false;
                    buf[off] = 1;
                    return 1;
                }
                reading.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                return -1;
            }
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<TusUploads.Upload> patch = pool.submit(() -> a.append(u.id(), "0", slow, null, null));
            reading.await();
            // B cannot write while A streams, however long: A renews its lock
            Thread.sleep(2_000);
            assertEquals(423, assertThrows(Refused.class, () -> b.append(u.id(), "0", new ByteArrayInputStream(new byte[5]), null, null)).getStatus());
            assertEquals(423, assertThrows(Refused.class, () -> b.terminate(u.id())).getStatus());
            release.countDown();
            assertEquals(1, patch.get().offset());
        } finally {
            pool.shutdownNow();
        }
        // a lock whose instance died (never released, never renewed) is gone within its lifetime
        redis.set(TusLocks.key(u.id()), "dead-instance:token", SetParams.setParams().px(1_000));
        assertEquals(423, assertThrows(Refused.class, () -> b.append(u.id(), "1", new ByteArrayInputStream(new byte[5]), null, null)).getStatus());
        Thread.sleep(1_200);
        assertEquals(6, b.append(u.id(), "1", new ByteArrayInputStream(new byte[5]), null, null).offset());
    }

    @Test
    void aDeferredLengthIsDeclaredByALaterPatch() throws Exception {
        TusUploads t = instance(CLOCK, "a");
        byte[] data = data(PART + 7, 9);
        TusUploads.Upload u = t.create(null, "1", null, null);
        assertTrue(t.get(u.id()).lengthDeferred());
        assertEquals(400, assertThrows(Refused.class, () -> t.create(null, "2", null, null)).getStatus());
        assertEquals(PART, t.append(u.id(), "0", range(data, 0, PART), null, null).offset());
        assertFalse(t.get(u.id()).complete());
        assertEquals(400, assertThrows(Refused.class, () -> t.append(u.id(), Integer.toString(PART), range(data, PART, data.length), null, "3")).getStatus());
        TusUploads.Upload done = t.append(u.id(), Integer.toString(PART), range(data, PART, data.length), null, Integer.toString(data.length));
        assertTrue(done.complete());
        assertArrayEquals(data, object(u.key()));
        assertEquals(400, assertThrows(Refused.class, () -> t.append(u.id(), Integer.toString(data.length), range(data, 0, 0), null, "5")).getStatus(),
                "a length once set stays");
    }

    @Test
    void partialUploadsAreJoinedIntoAFinalOne() throws Exception {
        TusUploads a = instance(CLOCK, "a");
        TusUploads b = instance(CLOCK, "b");
        byte[] one = data(PART + 3, 11);
        byte[] two = data(1234, 12);
        TusUploads.Upload p1 = a.create(Integer.toString(one.length), null, null, "partial");
        TusUploads.Upload p2 = b.create(Integer.toString(two.length), null, null, "partial");
        assertEquals(400, assertThrows(Refused.class,
                () -> a.concatenate("final;/files/" + p1.id() + " /files/" + p2.id(), null)).getStatus(), "unfinished partials");
        assertTrue(a.append(p1.id(), "0", new ByteArrayInputStream(one), null, null).complete());
        assertTrue(b.append(p2.id(), "0", new ByteArrayInputStream(two), null, null).complete());
        assertTrue(a.finished().stream().noneMatch(f -> f.id().equals(p1.id())), "a partial upload is not delivered by itself");

        // every piece but the last at least 5 MiB: joined inside the store
        TusUploads.Upload fin = b.concatenate("final;http://x/files/" + p1.id() + " http://x/files/" + p2.id(), meta("filename", "j.mp4"));
        assertTrue(fin.complete());
        assertTrue(fin.isFinal());
        assertEquals(one.length + two.length, fin.length());
        byte[] joined = new byte[one.length + two.length];
        System.arraycopy(one, 0, joined, 0, one.length);
        System.arraycopy(two, 0, joined, one.length, two.length);
        assertArrayEquals(joined, object(fin.key()));
        assertEquals(403, assertThrows(Refused.class, () -> a.append(fin.id(), Long.toString(fin.length()), new ByteArrayInputStream(new byte[0]), null, null)).getStatus());

        // a small first piece: streamed through the instance, with its SHA-256
        TusUploads.Upload q1 = a.create("3", null, null, "partial");
        TusUploads.Upload q2 = a.create("2", null, null, "partial");
        a.append(q1.id(), "0", new ByteArrayInputStream("abc".getBytes()), null, null);
        a.append(q2.id(), "0", new ByteArrayInputStream("de".getBytes()), null, null);
        TusUploads.Upload small = a.concatenate("final;/files/" + q1.id() + " /files/" + q2.id(), null);
        assertEquals("abcde", new String(object(small.key())));
        assertEquals(sha256("abcde".getBytes()), small.sha256());

        b.release(fin.id());
        assertFalse(exists(fin.key()));
        assertFalse(exists(p1.key()), "the partials go with their final upload");
        assertEquals(404, assertThrows(Refused.class, () -> a.get(p2.id())).getStatus());
    }

    @Test
    void limitsMetadataTerminationAndExpiry() throws Exception {
        TusUploads t = instance(CLOCK, "a");
        assertEquals(413, assertThrows(Refused.class, () -> t.create("100000001", null, null, null)).getStatus());
        assertEquals(400, assertThrows(Refused.class, () -> t.create("-1", null, null, null)).getStatus());
        assertEquals(400, assertThrows(Refused.class, () -> t.create("x", null, null, null)).getStatus());
        assertEquals(400, assertThrows(Refused.class, () -> t.create("10", null, "title not*base64!", null)).getStatus());
        assertEquals(404, assertThrows(Refused.class, () -> t.get("../../etc/passwd")).getStatus());

        byte[] data = data(PART + 10, 4);
        TusUploads.Upload gone = t.create(Integer.toString(data.length + 1), null, null, null);
        t.append(gone.id(), "0", new ByteArrayInputStream(data), null, null);
        t.terminate(gone.id());
        assertEquals(404, assertThrows(Refused.class, () -> t.get(gone.id())).getStatus());
        assertFalse(exists(gone.key() + ".part"));
        assertFalse(exists(gone.key() + ".info"));

        TusUploads.Upload empty = t.create("0", null, null, null);
        assertTrue(empty.complete(), "an empty upload is complete at once");
        assertEquals(0, object(empty.key()).length);

        TusUploads.Upload abandoned = t.create("10", null, null, null);
        t.append(abandoned.id(), "0", new ByteArrayInputStream(new byte[4]), null, null);
        TusUploads later = instance(Clock.offset(CLOCK, Duration.ofHours(25)), "b");
        assertEquals(410, assertThrows(Refused.class, () -> later.get(abandoned.id())).getStatus());
        redis.del("camelcast:tus:janitor");
        assertTrue(later.expire() >= 1);
        assertEquals(0, later.expire(), "one janitor run per period in the cluster");
        assertFalse(exists(abandoned.key() + ".part"));
        assertFalse(redis.exists("camelcast:tus:" + abandoned.id()));
        assertNull(redis.zscore("camelcast:tus:expiring", abandoned.id()));
    }
}
