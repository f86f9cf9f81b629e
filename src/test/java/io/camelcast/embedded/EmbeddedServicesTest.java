package io.camelcast.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded servers, checked with plain AWS SDK and Jedis clients: protocol, streaming, persistence. */
class EmbeddedServicesTest {

    private static final String KEY = "test-key";
    private static final String SECRET = "test-secret";

    private static EmbeddedServices start(Path dir) throws Exception {
        return EmbeddedServices.start(new EmbeddedServices.Options(dir, true, true, true, 0, 0, 0, KEY, SECRET,
                "us-east-1", List.of("media"), List.of("jobs")));
    }

    private static S3Client s3(EmbeddedServices e, String secret) {
        return S3Client.builder().endpointOverride(URI.create(e.s3Endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, secret)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
    }

    private static SqsClient sqs(EmbeddedServices e) {
        return SqsClient.builder().endpointOverride(URI.create(e.sqsEndpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET))).build();
    }

    /** {@code size} pseudo-random bytes produced as they are read. */
    private static InputStream generated(long size) {
        return new InputStream() {
            private final Random random = new Random(42);
            private long left = size;

            @Override
            public int read() {
                return left-- > 0 ? random.nextInt(256) : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                byte[] chunk = new byte[n];
                random.nextBytes(chunk);
                System.arraycopy(chunk, 0, b, off, n);
                left -= n;
                return n;
            }
        };
    }

    @Test
    void s3StreamsLargeObjectsPresignsAndRefusesWrongCredentials(@TempDir Path dir) throws Exception {
        try (EmbeddedServices e = start(dir); S3Client s3 = s3(e, SECRET)) {
            long size = 30L << 20;
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            s3.putObject(b -> b.bucket("media").key("big.bin"),
                    RequestBody.fromInputStream(new DigestInputStream(generated(size), sent), size));
            String sha = HexFormat.of().formatHex(sent.digest());

            try (S3Presigner presigner = S3Presigner.builder().endpointOverride(URI.create(e.s3Endpoint()))
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)))
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build()) {
                URI url = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                        .getObjectRequest(g -> g.bucket("media").key("big.bin"))).url().toURI();
                HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertEquals(200, r.statusCode());
                MessageDigest got = MessageDigest.getInstance("SHA-256");
                long bytes = 0;
                try (InputStream in = r.body()) {
                    byte[] buf = new byte[65536];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        got.update(buf, 0, n);
                        bytes += n;
                    }
                }
                assertEquals(size, bytes);
                assertEquals(sha, HexFormat.of().formatHex(got.digest()), "presigned GET returns what was put");
            }
            try (S3Client wrong = s3(e, "not-the-secret")) {
                S3Exception denied = assertThrows(S3Exception.class, () -> wrong.headBucket(b -> b.bucket("media")));
                assertEquals(403, denied.statusCode());
            }
        }
    }

    @Test
    void messagesKeysAndObjectsSurviveARestart(@TempDir Path dir) throws Exception {
        try (EmbeddedServices e = start(dir); S3Client s3 = s3(e, SECRET); SqsClient sqs = sqs(e);
             UnifiedJedis redis = RedisClient.create(URI.create(e.redisUrl()))) {
            String url = sqs.getQueueUrl(b -> b.queueName("jobs")).queueUrl();
            sqs.getQueueUrl(b -> b.queueName("jobs-dlq"));
            for (int i = 0; i < 3; i++) {
                int n = i;
                sqs.sendMessage(b -> b.queueUrl(url).messageBody("job-" + n));
            }
            redis.set("camelcast:test", "kept");
            s3.putObject(b -> b.bucket("media").key("a.txt"), RequestBody.fromString("object"));
            Thread.sleep(1500); // Redis appendfsync everysec
        }
        try (EmbeddedServices e = start(dir); S3Client s3 = s3(e, SECRET); SqsClient sqs = sqs(e);
             UnifiedJedis redis = RedisClient.create(URI.create(e.redisUrl()))) {
            String url = sqs.getQueueUrl(b -> b.queueName("jobs")).queueUrl();
            List<String> bodies = new ArrayList<>();
            for (int round = 0; round < 5 && bodies.size() < 3; round++) {
                for (Message m : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                    bodies.add(m.body());
                }
            }
            assertEquals(List.of("job-0", "job-1", "job-2"), bodies.stream().sorted().toList());
            assertEquals("kept", redis.get("camelcast:test"));
            assertEquals("object", s3.getObjectAsBytes(b -> b.bucket("media").key("a.txt")).asUtf8String());
        }
    }

    @Test
    void aMessageSentJustBeforeKillNineIsStillQueuedAfterTheRestart(@TempDir Path dir) throws Exception {
        // the sending JVM halts right after SQS answered the send, as `kill -9` would: nothing shuts down
        assertTrue(inOwnJvm(dir, "send").contains("sent job-before-kill"));
        try (EmbeddedServices e = sqsOnly(dir); SqsClient sqs = sqs(e)) {
            assertEquals(List.of("job-before-kill"), receiveAll(sqs, "jobs"), "the message SQS accepted before the crash");
        }
    }

    @Test
    void eachEmbeddedSqsInOneJvmKeepsItsOwnMessages(@TempDir Path dir) throws Exception {
        try (EmbeddedServices e = sqsOnly(dir.resolve("a")); SqsClient sqs = sqs(e)) {
            sqs.sendMessage(b -> b.queueUrl(sqs.getQueueUrl(q -> q.queueName("jobs")).queueUrl()).messageBody("for a"));
        }
        try (EmbeddedServices e = sqsOnly(dir.resolve("b")); SqsClient sqs = sqs(e)) {
            assertEquals(List.of(), receiveAll(sqs, "jobs"), "another data dir starts empty");
        }
        try (EmbeddedServices e = sqsOnly(dir.resolve("a")); SqsClient sqs = sqs(e)) {
            assertEquals(List.of("for a"), receiveAll(sqs, "jobs"));
        }
    }

    private static EmbeddedServices sqsOnly(Path dir) throws Exception {
        return EmbeddedServices.start(new EmbeddedServices.Options(dir, false, true, false, 0, 0, 0, KEY, SECRET, "us-east-1",
                List.of(), List.of("jobs")));
    }

    private static List<String> receiveAll(SqsClient sqs, String queue) {
        String url = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
        List<String> bodies = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages().forEach(m -> bodies.add(m.body()));
        }
        return bodies;
    }

    private static String inOwnJvm(Path dir, String mode) throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        Path log = dir.resolve(mode + ".log");
        Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), SqsCrash.class.getName(), mode,
                dir.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), mode + " ends");
        return Files.readString(log);
    }

    /** {@code send DIR}: starts the embedded SQS, sends one message and halts the JVM the moment SQS has it. */
    public static final class SqsCrash {
        public static void main(String[] args) throws Exception {
            EmbeddedServices e = sqsOnly(Path.of(args[1]));
            SqsClient sqs = sqs(e);
            sqs.sendMessage(b -> b.queueUrl(sqs.getQueueUrl(q -> q.queueName("jobs")).queueUrl()).messageBody("job-before-kill"));
            System.out.println("sent job-before-kill");
            System.out.flush();
            Runtime.getRuntime().halt(9);
        }
    }

    @Test
    void aRedisLeftRunningByACrashIsStoppedBeforeANewOneStarts(@TempDir Path dir) throws Exception {
        EmbeddedServices first = EmbeddedServices.start(new EmbeddedServices.Options(dir, false, false, true, 0, 0, 0,
                KEY, SECRET, "us-east-1", List.of(), List.of()));
        long pid = Long.parseLong(Files.readString(dir.resolve("redis/redis.pid")).trim());
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        // as after kill -9 of the JVM: `first` is never closed, its redis-server keeps running
        try (EmbeddedServices second = EmbeddedServices.start(new EmbeddedServices.Options(dir, false, false, true, 0, 0, 0,
                KEY, SECRET, "us-east-1", List.of(), List.of()))) {
            assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "leftover redis stopped");
            try (UnifiedJedis redis = RedisClient.create(URI.create(second.redisUrl()))) {
                assertEquals("PONG", redis.ping());
            }
        } finally {
            first.close();
        }
    }

    /**
     * Redis outlives the JVM's first signal: it runs in a session of its own (Ctrl-C signals the terminal's process
     * group) and stops when closed, after Camel, not from a shutdown hook of its own. Its log is kept beside its data.
     */
    @Test
    void redisRunsInASessionOfItsOwnAndStopsWhenClosed(@TempDir Path dir) throws Exception {
        long pid;
        try (EmbeddedServices e = EmbeddedServices.start(new EmbeddedServices.Options(dir, false, false, true, 0, 0, 0,
                KEY, SECRET, "us-east-1", List.of(), List.of()))) {
            pid = Long.parseLong(Files.readString(dir.resolve("redis/redis.pid")).trim());
            assertEquals(pid, session(pid), "redis-server leads a session of its own");
            assertTrue(session(ProcessHandle.current().pid()) != pid);
            assertTrue(Files.readString(dir.resolve("redis/redis.log")).contains("Ready to accept connections"));
        }
        assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "stopped by close()");
        assertTrue(Files.readString(dir.resolve("redis/redis.log")).contains("ready to exit, bye bye"), "a clean stop (AOF written)");
    }

    @Test
    void aRedisThatCannotStartSaysWhy(@TempDir Path dir) throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.io.IOException e = assertThrows(java.io.IOException.class, () -> EmbeddedRedis.start(dir, taken.getLocalPort()));
            assertTrue(e.getMessage().startsWith("redis-server did not start (exit ") && e.getMessage().contains("Address already in use"),
                    e.getMessage());
        }
    }

    /** The session id of a process (field 6 of /proc/<pid>/stat). */
    private static long session(long pid) throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[3]);
    }
}
