package io.camelcast.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The download message keeps the seed's shape through a read and a write, so a message queued by an older
 * version (or replayed from the DLQ) is fetched as it was.
 */
class IncomingRecordingTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static final String SEED = """
            {"uuid":"W/8x+Z0nQIe0yGw8KJqBxA==","zoom_series_id":86012345678,"topic":"CSCI E-101",
             "start_time":"2026-11-17T15:00:00Z","duration":61,"host_id":"h1",
             "recording_files":[{"recording_id":"f1","recording_start":"2026-11-17T15:00:00Z",
               "recording_end":"2026-11-17T16:00:00Z","download_url":"https://zoom.us/rec/download/f1",
               "file_type":"MP4","recording_type":"shared_screen_with_speaker_view"}],
             "on_demand_ingest":true,"zip_id":"on-demand-1","received_time":"2026-11-17T16:05:00Z",
             "download_token":"t","allow_multiple_ingests":"true","ingest_all_mp4":false,
             "on_demand_series_id":"20270112345","oc_workflow":"DCE-production","ignore_schedule":true,
             "zoom_total_size_bytes":1048576,"targets":["opencast","archive"]}""";

    @Test
    void theSeedsDownloadMessageSurvivesAReadAndAWrite() throws Exception {
        IncomingRecording read = JSON.readValue(SEED, IncomingRecording.class);
        assertEquals(61, read.durationMinutes());
        assertEquals("86012345678", read.zoomSeriesId().asText());
        assertEquals("f1", read.recordingFiles().get(0).recordingId());
        assertTrue(read.skipsSchedule());
        assertEquals("20270112345", IncomingRecording.text(read.onDemandSeriesId()));
        assertEquals(List.of("opencast", "archive"), read.targets());
        assertEquals(JSON.readTree(SEED), JSON.readTree(JSON.writeValueAsString(read)), "no field lost, renamed or retyped");
    }

    @Test
    void anOlderMessageWithoutTargetsOrOptionsReadsAndStaysAsItWas() throws Exception {
        String old = "{\"uuid\":\"u\",\"zip_id\":\"z\",\"zoom_series_id\":1,\"start_time\":\"2026-11-17T15:00:00Z\","
                + "\"duration\":\"x\",\"something_new\":1}";
        IncomingRecording read = JSON.readValue(old, IncomingRecording.class);
        assertNull(read.targets());
        assertEquals(0, read.durationMinutes(), "a duration that is not a number reads as 0 minutes");
        assertFalse(read.skipsSchedule());
        assertNull(IncomingRecording.text(read.overrideSeriesId()));
        JsonNode written = JSON.readTree(JSON.writeValueAsString(read));
        assertFalse(written.has("targets"));
        assertFalse(written.has("oc_workflow"));
        assertEquals(List.of("opencast"), read.withTargets(List.of("opencast")).targets());
    }
}
