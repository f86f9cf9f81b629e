package io.camelcast.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * What {@code camelcast-recordings-staged} carries from the fetch stage to the Opencast stage: the seed's
 * upload message (zoom_downloader.py → zoom_uploader.py), field for field and in its JSON names, read once
 * with Jackson. Fields the on-demand request may carry ({@code allow_multiple_ingests}, {@code ingest_all_mp4},
 * {@code oc_workflow}, {@code zoom_processing_minutes}) are kept as they came and left out when absent.
 * {@code account} is the recording's Zoom account (as in {@link IncomingRecording}), left out for the default one.
 * {@code host_email} (ours: the owner map's key) is left out when unknown.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record StagedRecording(
        String uuid,
        @JsonProperty("zoom_series_id") JsonNode zoomSeriesId,
        @JsonProperty("opencast_series_id") String opencastSeriesId,
        @JsonProperty("oc_title") String ocTitle,
        String topic,
        String created,
        @JsonProperty("created_local") String createdLocal,
        @JsonProperty("webhook_received_time") String webhookReceivedTime,
        @JsonProperty("zip_id") String zipId,
        @JsonProperty("s3_files") Map<String, View> s3Files,
        @JsonProperty("total_file_bytes") long totalFileBytes,
        @JsonProperty("total_file_seconds") double totalFileSeconds,
        @JsonProperty("total_segment_seconds") double totalSegmentSeconds,
        @JsonProperty("allow_multiple_ingests") JsonNode allowMultipleIngests,
        @JsonProperty("zoom_processing_minutes") JsonNode zoomProcessingMinutes,
        @JsonProperty("ingest_all_mp4") JsonNode ingestAllMp4,
        @JsonProperty("oc_workflow") JsonNode ocWorkflow,
        String account,
        @JsonProperty("host_email") String hostEmail) {

    /** A message of the default Zoom account without a host email (as staged before either existed). */
    public StagedRecording(String uuid, JsonNode zoomSeriesId, String opencastSeriesId, String ocTitle, String topic,
                           String created, String createdLocal, String webhookReceivedTime, String zipId,
                           Map<String, View> s3Files, long totalFileBytes, double totalFileSeconds,
                           double totalSegmentSeconds, JsonNode allowMultipleIngests, JsonNode zoomProcessingMinutes,
                           JsonNode ingestAllMp4, JsonNode ocWorkflow) {
        this(uuid, zoomSeriesId, opencastSeriesId, ocTitle, topic, created, createdLocal, webhookReceivedTime, zipId, s3Files,
                totalFileBytes, totalFileSeconds, totalSegmentSeconds, allowMultipleIngests, zoomProcessingMinutes,
                ingestAllMp4, ocWorkflow, null, null);
    }

    @JsonCreator
    public StagedRecording {
    }

    /** One view (speaker, shared screen, ...): its files in segment order and their ffprobe totals. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record View(List<Segment> segments, @JsonProperty("view_bytes") long viewBytes,
                       @JsonProperty("view_seconds") double viewSeconds) {
    }

    /**
     * One staged file: its key in the staging bucket, its segment and times, size and checksum; a captions file's
     * language when Zoom named one.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Segment(String filename, @JsonProperty("segment_num") int segmentNum,
                          @JsonProperty("recording_start") String recordingStart,
                          @JsonProperty("recording_end") String recordingEnd,
                          @JsonProperty("ffprobe_bytes") long ffprobeBytes,
                          @JsonProperty("ffprobe_seconds") double ffprobeSeconds, long bytes, String sha256,
                          String language) {

        public Segment(String filename, int segmentNum, String recordingStart, String recordingEnd, long ffprobeBytes,
                       double ffprobeSeconds, long bytes, String sha256) {
            this(filename, segmentNum, recordingStart, recordingEnd, ffprobeBytes, ffprobeSeconds, bytes, sha256, null);
        }

        @JsonCreator
        public Segment {
        }
    }

    public boolean isAllowMultipleIngests() {
        return allowMultipleIngests != null && allowMultipleIngests.asBoolean(false);
    }

    public boolean isIngestAllMp4() {
        return ingestAllMp4 != null && ingestAllMp4.asBoolean(false);
    }
}
