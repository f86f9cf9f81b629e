package io.camelcast.runtime;

import io.camelcast.Camelcast;
import io.camelcast.config.Settings;
import io.camelcast.store.AwsClients;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The runtime on its embedded default, as {@code camelcast run} starts it: health, metrics, the
 * plumbing flow through SQS, S3 and Redis, and the dead-letter round trip. Everything is checked
 * with independent clients (AWS SDK, Jedis, java.net.http), not through Camel.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RuntimeEndToEndTest {

    private static final String BUCKET = "camelcast-plumbing-test";

    @TempDir
    static Path data;
    static CamelcastRuntime runtime;
    static Path config;
    static int port;
    static S3Client s3;
    static SqsClient sqs;
    static UnifiedJedis jedis;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // the operator's file: the CLI commands below read the same one
        config = data.resolve("camelcast.properties");
        Files.writeString(config, String.join("\n",
                "camelcast.data-dir=" + data.resolve("state"),
                "camelcast.http.port=" + port,
                "camelcast.plumbing.bucket=" + BUCKET,
                "camelcast.plumbing.max-redeliveries=2",
                "camelcast.retry.initial-delay=50",
                "camelcast.retry.max-delay=200",
                "camelcast.zoom.webhook-secret=never-logged-webhook-secret",
                "camelcast.api-key=e2e-api-key"), StandardCharsets.UTF_8);
        runtime = CamelcastRuntime.start(Settings.load(config));
        Settings s = runtime.settings();
        s3 = AwsClients.s3(s);
        sqs = AwsClients.sqs(s);
        jedis = RedisClient.create(URI.create(s.get("camelcast.redis.url")));
    }

    @AfterAll
    static void stop() {
        if (jedis != null) {
            jedis.close();
            s3.close();
            sqs.close();
        }
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    @Order(1)
    void healthIsUpOnceStartedAndNamesEachDependency() throws Exception {
        HttpResponse<String> health = get("/observe/health");
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("\"UP\""), health.body());
        for (String check : List.of("s3", "sqs", "redis")) {
            HttpResponse<String> one = get("/observe/health?exposureLevel=full");
            assertTrue(one.body().contains("\"" + check + "\""), "health names " + check + ": " + one.body());
        }
    }

    @Test
    @Order(2)
    void metricsArePrometheusTextWithPerRouteCounters() throws Exception {
        HttpResponse<String> metrics = get("/observe/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("routeId=\"plumbing-store\""), "per-route series present");
    }

    @Test
    @Order(3)
    void aMessageGoesThroughSqsThenLandsInS3WithAStatusRecordInRedis() throws Exception {
        // hold the consumer so the message can be seen waiting in the queue first
        runtime.camelContext().getRouteController().stopRoute("plumbing-store");
        ProducerTemplate producer = runtime.camelContext().createProducerTemplate();
        String body = "{\"probe\":\"e2e-1\"}";
        producer.sendBodyAndHeader("direct:plumbing-enqueue", body, "itemId", "e2e-1");

        String queueUrl = sqs.getQueueUrl(b -> b.queueName("camelcast-plumbing")).queueUrl();
        List<Message> waiting = sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(5)
                .visibilityTimeout(1).messageAttributeNames("All")).messages();
        assertEquals(1, waiting.size());
        assertEquals(body, waiting.get(0).body());
        assertEquals("e2e-1", waiting.get(0).messageAttributes().get("itemId").stringValue());
        assertEquals("QUEUED", jedis.hget("camelcast:status:e2e-1", "state"));

        runtime.camelContext().getRouteController().startRoute("plumbing-store");
        String stored = await(() -> objectText(BUCKET, "plumbing/e2e-1.json"));
        assertEquals(body, stored);
        assertEquals("STORED", await(() -> "STORED".equals(jedis.hget("camelcast:status:e2e-1", "state")) ? "STORED" : null));
        assertTrue(jedis.exists("camelcast:idem:plumbing:e2e-1"), "idempotency key written");
        assertEquals(2, jedis.llen("camelcast:status:e2e-1:history"));
    }

    @Test
    @Order(4)
    void aRedeliveredMessageIsStoredOnce() throws Exception {
        ProducerTemplate producer = runtime.camelContext().createProducerTemplate();
        producer.sendBodyAndHeader("direct:plumbing-enqueue", "{\"v\":1}", "itemId", "e2e-dup");
        await(() -> objectText(BUCKET, "plumbing/e2e-dup.json"));
        // the same item again (a queue redelivery): absorbed, the object keeps its first content
        producer.sendBodyAndHeader("direct:plumbing-enqueue", "{\"v\":2}", "itemId", "e2e-dup");
        producer.sendBodyAndHeader("direct:plumbing-enqueue", "{\"v\":1}", "itemId", "e2e-after");
        await(() -> objectText(BUCKET, "plumbing/e2e-after.json"));
        assertEquals("{\"v\":1}", objectText(BUCKET, "plumbing/e2e-dup.json"));
    }

    @Test
    @Order(5)
    void aFailingStepGoesToTheDeadLetterQueueAndReplayCompletesIt() throws Exception {
        // S3 loses the bucket: every redelivery fails, then the letter goes to camelcast-plumbing-dlq
        s3.listObjectsV2(b -> b.bucket(BUCKET)).contents()
                .forEach(o -> s3.deleteObject(b -> b.bucket(BUCKET).key(o.key())));
        s3.deleteBucket(b -> b.bucket(BUCKET));
        runtime.camelContext().createProducerTemplate()
                .sendBodyAndHeader("direct:plumbing-enqueue", "{\"probe\":\"dead\"}", "itemId", "e2e-dead");

        String listing = await(() -> {
            String out = cli("dlq", "list", "camelcast-plumbing");
            return out.contains("e2e-dead") ? out : null;
        });
        assertTrue(listing.contains("1 dead letter(s) in camelcast-plumbing-dlq"), listing);
        assertTrue(listing.contains("route=plumbing-store"), listing);
        assertTrue(listing.contains("attempts=3"), "1 try + 2 redeliveries: " + listing);
        assertTrue(listing.contains("NoSuchBucket") || listing.contains("bucket"), listing);
        assertFalse(objectExists(BUCKET, "plumbing/e2e-dead.json"));

        s3.createBucket(b -> b.bucket(BUCKET));
        String replay = cli("dlq", "replay", "camelcast-plumbing", "--all");
        assertTrue(replay.contains("replayed 1 dead letter(s)"), replay);
        assertEquals("{\"probe\":\"dead\"}", await(() -> objectText(BUCKET, "plumbing/e2e-dead.json")));
        assertTrue(cli("dlq", "list", "camelcast-plumbing").contains("0 dead letter(s)"));
    }

    @Test
    @Order(6)
    void statusReportsServicesQueuesAndMasksSecrets() {
        String out = cli("status");
        assertTrue(out.contains("camelcast UP"), out);
        assertTrue(out.contains("camelcast-plumbing"), out);
        assertTrue(out.contains("camelcast.zoom.webhook-secret=****"), out);
        assertFalse(out.contains("never-logged-webhook-secret"), out);
        assertTrue(cli("status", "e2e-1").contains("\"STORED\""));
    }

    @Test
    @Order(7)
    void httpStatusNeedsTheApiKeyAndMasksSecrets() throws Exception {
        HttpResponse<String> none = get("/status");
        assertEquals(401, none.statusCode());
        assertTrue(none.body().contains("missing X-Api-Key"), none.body());
        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status"))
                .header("X-Api-Key", "nope").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, wrong.statusCode());
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status"))
                .header("X-Api-Key", "e2e-api-key").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ok.statusCode(), ok.body());
        assertTrue(ok.body().contains("\"status\" : \"UP\""), ok.body());
        assertTrue(ok.body().contains("camelcast-plumbing"), ok.body());
        assertFalse(ok.body().contains("never-logged-webhook-secret"));
        assertFalse(ok.body().contains("e2e-api-key"));
    }

    private static String cli(String... args) {
        String[] withConfig = new String[args.length + 2];
        System.arraycopy(args, 0, withConfig, 0, args.length);
        withConfig[args.length] = "--config";
        withConfig[args.length + 1] = config.toString();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Camelcast.execute(new PrintWriter(out, true), new PrintWriter(err, true), withConfig);
        if (code != 0) {
            fail("camelcast " + String.join(" ", args) + " exited " + code + ": " + err + out);
        }
        return out.toString();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String objectText(String bucket, String key) {
        try {
            ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            return bytes.asUtf8String();
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    private static boolean objectExists(String bucket, String key) {
        try {
            return objectText(bucket, key) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static <T> T await(Supplier<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            T v = probe.get();
            if (v != null) {
                return v;
            }
            Thread.sleep(100);
        }
        fail("condition not met within 30 s");
        return null;
    }
}
