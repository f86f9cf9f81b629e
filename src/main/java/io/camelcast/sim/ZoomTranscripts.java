package io.camelcast.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.UUID;

/**
 * The Zoom simulator's late transcripts: Zoom makes a recording's audio transcript after the recording itself and
 * announces it with {@code recording.transcript_completed}, whose object is the recording with only the
 * {@code TRANSCRIPT} file ({@code recording_type} {@code audio_transcript}, WebVTT) and a fresh
 * {@code download_token}. The file is added to the registered recording, so the REST API lists it and
 * {@code /rec/download} serves it.
 */
final class ZoomTranscripts {

    private final ZoomRecordings recordings;
    private final ZoomWebhooks webhooks;

    ZoomTranscripts(ZoomRecordings recordings, ZoomWebhooks webhooks) {
        this.recordings = recordings;
        this.webhooks = webhooks;
    }

    /** See {@link ZoomSimulator#transcriptCompletedEvent}. */
    ObjectNode transcriptCompletedEvent(String uuid, ObjectNode transcript) {
        ObjectNode recording = recordings.list().stream().filter(r -> uuid.equals(r.path("uuid").asText())).findFirst()
                .map(ObjectNode::deepCopy).orElseThrow(() -> new IllegalArgumentException("no recording " + uuid));
        ObjectNode file = transcript == null ? SimServer.JSON.createObjectNode() : transcript.deepCopy();
        file.put("file_type", "TRANSCRIPT");
        ZoomConventions.putIfAbsent(file, "id", UUID.nameUUIDFromBytes((uuid + "transcript").getBytes()).toString());
        ArrayNode files = recording.withArray("recording_files");
        for (int i = files.size() - 1; i >= 0; i--) {
            if (file.get("id").asText().equals(files.get(i).path("id").asText())) {
                files.remove(i);
            }
        }
        files.add(file);
        ObjectNode registered = recordings.register(recording);
        ObjectNode event = webhooks.recordingCompletedEvent(registered);
        event.put("event", "recording.transcript_completed");
        ArrayNode only = ((ObjectNode) event.path("payload").path("object")).putArray("recording_files");
        for (var f : registered.withArray("recording_files")) {
            if ("TRANSCRIPT".equals(f.path("file_type").asText())) {
                only.add(f.deepCopy());
            }
        }
        return event;
    }
}
