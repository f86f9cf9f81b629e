package io.camelcast.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The staged-recording message keeps the seed's upload message, field for field, through a read and a write. */
class StagedRecordingTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theSeedsUploadMessageSurvivesAReadAndAWrite() throws Exception {
        String seed = """
                {"uuid":"W/8x+Z0nQIe0yGw8KJqBxA==","zoom_series_id":86012345678,"opencast_series_id":"20270112345",
                 "oc_title":"Lecture","topic":"CSCI E-101","created":"2026-11-17T15:00:00Z","created_local":"2026-11-17T10:00:00Z",
                 "webhook_received_time":"2026-11-17T16:05:00Z","zip_id":"auto-ingest-W/8x+Z0nQIe0yGw8KJqBxA==",
                 "s3_files":{"speaker":{"segments":[{"filename":"86012345678/1794927600/000-speaker.mp4","segment_num":0,
                   "recording_start":"2026-11-17T15:00:00Z","recording_end":"2026-11-17T16:00:00Z","ffprobe_bytes":1048576,
                   "ffprobe_seconds":3600.5,"bytes":1048576,"sha256":"ab12"}],"view_bytes":1048576,"view_seconds":3600.5}},
                 "total_file_bytes":1048576,"total_file_seconds":3600.5,"total_segment_seconds":3600.5,
                 "allow_multiple_ingests":true,"zoom_processing_minutes":12,"ingest_all_mp4":false,"oc_workflow":null}""";
        StagedRecording read = JSON.readValue(seed, StagedRecording.class);
        assertTrue(read.isAllowMultipleIngests());
        assertFalse(read.isIngestAllMp4());
        assertEquals("86012345678", read.zoomSeriesId().asText());
        assertEquals(3600.5, read.s3Files().get("speaker").segments().get(0).ffprobeSeconds());
        JsonNode written = JSON.readTree(JSON.writeValueAsString(read));
        assertEquals(JSON.readTree(seed), written, "no field lost, renamed or retyped");
    }

    @Test
    void fieldsTheRequestDidNotCarryStayAbsent() throws Exception {
        StagedRecording minimal = JSON.readValue("{\"uuid\":\"u\",\"zip_id\":\"z\",\"opencast_series_id\":\"s\"}", StagedRecording.class);
        JsonNode written = JSON.readTree(JSON.writeValueAsString(minimal));
        assertFalse(written.has("allow_multiple_ingests"));
        assertFalse(written.has("oc_workflow"));
        assertFalse(minimal.isAllowMultipleIngests());
    }
}
