package io.camelcast.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The simulators' parts for issue 23 (items 2, 3): an Opencast workflow runs its operations one after the other
 * and succeeds, or fails at one operation, as the External API shows it; Zoom's
 * {@code DELETE /v2/meetings/{uuid}/recordings?action=} takes the recording out of the listing and is recorded
 * at {@code GET /_sim/deletions} with the uuid as Zoom's webhook carried it.
 */
class OpencastWorkflowsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    static OpencastWorkflows.Started started(String failsAt) {
        return new OpencastWorkflows.Started(1001, "mp-1", "schedule-and-upload", T0, 6_000, failsAt);
    }

    static List<String> states(JsonNode wf) {
        List<String> out = new ArrayList<>();
        wf.path("operations").forEach(o -> out.add(o.path("state").asText()));
        return out;
    }

    @Test
    void aWorkflowRunsItsOperationsThenSucceedsOrFailsAtOneOperation() {
        JsonNode running = OpencastWorkflows.instance(started(null), true, T0.plusMillis(1500));
        assertEquals("running", running.path("state").asText());
        assertEquals(List.of("succeeded", "running", "instantiated", "instantiated", "instantiated", "instantiated"), states(running));
        JsonNode done = OpencastWorkflows.instance(started(null), true, T0.plusSeconds(7));
        assertEquals("succeeded", done.path("state").asText());
        assertEquals("mp-1", done.path("event_identifier").asText());
        assertEquals(1001, done.path("identifier").asLong());
        JsonNode failed = OpencastWorkflows.instance(started("encode"), true, T0.plusSeconds(7));
        assertEquals("failed", failed.path("state").asText());
        assertEquals(List.of("succeeded", "succeeded", "failed", "instantiated", "instantiated", "instantiated"), states(failed));
        assertEquals("running", OpencastWorkflows.instance(started("publish-engage"), false, T0.plusMillis(2500)).path("state").asText(),
                "it fails only once that operation ran");
        assertEquals(0, OpencastWorkflows.instance(started(null), false, T0).path("operations").size(), "withoperations=false");
    }

    @Test
    void theOutcomeAppliesToTheNextWorkflowsOnly() {
        OpencastWorkflows w = new OpencastWorkflows();
        w.setDuration(java.time.Duration.ZERO);
        w.outcome("FAILED", 1, "publish-engage");
        w.started(1, "mp-a", "fast");
        w.started(2, "mp-b", "fast");
        // duration 0: both ended at once; only the first was told to fail
        assertEquals(List.of("failed", "succeeded"), List.of(state(w, 1), state(w, 2)));
    }

    static String state(OpencastWorkflows w, long id) {
        return w.instanceNow(id).path("state").asText();
    }

    @Test
    void zoomsRecordingDeleteTrashesOnceAndIsRecorded() throws Exception {
        try (ZoomSimulator zoom = new ZoomSimulator()) {
            zoom.start(0);
            String uuid = "/ab//cd==";
            zoom.registerRecording(JSON.createObjectNode().put("uuid", uuid));
            HttpClient http = HttpClient.newHttpClient();
            String path = zoom.url() + "/v2/meetings/" + URLEncoder.encode(URLEncoder.encode(uuid, StandardCharsets.UTF_8),
                    StandardCharsets.UTF_8) + "/recordings";
            String token = "Bearer " + zoom.issueAccessToken();
            HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(path + "?action=trash")).header("Authorization", token)
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(204, first.statusCode());
            HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(path + "?action=trash")).header("Authorization", token)
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, again.statusCode(), "gone from the listing");
            assertEquals(3301, JSON.readTree(again.body()).path("code").asInt());
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(path)).header("Authorization", token).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<String> deletions = http.send(HttpRequest.newBuilder(URI.create(zoom.url() + "/_sim/deletions")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(List.of(Map.of("meetingUuid", uuid, "action", "trash")), JSON.readValue(deletions.body(), List.class));
            HttpResponse<String> unauthorised = http.send(HttpRequest.newBuilder(URI.create(path + "?action=delete")).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, unauthorised.statusCode());
        }
    }
}
