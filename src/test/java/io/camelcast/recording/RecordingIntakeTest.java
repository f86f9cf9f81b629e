package io.camelcast.recording;

import io.camelcast.store.RecordingEvent;

import io.camelcast.store.RecordingStatus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.embedded.EmbeddedServices;
import io.camelcast.http.Refused;
import io.camelcast.zoom.DownloadHosts;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed's tests/test_webhook.py and tests/test_utils_status.py rules, on the intake and status beans
 * with a real Redis (no Camel).
 */
class RecordingIntakeTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2020-01-10T02:00:00Z");

    @TempDir
    static Path dir;
    static EmbeddedServices services;
    static UnifiedJedis redis;
    static RecordingStatus status;
    static RecordingIntake intake;

    @BeforeAll
    static void start() throws Exception {
        services = EmbeddedServices.start(new EmbeddedServices.Options(dir, false, false, true, 0, 0, 0, "k", "s",
                "us-east-1", List.of(), List.of()));
        redis = RedisClient.create(URI.create(services.redisUrl()));
        status = new RecordingStatus(redis, 7, Clock.systemUTC());
        intake = new RecordingIntake(status, new DownloadHosts("zoom.us,*.zoom.us"), 300, Clock.fixed(NOW, ZoneOffset.UTC));
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

    /** The seed's conftest webhook_payload. */
    static ObjectNode payload(boolean onDemand) throws Exception {
        ObjectNode p = (ObjectNode) JSON.readTree("""
                {"payload": {"object": {"id": 1, "uuid": "abc", "host_id": "efg", "topic": "Class Section Meeting",
                  "start_time": "2020-01-09T19:50:46Z", "duration": 10,
                  "recording_files": [
                    {"id": "123456-789", "recording_start": "2020-01-09T19:50:46Z", "recording_end": "2020-01-09T20:50:46Z",
                     "download_url": "https://zoom.us/rec/play/some-long-id", "file_type": "MP4",
                     "recording_type": "shared_screen_with_speaker_view"},
                    {"id": "987654-321", "recording_start": "2020-01-09T19:50:46Z", "recording_end": "2020-01-09T20:50:46Z",
                     "download_url": "https://zoom.us/rec/play/another-long-id", "file_type": "CHAT", "recording_type": "chat_file"}]},
                  "allow_multiple_ingests": false},
                 "event": "recording.completed", "event_ts": 1578621046000, "download_token": "mock_download_token"}""");
        if (onDemand) {
            p.put("event", "on.demand.ingest");
            p.with("payload").put("zip_id", "on-demand-12345-abcde");
        }
        return p;
    }

    static ZoomEvent classify(JsonNode body) {
        return intake.classify(body.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void notJsonNoEventNoPayloadAre400AndUnknownEventsAreIgnored() {
        assertEquals(400, assertThrows(Refused.class, () -> intake.classify(new byte[0])).getStatus());
        assertTrue(assertThrows(Refused.class, () -> intake.classify("abc".getBytes())).getMessage().contains("not valid json"));
        assertTrue(assertThrows(Refused.class, () -> intake.classify("{\"no event type in here\": 123}".getBytes()))
                .getMessage().toLowerCase().contains("no event type"));
        assertTrue(assertThrows(Refused.class, () -> intake.classify("{\"not a payload\": 123, \"event\": \"recording.completed\"}"
                .getBytes())).getMessage().toLowerCase().contains("missing payload"));
        assertEquals(ZoomEvent.IGNORE, intake.classify("{\"event\": \"meeting.created\"}".getBytes()).getAction());
    }

    @Test
    void anInvalidPayloadIsBadData() {
        Refused r = assertThrows(Refused.class, () -> intake.accept(classify(JSON.readTree(
                "{\"payload\": \"invalid payload\", \"event\": \"recording.completed\", \"download_token\": \"t\"}"))));
        assertEquals(400, r.getStatus());
        assertTrue(r.getMessage().toLowerCase().contains("bad data"), r.getMessage());
    }

    @Test
    void requiredObjectAndFileFieldsAsTheSeed() throws Exception {
        ObjectNode noFiles = payload(false);
        noFiles.with("payload").with("object").remove("recording_files");
        assertTrue(assertThrows(Refused.class, () -> intake.accept(classify(noFiles))).getMessage()
                .contains("Missing required object field 'recording_files'"));
        ObjectNode noObject = payload(false);
        noObject.with("payload").remove("object");
        assertTrue(assertThrows(Refused.class, () -> intake.accept(classify(noObject))).getMessage().contains("missing uuid"));
        ObjectNode noFileId = payload(false);
        ((ObjectNode) noFileId.with("payload").with("object").withArray("recording_files").get(0)).remove("id");
        assertTrue(assertThrows(Refused.class, () -> intake.accept(classify(noFileId))).getMessage()
                .contains("Missing required file field 'id'"));
        ObjectNode noToken = payload(false);
        noToken.remove("download_token");
        assertEquals("Missing download token", assertThrows(Refused.class, () -> intake.accept(classify(noToken))).getMessage());
        ObjectNode processing = payload(false);
        ((ObjectNode) processing.with("payload").with("object").withArray("recording_files").get(0)).put("status", "processing");
        assertTrue(assertThrows(Refused.class, () -> intake.accept(classify(processing))).getMessage()
                .contains("File with incomplete status processing"));
    }

    @Test
    void noMp4Is204ForZoomAnd400OnDemandAndIgnored() throws Exception {
        for (boolean onDemand : new boolean[] {false, true}) {
            ObjectNode p = payload(onDemand);
            ((ObjectNode) p.with("payload").with("object").withArray("recording_files").get(0)).put("file_type", "foo");
            Refused r = assertThrows(Refused.class, () -> intake.accept(classify(p)));
            assertEquals(onDemand ? 400 : 204, r.getStatus());
            assertEquals("No mp4 files in recording data", r.getMessage());
        }
        assertEquals("IGNORED", status.state("auto-ingest-abc"));
    }

    @Test
    void theDownloadMessageIsTheSeedsWithAFiveMinuteDelayForWebhooksOnly() throws Exception {
        Accepted a = intake.accept(classify(payload(false)));
        assertEquals("auto-ingest-abc", a.getZipId());
        assertEquals(300, a.getDelaySeconds());
        JsonNode m = JSON.readTree(a.getMessage());
        assertEquals("abc", m.path("uuid").asText());
        assertEquals(1, m.path("zoom_series_id").asInt());
        assertEquals("Class Section Meeting", m.path("topic").asText());
        assertEquals("2020-01-09T19:50:46Z", m.path("start_time").asText());
        assertEquals(10, m.path("duration").asInt());
        assertEquals("efg", m.path("host_id").asText());
        assertEquals("mock_download_token", m.path("download_token").asText());
        assertFalse(m.path("on_demand_ingest").asBoolean());
        assertFalse(m.path("allow_multiple_ingests").asBoolean());
        assertFalse(m.path("ingest_all_mp4").asBoolean());
        assertEquals("2020-01-10T02:00:00Z", m.path("received_time").asText());
        assertEquals(2, m.path("recording_files").size());
        JsonNode f = m.path("recording_files").get(0);
        assertEquals(List.of("recording_id", "recording_start", "recording_end", "download_url", "file_type", "recording_type"),
                JSON.convertValue(f, Map.class).keySet().stream().toList());
        // (now - (start + duration)) // 60, as estimated_processing_mins
        assertEquals(359, m.path("zoom_processing_minutes").asLong());

        Accepted od = intake.accept(classify(payload(true)));
        assertEquals("on-demand-12345-abcde", od.getZipId());
        assertEquals(0, od.getDelaySeconds());
        assertTrue(JSON.readTree(od.getMessage()).path("on_demand_ingest").asBoolean());
        assertFalse(JSON.readTree(od.getMessage()).has("zoom_processing_minutes"));
    }

    @Test
    void startedAndPausedUpdateTheStatusAndKeepTheEventTimes() throws Exception {
        for (String[] c : new String[][] {{"recording.started", "RECORDING_IN_PROGRESS"}, {"recording.paused", "RECORDING_PAUSED"}}) {
            ObjectNode e = (ObjectNode) JSON.readTree("{\"event\": \"" + c[0] + "\", \"event_ts\": 1578621046000, \"payload\": "
                    + "{\"object\": {\"id\": \"12345678\", \"uuid\": \"mock_uuid\", \"start_time\": \"mock_start_time\", \"topic\": \"mock_topic\"}}}");
            ZoomEvent ev = classify(e);
            assertEquals(ZoomEvent.STATUS, ev.getAction());
            intake.statusEvent(ev);
            assertEquals(c[1], status.state("auto-ingest-mock_uuid"));
        }
        assertEquals(List.of(new RecordingEvent("recording.started", 1578621046L), new RecordingEvent("recording.paused", 1578621046L)),
                status.events("mock_uuid"));
        assertEquals("12345678", redis.hget("camelcast:status:auto-ingest-mock_uuid", "meeting_id"));
        assertEquals("webhook_notification", redis.hget("camelcast:status:auto-ingest-mock_uuid", "origin"));
    }

    @Test
    void meetingEndedMovesOnlyATrackedRecordingToProcessing() throws Exception {
        String ended = "{\"event\": \"meeting.ended\", \"payload\": {\"object\": {\"id\": \"12345678\", \"uuid\": \"mock_uuid\", "
                + "\"start_time\": \"mock_start_time\", \"topic\": \"mock_topic\"}}}";
        intake.statusEvent(classify(JSON.readTree(ended)));
        assertNull(status.state("auto-ingest-mock_uuid"), "a meeting that was never recorded is not tracked");
        intake.statusEvent(classify(JSON.readTree(ended.replace("meeting.ended", "recording.stopped"))));
        intake.statusEvent(classify(JSON.readTree(ended)));
        assertEquals("RECORDING_PROCESSING", status.state("auto-ingest-mock_uuid"));
        intake.statusEvent(classify(JSON.readTree(ended.replace("meeting.ended", "recording.started"))));
        assertEquals("RECORDING_PROCESSING", status.state("auto-ingest-mock_uuid"), "never back to in progress");
    }

    @Test
    void aStatusUpdateWithoutIdentityIsDroppedUnlessTheRecordWasTrackedFromTheStart() {
        assertFalse(status.set("zip-untracked", RecordingStatus.SENT_TO_UPLOADER));
        assertNull(status.state("zip-untracked"));
        assertTrue(status.set("zip-1", RecordingStatus.WEBHOOK_RECEIVED, "", Map.of("meeting_id", "7", "origin", "webhook_notification",
                "recording_id", "u1", "topic", "T", "recording_start_time", "2020-01-09T19:50:46Z")));
        assertTrue(status.set("zip-1", RecordingStatus.IGNORED, "No opencast series match"));
        assertEquals("No opencast series match", redis.hget("camelcast:status:zip-1", "reason"));
        assertTrue(status.set("zip-1", RecordingStatus.SENT_TO_OPENCAST));
        assertEquals("", redis.hget("camelcast:status:zip-1", "reason"), "the seed clears the reason on each update");
        assertTrue(redis.ttl("camelcast:status:zip-1") > 6 * 86_400, "kept 7 days");

        Map<String, Object> meeting = status.byMeeting("7");
        assertEquals(7L, meeting.get("meeting_id"));
        assertEquals("T", meeting.get("topic"));
        assertThrows(Refused.class, () -> status.query(null, "3601"));
        assertThrows(Refused.class, () -> status.query("abc", null));
        assertThrows(Refused.class, () -> status.query(null, null));
        assertTrue(status.query(null, "60").toString().contains("zip_ingests"));
        assertEquals(404, assertThrows(Refused.class, () -> status.recording("nope")).getStatus());
    }
}
