package io.camelcast.messages;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What {@code camelcast-recordings-captions} carries: a captions file that Zoom finished after the recording
 * ({@code recording.transcript_completed}), to be added to the recording's Opencast event. The intake writes the
 * Zoom part; the captions stage fills in {@code staged_key}, {@code bytes} and {@code sha256} once the file is in
 * the staging bucket (so a message that waits for the main ingest never downloads again), and keeps
 * {@code first_queued} (epoch seconds) to give up after {@code camelcast.recording.captions-max-wait}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record LateCaptions(
        String uuid,
        @JsonProperty("meeting_id") String meetingId,
        @JsonProperty("host_email") String hostEmail,
        IncomingRecording.File file,
        @JsonProperty("download_token") String downloadToken,
        @JsonProperty("first_queued") long firstQueued,
        @JsonProperty("staged_key") String stagedKey,
        long bytes,
        String sha256) {

    /** The same message once its file is staged. */
    public LateCaptions staged(String key, long size, String digest) {
        return new LateCaptions(uuid, meetingId, hostEmail, file, downloadToken, firstQueued, key, size, digest);
    }

    @JsonIgnore
    public boolean isStaged() {
        return stagedKey != null && !stagedKey.isBlank();
    }
}
