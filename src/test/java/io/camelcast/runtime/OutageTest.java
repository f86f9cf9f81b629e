package io.camelcast.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelcast.FlowTests;
import io.camelcast.config.Settings;
import io.camelcast.dlq.DeadLetter;
import io.camelcast.embedded.EmbeddedServices;
import io.camelcast.opencast.MediapackageIds;
import io.camelcast.sim.Faults;
import io.camelcast.sim.Simulators;
import io.camelcast.store.AwsClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Dependencies failing under a running runtime: Opencast timing out and dropping connections, the S3
 * store down, Redis restarted. S3 and Redis run as separate servers here (as in production) so the test
 * can stop and start them on the same port and data; Opencast and Zoom are the simulators.
 */
class OutageTest {

    static final String SECRET = "outage-webhook-secret";
    static final String API_KEY = "outage-api-key";
    static final String SERIES = "20270155555";

    @TempDir
    static Path dir;
    static Simulators sims;
    static CamelcastRuntime runtime;
    static Settings settings;
    static Path config;
    static int port;
    static int s3Port;
    static int redisPort;
    static EmbeddedServices s3;
    static EmbeddedServices redisServer;
    static List<String> buckets;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        sims = Simulators.start(0, 0);
        // S3, Redis and the runtime are each stopped and started again on their port
        port = FlowTests.portToReuse();
        s3Port = FlowTests.portToReuse();
        redisPort = FlowTests.portToReuse();
        config = dir.resolve("camelcast.properties");
        Files.writeString(config, String.join("\n",
                "camelcast.data-dir=" + dir.resolve("state"),
                "camelcast.http.port=" + port,
                "camelcast.api-key=" + API_KEY,
                "camelcast.s3.endpoint=http://127.0.0.1:" + s3Port,
                "camelcast.s3.access-key=outage",
                "camelcast.s3.secret-key=outage-secret",
                "camelcast.s3.path-style=true",
                "camelcast.redis.url=redis://127.0.0.1:" + redisPort,
                "camelcast.recording.webhook-delay=0",
                "camelcast.recording.max-redeliveries=2",
                "camelcast.opencast.max-redeliveries=4",
                "camelcast.opencast.timeout=1500",
                "camelcast.retry.initial-delay=100",
                "camelcast.retry.max-delay=300",
                "camelcast.sqs.wait-seconds=1",
                "camelcast.schedule.default-series-id=" + SERIES,
                "camelcast.zoom.download-hosts=127.0.0.1",
                "camelcast.zoom.api-url=" + sims.zoom().url() + "/v2",
                "camelcast.zoom.oauth-url=" + sims.zoom().url() + "/oauth/token") + "\n", StandardCharsets.UTF_8);
        settings = sims.pointAt(Settings.load(config)).with("camelcast.zoom.webhook-secret", SECRET);
        buckets = Services.buckets(settings);
        startS3();
        startRedis();
        runtime = CamelcastRuntime.start(settings);
        sims.opencast().registerSeries(SERIES, "Outages 101");
    }

    static void startS3() throws Exception {
        s3 = EmbeddedServices.start(new EmbeddedServices.Options(dir.resolve("s3"), true, false, false, s3Port, 0, 0,
                "outage", "outage-secret", "us-east-1", List.of(), List.of()));
    }

    static void startRedis() throws Exception {
        redisServer = EmbeddedServices.start(new EmbeddedServices.Options(dir.resolve("redis"), false, false, true, 0, 0, redisPort,
                "outage", "outage-secret", "us-east-1", List.of(), List.of()));
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (redisServer != null) {
            redisServer.close();
        }
        if (sims != null) {
            sims.close();
        }
    }

    @BeforeEach
    void clearFaults() {
        sims.opencast().faults().clear();
        sims.zoom().faults().clear();
    }

    @Test
    void runCreatesEveryConfiguredBucketTheStoreLacked() {
        // this S3 started empty, as a new account's does; run made the buckets its flows write to
        try (software.amazon.awssdk.services.s3.S3Client client = io.camelcast.store.AwsClients.s3(runtime.settings())) {
            List<String> names = client.listBuckets().buckets().stream()
                    .map(software.amazon.awssdk.services.s3.model.Bucket::name).toList();
            assertTrue(names.containsAll(buckets), "buckets " + names + " lack some of " + buckets);
            assertTrue(buckets.containsAll(List.of("camelcast-staging", "camelcast-archive", "camelcast-media",
                    "camelcast-kaltura-archive")), buckets.toString());
            assertEquals(io.camelcast.store.Buckets.Outcome.EXISTS, io.camelcast.store.Buckets.ensure(client, "camelcast-media"));
            assertEquals(io.camelcast.store.Buckets.Outcome.CREATED, io.camelcast.store.Buckets.ensure(client, "outage-new-bucket"));
            assertEquals(io.camelcast.store.Buckets.Outcome.EXISTS, io.camelcast.store.Buckets.ensure(client, "outage-new-bucket"));
        }
    }

    @Test
    void opencastTimingOutAndDroppingConnectionsIsRetriedAndIngestsOnce() throws Exception {
        String uuid = "slow" + UUID.randomUUID() + "==";
        // the existence check waits past camelcast.opencast.timeout once, then the ingest's connection drops twice
        sims.opencast().faults().add(new Faults.Fault(0, 1, 4000, "/api/events/", "GET", null, null));
        sims.opencast().faults().add(new Faults.Fault(0, 2, 0, "/ingest/addMediaPackage", "POST", null, "close"));
        assertEquals(200, webhook(uuid, 95_100_000_001L).statusCode());
        awaitIngest(MediapackageIds.deterministic(uuid));
        assertTrue(sims.opencast().faults().list().isEmpty(), "the timeout and both drops happened: " + sims.opencast().faults().list());
        Thread.sleep(1500);
        assertEquals(1, ingestsOf(MediapackageIds.deterministic(uuid)), "retried, and ingested exactly once");
    }

    @Test
    void opencastAnswering500IsRetriedHealthSaysDownAndAReplayIngestsOnceItIsBack() throws Exception {
        String uuid = "oc500" + UUID.randomUUID() + "==";
        String zipId = "auto-ingest-" + uuid;
        // every Opencast endpoint answers 500, its health endpoint included
        sims.opencast().faults().add(new Faults.Fault(500, 1_000_000, 0, null, null, null, null));
        // Zoom is still answered: the intake and the download need neither Opencast nor its health
        assertEquals(200, webhook(uuid, 95_100_000_005L).statusCode());
        awaitTrue(() -> health().contains("DOWN") && health().contains("opencast"), "health DOWN naming opencast");
        awaitTrue(() -> "UPLOADER_FAILED".equals(state(zipId)), "UPLOADER_FAILED after the retries");
        String list = cli("dlq", "list", "camelcast-recordings-staged");
        assertTrue(list.contains(uuid), list);
        assertTrue(list.contains("attempts=5"), "four redeliveries (camelcast.opencast.max-redeliveries), then the DLQ: " + list);
        assertEquals(0, ingestsOf(MediapackageIds.deterministic(uuid)));

        sims.opencast().faults().clear();
        awaitTrue(() -> health().contains("\"UP\""), "health UP once Opencast is back");
        String replay = cli("dlq", "replay", "camelcast-recordings-staged", "--all");
        assertTrue(replay.contains("replayed"), replay);
        awaitIngest(MediapackageIds.deterministic(uuid));
        Thread.sleep(1000);
        assertEquals(1, ingestsOf(MediapackageIds.deterministic(uuid)), "ingested exactly once");
    }

    @Test
    void anIngestAnotherInstanceLeftUnansweredIsWaitedForThenDoneOnce() throws Exception {
        String uuid = "inflight" + UUID.randomUUID() + "==";
        String mediapackage = MediapackageIds.deterministic(uuid);
        // as an instance killed during its POST leaves it: Opencast may still be fetching the files
        long marked = System.nanoTime();
        try (UnifiedJedis redis = RedisClient.create(URI.create("redis://127.0.0.1:" + redisPort))) {
            redis.setex("camelcast:opencast:in-flight:" + mediapackage, 3, "an-instance-that-died");
        }
        assertEquals(200, webhook(uuid, 95_100_000_006L).statusCode());
        // Opencast never finishes it here: once the grace is over, this instance ingests, once
        awaitIngest(mediapackage);
        assertTrue(System.nanoTime() - marked >= 3_000_000_000L, "not ingested again while the other ingest might still finish");
        Thread.sleep(1500);
        assertEquals(1, ingestsOf(mediapackage));
        awaitTrue(() -> "SENT_TO_OPENCAST".equals(state("auto-ingest-" + uuid)), "SENT_TO_OPENCAST");
        // the deferred message replaced the one taken: nothing is left to come back later and ingest again
        // (a message taken and not deleted would sit there invisible for a minute, then be delivered again)
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (stagedMessages() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(0, stagedMessages(), "no message left on camelcast-recordings-staged, visible or not");
    }

    @Test
    void anIngestOpencastRefusedIsNotWaitedForByTheNextInstance() throws Exception {
        String uuid = "refused" + UUID.randomUUID() + "==";
        String zipId = "auto-ingest-" + uuid;
        String mediapackage = MediapackageIds.deterministic(uuid);
        // Opencast answers every try of the ingest itself with 500: it is not working on any of them
        sims.opencast().faults().add(new Faults.Fault(500, 5, 0, "/ingest/addMediaPackage", "POST", null, null));
        assertEquals(200, webhook(uuid, 95_100_000_007L).statusCode());
        awaitTrue(() -> "UPLOADER_FAILED".equals(state(zipId)), "UPLOADER_FAILED after the retries");
        assertTrue(sims.opencast().faults().list().isEmpty(), "all five tries were answered 500");

        // the operator restarts (a new instance) and replays: ingested now, not after the 30-minute grace
        runtime.close();
        runtime = CamelcastRuntime.start(settings);
        String replay = cli("dlq", "replay", "camelcast-recordings-staged", "--all");
        assertTrue(replay.contains("replayed"), replay);
        awaitIngest(mediapackage);
        Thread.sleep(1000);
        assertEquals(1, ingestsOf(mediapackage), "ingested exactly once");
    }

    @Test
    void aSecondCopyTakenWhileTheFirstIsInOpencastsIngestIsDeferredNotIngested() throws Exception {
        // the first copy is held in Opencast's ingest: the second finds its in-flight marker before its own POST
        twoCopiesAtOnce("twice", 95_100_000_008L, new Faults.Fault(0, 1, 3000, "/ingest/addMediaPackage", "POST", null, null));
    }

    @Test
    void twoCopiesThatBothFoundTheRecordingMissingIngestItOnce() throws Exception {
        // the first copy is held at the series look-up, after it found the recording missing from Opencast; the
        // second finds it missing too and ingests; the first then resumes and must not ingest as well
        twoCopiesAtOnce("race", 95_100_000_009L, new Faults.Fault(0, 1, 3000, "/series/", "GET", null, null));
    }

    /**
     * Two copies of one staged message taken at once (as after a crash between the fetch stage's send and its
     * delete): the first is replayed and held by {@code hold}; the second is sent while it is held, and taken by
     * the other consumer. One ingest; the other copy goes back on the queue, delayed (and, once Opencast has the
     * recording, is ignored).
     */
    private void twoCopiesAtOnce(String tag, long meetingId, Faults.Fault hold) throws Exception {
        String uuid = tag + UUID.randomUUID() + "==";
        String mediapackage = MediapackageIds.deterministic(uuid);
        // a staged message as the fetch stage writes it: the recording is sent to the DLQ, and its body read there
        sims.opencast().faults().add(new Faults.Fault(500, 5, 0, "/ingest/addMediaPackage", "POST", null, null));
        assertEquals(200, webhook(uuid, meetingId).statusCode());
        awaitTrue(() -> "UPLOADER_FAILED".equals(state("auto-ingest-" + uuid)), "UPLOADER_FAILED after the retries");
        try (SqsClient sqs = AwsClients.sqs(runtime.settings())) {
            String dlq = sqs.getQueueUrl(b -> b.queueName("camelcast-recordings-staged-dlq")).queueUrl();
            String staged = sqs.getQueueUrl(b -> b.queueName("camelcast-recordings-staged")).queueUrl();
            String letter = sqs.receiveMessage(b -> b.queueUrl(dlq).visibilityTimeout(0).waitTimeSeconds(2)).messages().stream()
                    .map(Message::body).filter(m -> m.contains(uuid)).findFirst().orElseThrow();
            String body = new ObjectMapper().readValue(letter, DeadLetter.class).body();

            sims.opencast().faults().add(hold);
            assertTrue(cli("dlq", "replay", "camelcast-recordings-staged", "--all").contains("replayed"));
            awaitTrue(() -> sims.opencast().faults().list().isEmpty(), "the first copy is held in Opencast");
            sqs.sendMessage(b -> b.queueUrl(staged).messageBody(body));

            awaitIngest(mediapackage);
            AtomicReference<Object> counts = new AtomicReference<>();
            awaitTrue(() -> {
                Map<String, Integer> c = FlowTests.queueCounts(sqs, "camelcast-recordings-staged");
                counts.set(c);
                return c.get("ApproximateNumberOfMessagesDelayed") == 1 || "IGNORED".equals(state("auto-ingest-" + uuid))
                        || ingestsOf(mediapackage) > 1;
            }, "the other copy put back on the queue, delayed, or already asked again and ignored");
            Thread.sleep(1000);
            assertEquals(1, ingestsOf(mediapackage), "one ingest for two copies taken at once; staged queue " + counts.get());
            // the deferred copy would come back later and be ignored then; later tests want an empty queue
            sqs.purgeQueue(b -> b.queueUrl(staged));
        }
    }

    static int stagedMessages() {
        try (SqsClient sqs = AwsClients.sqs(runtime.settings())) {
            return FlowTests.queueCounts(sqs, "camelcast-recordings-staged").values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    @Test
    void s3DownSendsTheRecordingToTheDlqAfterItsAttemptsHealthSaysDownAndAReplayIngestsIt() throws Exception {
        String uuid = "nos3" + UUID.randomUUID() + "==";
        String zipId = "auto-ingest-" + uuid;
        s3.close();
        try {
            awaitTrue(() -> health().contains("DOWN"), "health DOWN while S3 is down");
            assertTrue(health().contains("s3"), health());
            // Zoom's webhook is still taken: the intake needs Redis and the queue, not S3
            assertEquals(200, webhook(uuid, 95_100_000_002L).statusCode());
            awaitTrue(() -> "DOWNLOADER_FAILED".equals(state(zipId)), "DOWNLOADER_FAILED after the retries");
            String list = cli("dlq", "list", "camelcast-recordings-incoming");
            assertTrue(list.contains(uuid), list);
            assertTrue(list.contains("attempts=3"), "two redeliveries (camelcast.recording.max-redeliveries), then the DLQ: " + list);
        } finally {
            startS3();
        }
        awaitTrue(() -> health().contains("\"UP\""), "health UP again");
        String replay = cli("dlq", "replay", "camelcast-recordings-incoming", "--all");
        assertTrue(replay.contains("replayed"), replay);
        awaitIngest(MediapackageIds.deterministic(uuid));
        Thread.sleep(1000);
        assertEquals(1, ingestsOf(MediapackageIds.deterministic(uuid)));
        assertEquals("SENT_TO_OPENCAST", state(zipId));
    }

    @Test
    void aRedisRestartLosesNothingAndTheIntakeRefusesWithA503WhileItIsDown() throws Exception {
        String before = "beforeredis" + UUID.randomUUID() + "==";
        assertEquals(200, webhook(before, 95_100_000_003L).statusCode());
        awaitIngest(MediapackageIds.deterministic(before));
        awaitTrue(() -> "SENT_TO_OPENCAST".equals(state("auto-ingest-" + before)), "first recording done");

        redisServer.close();
        String during = "duringredis" + UUID.randomUUID() + "==";
        try {
            awaitTrue(() -> health().contains("DOWN"), "health DOWN while Redis is down");
            ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen = new ch.qos.logback.core.read.ListAppender<>();
            seen.start();
            ch.qos.logback.classic.Logger routeLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("recording-intake-webhook");
            routeLog.addAppender(seen);
            try {
                HttpResponse<String> refused = webhook(during, 95_100_000_004L);
                assertEquals(503, refused.statusCode(), "Zoom is told to retry: " + refused.body());
            } finally {
                routeLog.detachAppender(seen);
            }
            // the failure names the request, though the route had dropped its headers before it failed
            List<String> lines = new java.util.ArrayList<>();
            synchronized (seen) {
                seen.list.forEach(e -> lines.add(e.getFormattedMessage()));
            }
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("http failed method=POST path=/zoom/webhook: ")), lines.toString());
        } finally {
            startRedis();
        }
        awaitTrue(() -> health().contains("\"UP\""), "health UP after the restart");
        assertEquals("SENT_TO_OPENCAST", state("auto-ingest-" + before), "the status written before the restart is still there");
        // Zoom's retry of the refused webhook
        assertEquals(200, webhook(during, 95_100_000_004L).statusCode());
        awaitIngest(MediapackageIds.deterministic(during));
        Thread.sleep(1000);
        assertEquals(1, ingestsOf(MediapackageIds.deterministic(during)));
        assertEquals(1, ingestsOf(MediapackageIds.deterministic(before)));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    static HttpResponse<String> webhook(String uuid, long meetingId) throws Exception {
        String event = sims.zoom().recordingCompletedEvent(uuid, meetingId, "Outage", "2026-11-17T15:00:00Z", 60, 1L << 20).toString();
        return sims.zoom().sendWebhook(URI.create("http://127.0.0.1:" + port + "/zoom/webhook"), SECRET, event,
                Instant.now().getEpochSecond());
    }

    static String health() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health?exposureLevel=full"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "unreachable: " + e.getMessage();
        }
    }

    static String state(String zipId) {
        try (UnifiedJedis redis = RedisClient.create(URI.create("redis://127.0.0.1:" + redisPort))) {
            return redis.hget("camelcast:status:" + zipId, "state");
        } catch (Exception e) {
            return null;
        }
    }

    static String cli(String... args) {
        return FlowTests.cli(config, args);
    }

    static void awaitIngest(String mediapackageId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (ingestsOf(mediapackageId) > 0) {
                return;
            }
            Thread.sleep(100);
        }
        fail("no ingest of " + mediapackageId + "; Opencast saw " + sims.opencast().requests());
    }

    static long ingestsOf(String mediapackageId) {
        return sims.opencast().ingests().stream().filter(i -> mediapackageId.equals(i.get("mediapackageId"))).count();
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        FlowTests.awaitTrue(condition, what);
    }
}
