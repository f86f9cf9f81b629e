package io.camelcast.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What {@code camelcast-recordings-incoming} carries from the intake (Zoom webhook, on-demand ingest, backfill)
 * to the fetch stage: the seed's download message (construct_sqs_message in zoom_webhook.py), field for field
 * and in its JSON names, read once with Jackson. Values Zoom or the on-demand caller sent whose type varies
 * (the meeting id, the duration, the on-demand flags) are kept as they came; the optional ones are left out
 * when absent, so a message reads as the seed's did. {@code targets} (camelcast.targets.*) is ours; a message
 * queued before targets existed has none and goes to Opencast. {@code account} (ours too) names the Zoom account
 * the recording belongs to ({@code camelcast.zoom.accounts.<name>}); it is left out for the default account, so a
 * message queued before accounts existed reads as the default account's. {@code host_email} (Zoom's, for the
 * hosts' opt-in / opt-out and the owner map) is ours too; a message queued before it existed has none.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record IncomingRecording(
        String uuid,
        @JsonProperty("zoom_series_id") JsonNode zoomSeriesId,
        String topic,
        @JsonProperty("start_time") String startTime,
        JsonNode duration,
        @JsonProperty("host_id") String hostId,
        @JsonProperty("recording_files") List<File> recordingFiles,
        @JsonProperty("on_demand_ingest") boolean onDemandIngest,
        @JsonProperty("zip_id") String zipId,
        @JsonProperty("received_time") String receivedTime,
        @JsonProperty("download_token") String downloadToken,
        @JsonProperty("allow_multiple_ingests") JsonNode allowMultipleIngests,
        @JsonProperty("ingest_all_mp4") JsonNode ingestAllMp4,
        @JsonProperty("on_demand_series_id") JsonNode onDemandSeriesId,
        @JsonProperty("oc_workflow") JsonNode ocWorkflow,
        @JsonProperty("override_series_id") JsonNode overrideSeriesId,
        @JsonProperty("ignore_schedule") JsonNode ignoreSchedule,
        @JsonProperty("zoom_total_size_bytes") JsonNode zoomTotalSizeBytes,
        @JsonProperty("zoom_processing_minutes") JsonNode zoomProcessingMinutes,
        List<String> targets,
        String account,
        @JsonProperty("host_email") String hostEmail) {

    /**
     * One MP4, chat or captions (CC, TRANSCRIPT) file as the webhook listed it; {@code language} is the captions'
     * language when Zoom's file metadata names one.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record File(@JsonProperty("recording_id") String recordingId,
                       @JsonProperty("recording_start") String recordingStart,
                       @JsonProperty("recording_end") String recordingEnd,
                       @JsonProperty("download_url") String downloadUrl,
                       @JsonProperty("file_type") String fileType,
                       @JsonProperty("recording_type") String recordingType,
                       String language) {

        public File(String recordingId, String recordingStart, String recordingEnd, String downloadUrl, String fileType,
                    String recordingType) {
            this(recordingId, recordingStart, recordingEnd, downloadUrl, fileType, recordingType, null);
        }

        @JsonCreator
        public File {
        }

        /** A Zoom captions file (closed captions or the audio transcript), not a view of the recording. */
        @JsonIgnore
        public boolean isCaptions() {
            return fileType != null && CAPTION_TYPES.contains(fileType.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** Zoom's file types of captions: {@code CC} (closed captions) and {@code TRANSCRIPT} (the audio transcript), WebVTT. */
    public static final java.util.Set<String> CAPTION_TYPES = java.util.Set.of("CC", "TRANSCRIPT");

    /** A message of the default account without a host email (as queued before either existed). */
    public IncomingRecording(String uuid, JsonNode zoomSeriesId, String topic, String startTime, JsonNode duration,
                             String hostId, List<File> recordingFiles, boolean onDemandIngest, String zipId,
                             String receivedTime, String downloadToken, JsonNode allowMultipleIngests, JsonNode ingestAllMp4,
                             JsonNode onDemandSeriesId, JsonNode ocWorkflow, JsonNode overrideSeriesId,
                             JsonNode ignoreSchedule, JsonNode zoomTotalSizeBytes, JsonNode zoomProcessingMinutes,
                             List<String> targets) {
        this(uuid, zoomSeriesId, topic, startTime, duration, hostId, recordingFiles, onDemandIngest, zipId, receivedTime,
                downloadToken, allowMultipleIngests, ingestAllMp4, onDemandSeriesId, ocWorkflow, overrideSeriesId,
                ignoreSchedule, zoomTotalSizeBytes, zoomProcessingMinutes, targets, null, null);
    }

    @JsonCreator
    public IncomingRecording {
        recordingFiles = recordingFiles == null ? List.of() : List.copyOf(recordingFiles);
    }

    /** The same message going to these targets. */
    public IncomingRecording withTargets(List<String> to) {
        return new IncomingRecording(uuid, zoomSeriesId, topic, startTime, duration, hostId, recordingFiles, onDemandIngest,
                zipId, receivedTime, downloadToken, allowMultipleIngests, ingestAllMp4, onDemandSeriesId, ocWorkflow,
                overrideSeriesId, ignoreSchedule, zoomTotalSizeBytes, zoomProcessingMinutes, List.copyOf(to), account, hostEmail);
    }

    /** The same message for this Zoom account (null or blank: the default account, left out of the JSON). */
    public IncomingRecording withAccount(String name) {
        String a = name == null || name.isBlank() || "default".equals(name.trim()) ? null : name.trim();
        return new IncomingRecording(uuid, zoomSeriesId, topic, startTime, duration, hostId, recordingFiles, onDemandIngest,
                zipId, receivedTime, downloadToken, allowMultipleIngests, ingestAllMp4, onDemandSeriesId, ocWorkflow,
                overrideSeriesId, ignoreSchedule, zoomTotalSizeBytes, zoomProcessingMinutes, targets, a, hostEmail);
    }

    /** The same message with the Zoom host's email (null or blank: none). */
    public IncomingRecording withHostEmail(String email) {
        return new IncomingRecording(uuid, zoomSeriesId, topic, startTime, duration, hostId, recordingFiles, onDemandIngest,
                zipId, receivedTime, downloadToken, allowMultipleIngests, ingestAllMp4, onDemandSeriesId, ocWorkflow,
                overrideSeriesId, ignoreSchedule, zoomTotalSizeBytes, zoomProcessingMinutes, targets, account,
                email == null || email.isBlank() ? null : email);
    }

    /** Minutes, as Zoom reported them (0 when missing or not a number). */
    public int durationMinutes() {
        return duration == null ? 0 : duration.asInt(0);
    }

    /** A text field of the on-demand request, or null when absent, null or blank. */
    public static String text(JsonNode v) {
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    /** The on-demand request asked to pass over the class schedule. */
    public boolean skipsSchedule() {
        return ignoreSchedule != null && ignoreSchedule.asBoolean(false);
    }
}
