package io.camelcast.opencast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelcast.embedded.EmbeddedServices;
import io.camelcast.store.RecordingStatus;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The workflow tracking bean without Camel: Opencast's workflow JSON read as a verdict, and the end once, on a real Redis. */
class WorkflowTrackingTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @TempDir
    static Path dir;
    static EmbeddedServices services;
    static UnifiedJedis redis;
    static RecordingStatus status;

    @BeforeAll
    static void start() throws Exception {
        services = EmbeddedServices.start(new EmbeddedServices.Options(dir, false, false, true, 0, 0, 0, "k", "s",
                "us-east-1", List.of(), List.of()));
        redis = RedisClient.create(URI.create(services.redisUrl()));
        status = new RecordingStatus(redis, 7, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        redis.close();
        services.close();
    }

    @BeforeEach
    void flush() {
        redis.flushAll();
    }

    /** The External API's workflow instance (GET /api/workflows/{id}?withoperations=true) in Opencast's shape. */
    static JsonNode workflow(String state, String... opStates) throws IOException {
        StringBuilder ops = new StringBuilder();
        String[] names = {"defaults", "inspect", "encode", "publish-engage"};
        for (int i = 0; i < opStates.length; i++) {
            ops.append(i == 0 ? "" : ",").append("{\"identifier\": ").append(100 + i).append(", \"operation\": \"").append(names[i])
                    .append("\", \"description\": \"step ").append(i).append("\", \"state\": \"").append(opStates[i]).append("\"}");
        }
        return JSON.readTree("{\"identifier\": 1203, \"title\": \"Schedule and upload\", \"state\": \"" + state
                + "\", \"workflow_definition_identifier\": \"schedule-and-upload\", \"event_identifier\": \"mp-1\", \"operations\": ["
                + ops + "]}");
    }

    @Test
    void opencastsWorkflowStatesAreReadAsAVerdictWithTheFailedOperation() throws Exception {
        assertEquals(new WorkflowTracking.Verdict("SUCCEEDED", ""),
                WorkflowTracking.verdict(workflow("succeeded", "succeeded", "succeeded", "succeeded", "succeeded")));
        assertEquals(new WorkflowTracking.Verdict("FAILED", "Opencast workflow 1203 failed at operation encode (step 2)"),
                WorkflowTracking.verdict(workflow("failed", "succeeded", "succeeded", "failed", "instantiated")));
        assertEquals("FAILED", WorkflowTracking.verdict(workflow("stopped", "succeeded", "instantiated")).state());
        assertEquals(new WorkflowTracking.Verdict("RUNNING", "still running at operation inspect"),
                WorkflowTracking.verdict(workflow("running", "succeeded", "running", "instantiated")));
        // failing runs the error handler and ends failed; paused waits (a hold): both are followed on
        assertEquals("RUNNING", WorkflowTracking.verdict(workflow("failing", "succeeded", "failed")).state());
        assertEquals("RUNNING", WorkflowTracking.verdict(workflow("paused", "succeeded", "paused")).state());
        // the workflow service's own JSON: {"workflow": {"id", "state" upper case, "operations": {"operation": [...]}}}
        JsonNode service = JSON.readTree("{\"workflow\": {\"id\": 77, \"state\": \"FAILED\", \"operations\": {\"operation\": "
                + "[{\"id\": \"inspect\", \"state\": \"SUCCEEDED\"}, {\"id\": \"publish-engage\", \"state\": \"FAILED\"}]}}}");
        assertEquals(new WorkflowTracking.Verdict("FAILED", "Opencast workflow 77 failed at operation publish-engage"),
                WorkflowTracking.verdict(service));
    }

    static String tracked(String zipId) {
        status.set(zipId, RecordingStatus.WEBHOOK_RECEIVED, "", Map.of("meeting_id", "123", "origin", "webhook_notification",
                "recording_id", "uuid-" + zipId));
        status.set(zipId, RecordingStatus.SENT_TO_OPENCAST);
        return zipId;
    }

    static WorkflowCheck check(String zipId, Instant ingested) {
        return new WorkflowCheck(zipId, "uuid-" + zipId, "mp-" + zipId, "1203", null, ingested.toEpochMilli(), 0);
    }

    @Test
    void aRunningWorkflowIsCheckedAgainAndAnEndedOneChangesTheStateOnce() throws Exception {
        WorkflowTracking t = new WorkflowTracking(status, redis, 5, 60, Clock.fixed(NOW, ZoneOffset.UTC));
        WorkflowCheck c = check(tracked("auto-ingest-a"), NOW.minusSeconds(30));
        assertEquals("RUNNING", t.checked(c, 200, workflow("running", "running").toString()));
        assertEquals("SENT_TO_OPENCAST", status.state(c.zipId()));
        assertEquals("RUNNING", t.checked(c, 404, "Not Found"), "a workflow Opencast does not know yet is looked at again");
        assertEquals(5, t.delaySeconds());
        assertEquals(1, JSON.readTree(t.again(c)).path("checks").asInt());

        assertEquals("SUCCEEDED", t.checked(c, 200, workflow("succeeded", "succeeded").toString()));
        assertEquals("OPENCAST_SUCCEEDED", status.state(c.zipId()));
        long history = redis.llen("camelcast:status:" + c.zipId() + ":history");
        // a copy of the check (a redelivery) hands the success on again, but the record does not change twice
        assertEquals("SUCCEEDED", t.checked(c, 200, workflow("succeeded", "succeeded").toString()));
        assertEquals(history, redis.llen("camelcast:status:" + c.zipId() + ":history"));
        JsonNode published = JSON.readTree(t.published(c));
        assertEquals("uuid-auto-ingest-a", published.path("uuid").asText());
        assertEquals("auto-ingest-a", published.path("zip_id").asText());
    }

    @Test
    void aFailedWorkflowIsOpencastFailedWithItsReasonAndAnEndlessOneIsGivenUp() throws Exception {
        WorkflowTracking t = new WorkflowTracking(status, redis, 1200, 60, Clock.fixed(NOW, ZoneOffset.UTC));
        assertEquals(900, t.delaySeconds(), "SQS delays a message 15 minutes at most");
        WorkflowCheck failed = check(tracked("auto-ingest-f"), NOW.minusSeconds(60));
        assertEquals("FAILED", t.checked(failed, 200, workflow("failed", "succeeded", "failed").toString()));
        assertEquals("OPENCAST_FAILED", status.state(failed.zipId()));
        assertEquals("Opencast workflow 1203 failed at operation inspect (step 1)", redis.hget("camelcast:status:" + failed.zipId(), "reason"));

        WorkflowCheck endless = new WorkflowCheck(tracked("auto-ingest-e"), "uuid-e", "mp-e", "1300", null,
                NOW.minusSeconds(61 * 60).toEpochMilli(), 60);
        assertEquals("FAILED", t.checked(endless, 200, workflow("paused", "succeeded", "paused").toString()));
        assertEquals("OPENCAST_FAILED", status.state(endless.zipId()));
        String reason = redis.hget("camelcast:status:" + endless.zipId(), "reason");
        assertTrue(reason.startsWith("gave up following Opencast workflow 1300 after 61 minutes: still paused"), reason);
    }

    @Test
    void anOpencastErrorIsThrownForTheRetriesAndAMessageWithoutWorkflowIsRefused() {
        WorkflowTracking t = new WorkflowTracking(status, redis, 5, 60, Clock.fixed(NOW, ZoneOffset.UTC));
        WorkflowCheck c = check(tracked("auto-ingest-x"), NOW);
        assertThrows(IOException.class, () -> t.checked(c, 503, "busy"));
        assertEquals("SENT_TO_OPENCAST", status.state(c.zipId()));
        assertThrows(IllegalArgumentException.class, () -> t.read("{\"zip_id\": \"z\"}"));
        assertThrows(IllegalArgumentException.class, () -> new WorkflowTracking(status, redis, 0, 60, Clock.systemUTC()));
    }
}
