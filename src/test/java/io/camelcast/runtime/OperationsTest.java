package io.camelcast.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelcast.FlowTests;
import io.camelcast.config.Settings;
import io.camelcast.opencast.MediapackageIds;
import io.camelcast.sim.Faults;
import io.camelcast.sim.SiteSimulator;
import io.camelcast.sim.Simulators;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the on-call operator sees, on the embedded default with the simulators: the queue gauges at
 * {@code /observe/metrics} (checked by promtool's exposition parser when it is installed, and by the
 * exposition grammar here), dead letters over HTTP after an Opencast outage (a replay ingests the recording
 * once), and notifications to a signed webhook and Slack while the webhook receiver is down for a while.
 */
class OperationsTest {

    static final String SECRET = "ops-webhook-secret";
    static final String API_KEY = "ops-api-key-0123";
    static final String NOTIFY_SECRET = "ops-notify-secret-abc";
    static final String SERIES = "20270166666";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    static Simulators sims;
    static CamelcastRuntime runtime;
    static int port;
    /** Every log line as the runtime's layout writes it (secrets masked), to read back. */
    static final java.io.ByteArrayOutputStream LOG = new java.io.ByteArrayOutputStream();
    static ch.qos.logback.core.OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender;

    @BeforeAll
    static void start() throws Exception {
        captureLog();
        sims = Simulators.start(0, 0);
        // the Opencast password is a common word (issue 20.8): the log must stay readable and never show it
        sims.opencast().setCredentials(io.camelcast.sim.OpencastSimulator.DEFAULT_USER, "opencast");
        port = FlowTests.portToReuse();
        Path config = dir.resolve("camelcast.properties");
        Files.writeString(config, String.join("\n",
                "camelcast.data-dir=" + dir.resolve("state"),
                "camelcast.http.port=" + port,
                "camelcast.api-key=" + API_KEY,
                "camelcast.recording.webhook-delay=0",
                "camelcast.opencast.max-redeliveries=1",
                "camelcast.retry.initial-delay=100",
                "camelcast.retry.max-delay=300",
                "camelcast.sqs.wait-seconds=1",
                "camelcast.metrics.queue-refresh-seconds=1",
                // a scheduled harvest (daily: it does not fire here) has its gauges, as the alerts expect
                "camelcast.zoom.schedule=true",
                // the clean-up may take media whose work ended just now (it is run by hand below)
                "camelcast.recording.staging-days=0",
                "camelcast.notify.initial-delay=300",
                "camelcast.notify.max-delay=600",
                "camelcast.schedule.default-series-id=" + SERIES) + "\n", StandardCharsets.UTF_8);
        sims.site().setSecret(NOTIFY_SECRET);
        Settings settings = sims.pointAt(Settings.load(config)).with("camelcast.zoom.webhook-secret", SECRET)
                .with("camelcast.notify.url", sims.site().url() + "/notify")
                .with("camelcast.notify.secret", NOTIFY_SECRET)
                .with("camelcast.notify.slack-url", sims.site().url() + "/slack/T0001/B0001/ops")
                .with("camelcast.opencast.password", "opencast")
                .with("camelcast.upload.notify-secret", NOTIFY_SECRET)
                .with("camelcast.upload.root", Files.createDirectories(dir.resolve("media")).toString());
        runtime = CamelcastRuntime.start(settings);
        sims.opencast().registerSeries(SERIES, "Operations 101");
    }

    static void captureLog() {
        var context = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        var layout = new io.camelcast.logging.MaskingPatternLayout();
        layout.setContext(context);
        layout.setPattern("%d %-5level [%thread] %logger{24} - %msg%n");
        layout.start();
        var encoder = new ch.qos.logback.core.encoder.LayoutWrappingEncoder<ch.qos.logback.classic.spi.ILoggingEvent>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        appender = new ch.qos.logback.core.OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(LOG);
        appender.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
    }

    @Test
    void aDeliveredUploadIsToldToTheOperator() throws Exception {
        Files.write(dir.resolve("media/talk.mp4"), new byte[64 * 1024]);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url("/custom-upload"))).header("X-Api-Key", API_KEY)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"path\": \"talk.mp4\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
        String id = JSON.readTree(r.body()).path("id").asText();
        FlowTests.awaitTrue(() -> delivered(id, "upload.delivered"), "upload.delivered for " + id + ": " + sims.site().notifications());
        JsonNode event = sims.site().notifications().stream().map(n -> (JsonNode) n.get("body"))
                .filter(b -> "upload.delivered".equals(b.path("event").asText())).findFirst().orElseThrow();
        assertEquals("DONE", event.path("state").asText());
    }

    @Test
    void theLogReadsBackWithSecretsMaskedAndNamesReadable() throws Exception {
        FlowTests.awaitTrue(() -> runtime.camelContext().isStarted(), "started");
        String log;
        synchronized (LOG) {
            log = LOG.toString(StandardCharsets.UTF_8);
        }
        assertTrue(log.contains("camelcast.opencast.max-redeliveries"), "property names that contain the password stay readable");
        assertFalse(log.contains("camelcast.****."), "no name is cut by the mask");
        for (String secret : List.of(API_KEY, NOTIFY_SECRET, SECRET, ":opencast@", "password = opencast", "password=opencast")) {
            assertFalse(log.contains(secret), "never printed: " + secret);
        }
    }

    @AfterAll
    static void stop() {
        var context = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        if (runtime != null) {
            runtime.close();
        }
        if (sims != null) {
            sims.close();
        }
    }

    @Test
    void anOpencastOutageIsSeenInTheGaugesRepliedOverHttpAndToldToTheOperatorWhoseReceiverWasDown() throws Exception {
        String uuid = "ops" + UUID.randomUUID() + "==";
        String staged = "camelcast-recordings-staged";
        // the notification receiver is down for its first four deliveries; Opencast answers 500 to everything
        sims.site().faults().add(new Faults.Fault(503, 4, 0, "/notify", "POST", null, null));
        sims.opencast().faults().add(new Faults.Fault(500, 1_000_000, 0, null, null, null, null));
        String event = sims.zoom().recordingCompletedEvent(uuid, 95_200_000_001L, "Ops", "2026-11-17T15:00:00Z", 60, 1L << 20).toString();
        assertEquals(200, sims.zoom().sendWebhook(URI.create(url("/zoom/webhook")), SECRET, event, Instant.now().getEpochSecond()).statusCode());

        // the DLQ: over HTTP with the key, 401 without
        assertEquals(401, get("/dlq", null).statusCode());
        assertEquals(401, get("/dlq/" + staged + "-dlq", "wrong-key").statusCode());
        FlowTests.awaitTrue(() -> messages(staged + "-dlq") == 1, "the recording in " + staged + "-dlq");
        JsonNode letters = JSON.readTree(get("/dlq/" + staged + "-dlq", API_KEY).body());
        assertEquals(1, letters.size(), letters.toString());
        JsonNode letter = letters.get(0);
        assertTrue(letter.path("body").asText().contains(uuid), letter.toString());
        assertTrue(letter.path("cause").asText().contains("500"), letter.toString());
        assertFalse(letter.path("failedAt").asText().isEmpty());
        assertFalse(letters.toString().contains(NOTIFY_SECRET) || letters.toString().contains(API_KEY), "secrets masked");
        assertEquals(letters, JSON.readTree(get("/dlq/" + staged, API_KEY).body()), "the flow queue's name works too");
        assertEquals(404, get("/dlq/some-other-queue", API_KEY).statusCode());

        // the gauges: every queue and its DLQ, visible and in flight
        FlowTests.awaitTrue(() -> sample(metrics(), staged + "-dlq", "visible") == 1.0, "the DLQ gauge at 1");
        String text = metrics();
        for (String q : OperationsGauges.withDeadLetterQueues(Services.queues(runtime.settings()))) {
            assertTrue(sample(text, q, "visible") >= 0 && sample(text, q, "in_flight") >= 0, q + " has both series");
        }
        promtoolAccepts(text);
        for (String used : OperationsAlertsTest.usedMetrics()) {
            assertTrue(PrometheusText.parse(text).stream().anyMatch(s -> s.name().equals(used)),
                    used + " (used by docker/prometheus/alerts.yml or the dashboard) is exported");
        }
        assertEquals(1.0, PrometheusText.parse(text).stream().filter(s -> s.name().equals("camelcast_peer_up")
                && "redis".equals(s.labels().get("peer"))).findFirst().orElseThrow().value());

        // the clean-up keeps media a dead letter names
        List<String> stagedKeys = stagedKeys(uuid);
        assertFalse(stagedKeys.isEmpty(), "the recording is staged");
        runtime.camelContext().createProducerTemplate().requestBody("direct:staging-cleanup-run", null, Map.class);
        assertEquals(stagedKeys, stagedKeys(uuid), "kept while in the DLQ");

        // Opencast back: replay one unknown id (404, nothing moved), then all
        sims.opencast().faults().clear();
        assertEquals(404, post("/dlq/" + staged + "-dlq/replay?id=no-such-letter").statusCode());
        assertEquals(1, messages(staged + "-dlq"));
        HttpResponse<String> replay = post("/dlq/" + staged + "-dlq/replay");
        assertEquals(200, replay.statusCode(), replay.body());
        assertEquals(1, JSON.readTree(replay.body()).path("replayed").asInt(), replay.body());
        String mp = MediapackageIds.deterministic(uuid);
        FlowTests.awaitTrue(() -> ingests(mp) == 1, "the replayed recording ingested");
        FlowTests.awaitTrue(() -> sample(metrics(), staged + "-dlq", "visible") == 0.0, "the DLQ gauge back at 0");
        assertEquals(1, ingests(mp), "ingested exactly once");

        // ingested: the clean-up frees its media, logs and counts it. The recording's final status is written just
        // after Opencast has the ingest (which is what the wait above saw), so the run is repeated until it is
        long[] deleted = {0};
        FlowTests.awaitTrue(() -> {
            Map<?, ?> cleaned = runtime.camelContext().createProducerTemplate().requestBody("direct:staging-cleanup-run", null, Map.class);
            deleted[0] += ((Number) cleaned.get("deleted")).longValue();
            return stagedKeys(uuid).isEmpty();
        }, "the ingested recording's staged media is gone");
        assertTrue(deleted[0] >= stagedKeys.size(), "deleted " + deleted[0] + " of " + stagedKeys.size());
        assertTrue(PrometheusText.parse(metrics()).stream().anyMatch(s -> s.name().equals("camelcast_staging_cleanup_objects_total")
                && s.value() >= stagedKeys.size()), "counted in the metric");

        // the operator heard of it all, signed, although the receiver refused the first deliveries
        FlowTests.awaitTrue(() -> delivered(uuid, "recording.ingested") && delivered(uuid, "recording.failed")
                && sims.site().notifications().stream().anyMatch(n -> n.get("body") instanceof JsonNode b
                        && "dlq.message".equals(b.path("event").asText()) && (staged + "-dlq").equals(b.path("queue").asText())),
                "recording.failed, dlq.message and recording.ingested at the webhook: " + sims.site().notifications());
        assertTrue(sims.site().faults().list().isEmpty(), "the receiver was down for four deliveries, and they were retried");
        JsonNode failed = sims.site().notifications().stream().map(n -> (JsonNode) n.get("body"))
                .filter(b -> "recording.failed".equals(b.path("event").asText())).findFirst().orElseThrow();
        assertEquals("UPLOADER_FAILED", failed.path("state").asText());
        assertTrue(failed.has("time") && failed.has("reason"), failed.toString());
        FlowTests.awaitTrue(() -> sims.site().slackMessages().stream().anyMatch(m -> m.get("text").toString().contains("recording.ingested " + uuid))
                && sims.site().slackMessages().stream().anyMatch(m -> m.get("text").toString().contains("dlq.message")),
                "the same events in Slack: " + sims.site().slackMessages());
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** The staging bucket's objects of a recording (its Zoom uuid in their metadata), read with the AWS SDK. */
    static List<String> stagedKeys(String uuid) {
        try (var s3 = io.camelcast.store.AwsClients.s3(runtime.settings())) {
            String bucket = runtime.settings().get("camelcast.recording.bucket");
            return s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(o -> o.key())
                    .filter(k -> uuid.equals(s3.headObject(b -> b.bucket(bucket).key(k)).metadata().get("uuid"))).sorted().toList();
        }
    }

    static boolean delivered(String id, String event) {
        return sims.site().notifications().stream().anyMatch(n -> Boolean.TRUE.equals(n.get("valid_signature"))
                && n.get("body") instanceof JsonNode b && event.equals(b.path("event").asText()) && id.equals(b.path("id").asText()));
    }

    static int messages(String dlq) {
        try {
            for (JsonNode q : JSON.readTree(get("/dlq", API_KEY).body())) {
                if (dlq.equals(q.path("queue").asText())) {
                    return q.path("messages").asInt(-1);
                }
            }
            return -1;
        } catch (Exception e) {
            return -1;
        }
    }

    static long ingests(String mediapackageId) {
        return sims.opencast().ingests().stream().filter(i -> mediapackageId.equals(i.get("mediapackageId"))).count();
    }

    static String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    static HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20));
        if (key != null) {
            b.header("X-Api-Key", key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).header("X-Api-Key", API_KEY).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String metrics() {
        try {
            return get("/observe/metrics", null).body();
        } catch (Exception e) {
            return "";
        }
    }

    /** The value of {@code camelcast_queue_messages{queue,state}} in an exposition text, or -1 when absent. */
    static double sample(String text, String queue, String state) {
        for (PrometheusText.Sample s : PrometheusText.parse(text)) {
            if (s.name().equals("camelcast_queue_messages") && queue.equals(s.labels().get("queue"))
                    && state.equals(s.labels().get("state"))) {
                return s.value();
            }
        }
        return -1;
    }

    /** promtool's own parser of the exposition format, when Prometheus' tools are installed (.ci/run installs them). */
    static void promtoolAccepts(String text) throws Exception {
        Path promtool = List.of("/usr/bin/promtool", "/usr/local/bin/promtool").stream().map(Path::of).filter(Files::isExecutable)
                .findFirst().orElse(null);
        if (promtool == null) {
            System.err.println("promtool not installed: the exposition text was checked by the test's parser only");
            return;
        }
        Path file = dir.resolve("metrics.txt");
        Files.writeString(file, text);
        Path report = dir.resolve("promtool.txt");
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).redirectOutput(report.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool finished");
        String out = Files.readString(report);
        // exit 1 is a parse error; 3 lists lint findings (naming advice) about metrics that parsed
        assertTrue(p.exitValue() == 0 || p.exitValue() == 3, "promtool check metrics: " + out);
        assertFalse(out.contains("camelcast_queue_messages"), "no finding about the queue gauges: " + out);
    }

}
