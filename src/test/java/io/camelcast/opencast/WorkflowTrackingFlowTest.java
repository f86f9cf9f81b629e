package io.camelcast.opencast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.FlowTests;
import io.camelcast.config.Settings;
import io.camelcast.runtime.CamelcastRuntime;
import io.camelcast.sim.Faults;
import io.camelcast.sim.SiteSimulator;
import io.camelcast.sim.Simulators;
import io.camelcast.store.AwsClients;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 23, items 2 and 3, end to end on the simulators: a Zoom recording is ingested, the workflow the Opencast
 * simulator started is followed until it ends, and the recording's state, the operator's notification (the
 * site simulator's signed receiver) and the Zoom simulator's recorded deletions are what a user would check.
 * With {@code camelcast.zoom.after-ingest=trash} a succeeded workflow trashes the recording in Zoom exactly once
 * (a 500 from Zoom is retried, a second copy of the clean-up message changes nothing); a failed workflow is
 * OPENCAST_FAILED with the failed operation, raises recording.failed, and never reaches Zoom.
 */
class WorkflowTrackingFlowTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = "workflow-test-webhook-secret";
    static final String API_KEY = "workflow-test-api-key";
    static final String SERIES = "20270154321";
    static final String CLEANUP_QUEUE = "camelcast-zoom-cleanup";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final AtomicLong MEETINGS = new AtomicLong(94_000_000_000L);

    @TempDir
    static Path dir;
    static Simulators sims;
    static CamelcastRuntime runtime;
    static SqsClient sqs;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        sims = Simulators.start(0, 0);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("camelcast.properties");
        Files.writeString(config, String.join("\n",
                "camelcast.data-dir=" + dir.resolve("state"),
                "camelcast.http.port=" + port,
                "camelcast.api-key=" + API_KEY,
                "camelcast.recording.webhook-delay=0",
                "camelcast.retry.initial-delay=100",
                "camelcast.retry.max-delay=300",
                "camelcast.sqs.wait-seconds=1",
                "camelcast.schedule.default-series-id=" + SERIES,
                "camelcast.opencast.workflow-poll-seconds=1",
                "camelcast.zoom.after-ingest=trash",
                "camelcast.zoom.max-redeliveries=3"), StandardCharsets.UTF_8);
        Settings settings = sims.pointAt(Settings.load(config)).with("camelcast.zoom.webhook-secret", SECRET)
                .with("camelcast.notify.url", sims.site().url() + "/notify")
                .with("camelcast.notify.secret", SiteSimulator.DEFAULT_SECRET);
        runtime = CamelcastRuntime.start(settings);
        sqs = AwsClients.sqs(runtime.settings());
        sims.opencast().registerSeries(SERIES, "MEDIA E-200 Workflows");
        // short workflows: each runs its operations for a second and a half, then ends
        sims.opencast().setWorkflowDuration(Duration.ofMillis(1500));
    }

    @AfterAll
    static void stop() {
        if (sqs != null) {
            sqs.close();
        }
        if (runtime != null) {
            runtime.close();
        }
        if (sims != null) {
            sims.close();
        }
    }

    @Test
    void aSucceededWorkflowIsPublishedNotifiedAndTrashedInZoomOnce() throws Exception {
        // Zoom's first answer to the clean-up is a 500: the call is tried again
        sims.zoom().faults().add(new Faults.Fault(500, 1, 0, "/v2/meetings/", "DELETE", null, null));
        String uuid = "wf-ok" + UUID.randomUUID() + "==";
        sendRecording(uuid);

        JsonNode recording = awaitState(uuid, "OPENCAST_SUCCEEDED");
        List<String> states = history(recording);
        assertTrue(states.indexOf("SENT_TO_OPENCAST") >= 0 && states.indexOf("SENT_TO_OPENCAST") < states.indexOf("OPENCAST_SUCCEEDED"),
                "SENT_TO_OPENCAST, then OPENCAST_SUCCEEDED: " + states);
        JsonNode published = awaitNotification("recording.published", uuid);
        assertEquals("OPENCAST_SUCCEEDED", published.path("state").asText());
        assertEquals(MediapackageIds.deterministic(uuid), published.path("mediapackage_id").asText());

        awaitTrue(() -> deletionsOf(uuid).size() == 1, "the Zoom simulator recorded the trash call");
        assertEquals(List.of(Map.of("meetingUuid", uuid, "action", "trash")), deletionsOf(uuid));
        assertTrue(sims.zoom().faults().list().isEmpty(), "Zoom's 500 was answered, and the call made again");
        awaitTrue(() -> "Zoom recording moved to the trash".equals(recording(uuid).path("reason").asText()),
                "the status record says the recording went to Zoom's trash");
        HttpResponse<String> listing = zoomApi("/v2/meetings/" + doubleEncode(uuid) + "/recordings");
        assertEquals(404, listing.statusCode(), "the trashed recording left Zoom's REST listing: " + listing.body());

        // a second copy of the clean-up message (a redelivery, another instance) calls Zoom no more
        String again = JSON.writeValueAsString(Map.of("zip_id", "auto-ingest-" + uuid, "uuid", uuid));
        sqs.sendMessage(b -> b.queueUrl(sqs.getQueueUrl(q -> q.queueName(CLEANUP_QUEUE)).queueUrl()).messageBody(again));
        awaitTrue(() -> FlowTests.queueCounts(sqs, CLEANUP_QUEUE).values().stream().allMatch(n -> n == 0),
                "the copy was taken from the clean-up queue");
        assertEquals(1, deletionsOf(uuid).size(), "exactly one deletion: " + sims.zoom().deletions());
        assertTrue(FlowTests.queueCounts(sqs, CLEANUP_QUEUE + "-dlq").values().stream().allMatch(n -> n == 0),
                "no clean-up dead letters");
        assertEquals(1, sims.site().notifications().stream().filter(n -> "recording.published".equals(n.get("event"))
                && uuid.equals(((JsonNode) n.get("body")).path("id").asText())).count(), "one recording.published");
    }

    @Test
    void aCopyOfAnIngestedMessageFollowsAWorkflowWhoseCheckWasNeverQueued() throws Exception {
        // as if the instance died between Opencast's answer and queueing the first check: no checks are taken,
        // and the one that was queued is gone
        runtime.camelContext().getRouteController().stopRoute("opencast-workflow-check");
        String uuid = "wf-crash" + UUID.randomUUID() + "==";
        try {
            sendRecording(uuid);
            awaitState(uuid, "SENT_TO_OPENCAST");
            // the check that was queued is taken away (once its delay is over); a purge would race with later sends
            String workflows = sqs.getQueueUrl(q -> q.queueName("camelcast-opencast-workflows")).queueUrl();
            awaitTrue(() -> {
                sqs.receiveMessage(b -> b.queueUrl(workflows).waitTimeSeconds(1).maxNumberOfMessages(10)).messages()
                        .forEach(m -> sqs.deleteMessage(d -> d.queueUrl(workflows).receiptHandle(m.receiptHandle())));
                return FlowTests.queueCounts(sqs, "camelcast-opencast-workflows").values().stream().allMatch(n -> n == 0);
            }, "no check left");
        } finally {
            runtime.camelContext().getRouteController().startRoute("opencast-workflow-check");
        }
        // the staged message comes again (SQS redelivers what the dead instance never deleted)
        String copy = JSON.writeValueAsString(Map.of("uuid", uuid, "zip_id", "auto-ingest-" + uuid, "opencast_series_id", SERIES));
        sqs.sendMessage(b -> b.queueUrl(sqs.getQueueUrl(q -> q.queueName("camelcast-recordings-staged")).queueUrl()).messageBody(copy));

        awaitState(uuid, "OPENCAST_SUCCEEDED");
        awaitNotification("recording.published", uuid);
        awaitTrue(() -> deletionsOf(uuid).size() == 1, "trashed in Zoom");
        assertEquals(1, sims.opencast().ingests().stream().filter(i -> MediapackageIds.deterministic(uuid).equals(i.get("mediapackageId")))
                .count(), "the copy ingested nothing again");
    }

    @Test
    void aZoomThatKeepsFailingDeadLettersTheCleanUpAndAReplayTrashesOnce() throws Exception {
        // more 500s than camelcast.zoom.max-redeliveries (3) allows: the clean-up ends in its DLQ
        sims.zoom().faults().add(new Faults.Fault(500, 4, 0, "/v2/meetings/", "DELETE", null, null));
        String uuid = "wf-zoomdown" + UUID.randomUUID() + "==";
        sendRecording(uuid);
        awaitState(uuid, "OPENCAST_SUCCEEDED");
        awaitTrue(() -> FlowTests.queueCounts(sqs, CLEANUP_QUEUE + "-dlq").get("ApproximateNumberOfMessages") == 1,
                "the clean-up in camelcast-zoom-cleanup-dlq");
        assertTrue(sims.zoom().faults().list().isEmpty(), "one try and three redeliveries: " + sims.zoom().faults().list());
        assertEquals(List.of(), deletionsOf(uuid));

        HttpResponse<String> replay = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/dlq/"
                + CLEANUP_QUEUE + "/replay")).header("X-Api-Key", API_KEY).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, replay.statusCode(), replay.body());
        awaitTrue(() -> deletionsOf(uuid).size() == 1, "the replayed clean-up trashed the recording");
        assertEquals(List.of(Map.of("meetingUuid", uuid, "action", "trash")), deletionsOf(uuid));
    }

    @Test
    void aFailedWorkflowIsOpencastFailedWithItsOperationNotifiedAndNeverDeletedInZoom() throws Exception {
        HttpResponse<String> outcome = HTTP.send(HttpRequest.newBuilder(URI.create(sims.opencast().url() + "/_sim/workflows/outcome"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"state\":\"FAILED\",\"count\":1}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, outcome.statusCode(), outcome.body());
        String uuid = "wf-failed" + UUID.randomUUID() + "==";
        sendRecording(uuid);

        JsonNode recording = awaitState(uuid, "OPENCAST_FAILED");
        String reason = recording.path("reason").asText();
        assertTrue(reason.contains("failed at operation encode"), "Opencast's reason, the failed operation: " + reason);
        JsonNode failed = awaitNotification("recording.failed", uuid);
        assertEquals("OPENCAST_FAILED", failed.path("state").asText());
        assertEquals(reason, failed.path("reason").asText());

        // even a clean-up message for it (a mistaken replay) leaves the recording in Zoom
        String stray = JSON.writeValueAsString(Map.of("zip_id", "auto-ingest-" + uuid, "uuid", uuid));
        sqs.sendMessage(b -> b.queueUrl(sqs.getQueueUrl(q -> q.queueName(CLEANUP_QUEUE)).queueUrl()).messageBody(stray));
        awaitTrue(() -> FlowTests.queueCounts(sqs, CLEANUP_QUEUE).values().stream().allMatch(n -> n == 0),
                "the stray message was taken from the clean-up queue");
        assertEquals(List.of(), deletionsOf(uuid), "no deletion after a failed workflow");
        HttpResponse<String> listing = zoomApi("/v2/meetings/" + doubleEncode(uuid) + "/recordings");
        assertEquals(200, listing.statusCode(), "the recording is still in Zoom");
        assertEquals("OPENCAST_FAILED", recording(uuid).path("state").asText());
    }

    // ---- helpers ---------------------------------------------------------------------------------

    static void sendRecording(String uuid) throws Exception {
        long meeting = MEETINGS.incrementAndGet();
        ObjectNode event = sims.zoom().recordingCompletedEvent(uuid, meeting, "MEDIA E-200",
                Instant.now().minusSeconds(7200).toString(), 60, 256 * 1024);
        HttpResponse<String> r = sims.zoom().sendWebhook(URI.create("http://127.0.0.1:" + port + "/zoom/webhook"), SECRET,
                event.toString());
        assertEquals(200, r.statusCode(), r.body());
    }

    static JsonNode recording(String uuid) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/recordings/"
                    + URLEncoder.encode(uuid, StandardCharsets.UTF_8))).header("X-Api-Key", API_KEY).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.createObjectNode();
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    static JsonNode awaitState(String uuid, String state) throws Exception {
        awaitTrue(() -> state.equals(recording(uuid).path("state").asText()), uuid + " reaches " + state);
        JsonNode r = recording(uuid);
        assertEquals(state, r.path("zip_ingests").get(0).path("status").asText(), "the attempt's status says so too");
        return r;
    }

    static List<String> history(JsonNode recording) {
        List<String> states = new ArrayList<>();
        recording.path("zip_ingests").get(0).path("history").forEach(h -> states.add(h.path("state").asText()));
        return states;
    }

    static JsonNode awaitNotification(String event, String uuid) throws Exception {
        JsonNode[] found = new JsonNode[1];
        awaitTrue(() -> {
            for (Map<String, Object> n : sims.site().notifications()) {
                JsonNode body = (JsonNode) n.get("body");
                if (event.equals(n.get("event")) && uuid.equals(body.path("id").asText())) {
                    assertEquals(Boolean.TRUE, n.get("valid_signature"));
                    found[0] = body;
                    return true;
                }
            }
            return false;
        }, event + " for " + uuid + " at the notification receiver");
        return found[0];
    }

    static List<Map<String, Object>> deletionsOf(String uuid) {
        return sims.zoom().deletions().stream().filter(d -> uuid.equals(d.get("meetingUuid"))).toList();
    }

    static HttpResponse<String> zoomApi(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(sims.zoom().url() + path))
                .header("Authorization", "Bearer " + sims.zoom().issueAccessToken()).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String doubleEncode(String uuid) {
        return URLEncoder.encode(URLEncoder.encode(uuid, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void awaitTrue(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (System.nanoTime() < deadline) {
            if (check.ok()) {
                return;
            }
            Thread.sleep(100);
        }
        assertFalse(true, "timed out waiting: " + what);
    }
}
