package io.camelcast.recording;

/**
 * One recording file in the staging bucket: what the deliver stage needs (key, view, segment, times) and
 * what an operator checks (bytes, sha256). {@code seconds} is ffprobe's duration when the check runs, else
 * the file's recording_end − recording_start. {@code language}: a captions file's, when Zoom named one.
 */
public record StagedFile(String key, String view, int segment, String recordingStart, String recordingEnd,
                         String fileType, long bytes, String sha256, double seconds, long probeBytes, String language) {

    public StagedFile(String key, String view, int segment, String recordingStart, String recordingEnd, String fileType,
                      long bytes, String sha256, double seconds, long probeBytes) {
        this(key, view, segment, recordingStart, recordingEnd, fileType, bytes, sha256, seconds, probeBytes, null);
    }
}
