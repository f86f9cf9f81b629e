package io.camelcast.recording;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelcast.config.UploadTargets;
import io.camelcast.http.Refused;
import io.camelcast.messages.IncomingRecording;
import io.camelcast.messages.LateCaptions;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zoom's {@code recording.transcript_completed}: the audio transcript (or closed captions) Zoom finished after the
 * recording was announced. The webhook is validated here and each captions file becomes one message on the
 * captions queue (routes/recording-captions.yaml); the captions stage then stages the file ({@link #stage}) while
 * Zoom's download token is fresh, and the Opencast side adds it to the recording's event once that exists. A host
 * outside the hosts' consent is answered as usual and nothing is queued.
 */
public final class LateTranscripts {

    private static final Logger LOG = LoggerFactory.getLogger(LateTranscripts.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RecordingIntake intake;
    private final RecordingStaging staging;
    private final HostConsent consent;
    private final UploadTargets targets;
    private final Clock clock;

    /** @param targets where a Zoom recording goes (camelcast.targets.*): only one that goes to Opencast gets captions */
    public LateTranscripts(RecordingIntake intake, RecordingStaging staging, HostConsent consent, UploadTargets targets,
                           Clock clock) {
        this.targets = targets;
        this.intake = intake;
        this.staging = staging;
        this.consent = consent;
        this.clock = clock;
    }

    /**
     * The captions messages of a transcript webhook; empty for a host outside the consent and for a recording that
     * does not go to Opencast (camelcast.targets.*: {@code source} is "zoom" or "zoom-upload"). 400 for bad data.
     */
    public List<LateCaptions> accept(ZoomEvent e, String source) {
        JsonNode json = e.getJson();
        JsonNode object = json.path("payload").path("object");
        String uuid = object.path("uuid").asText("");
        if (uuid.isEmpty()) {
            throw new Refused(400, "Bad data: missing uuid");
        }
        String token = json.path("download_token").asText("");
        if (token.isEmpty()) {
            throw new Refused(400, "Missing download token");
        }
        if (!object.path("recording_files").isArray()) {
            throw new Refused(400, "Bad data: Unrecognized payload format. recording_files is not a list");
        }
        String host = object.path("host_email").asText(null);
        String excluded = consent.exclusion(host);
        if (excluded != null) {
            LOG.info("zoom transcript ignored uuid={}: {}", uuid, excluded);
            return List.of();
        }
        List<String> to = targets.forZoom(source == null ? "zoom" : source, json.path("payload").path("account_id").asText(null),
                host);
        if (!to.contains("opencast")) {
            LOG.info("zoom transcript ignored uuid={}: the recording goes to {}, not Opencast", uuid, String.join(",", to));
            return List.of();
        }
        List<LateCaptions> out = new ArrayList<>();
        for (JsonNode f : object.path("recording_files")) {
            if (!RecordingIntake.isCaptions(f)) {
                continue;
            }
            if (!intake.usableCaptions(f)) {
                throw new Refused(400, "Bad data: captions file " + f.path("id").asText("?")
                        + " incomplete, not completed or from a host outside camelcast.zoom.download-hosts");
            }
            out.add(new LateCaptions(uuid, object.path("id").asText(null), host, RecordingIntake.file(f), token,
                    clock.instant().getEpochSecond(), null, 0, null));
        }
        if (out.isEmpty()) {
            throw new Refused(204, "no TRANSCRIPT or CC file in recording.transcript_completed");
        }
        LOG.info("zoom transcript accepted uuid={} files={}", uuid, out.size());
        return out;
    }

    public String json(LateCaptions c) throws JsonProcessingException {
        return JSON.writeValueAsString(c);
    }

    public LateCaptions read(String body) throws JsonProcessingException {
        LateCaptions c = JSON.readValue(body, LateCaptions.class);
        if (c == null || c.uuid() == null || c.file() == null) {
            throw new IllegalArgumentException("not a captions message (no uuid/file)");
        }
        return c;
    }

    /**
     * Streams the captions file into the staging bucket (once: a staged message comes back staged), under the
     * recording's meeting, named by its Zoom file id.
     */
    public LateCaptions stage(LateCaptions c) throws IOException {
        if (c.isStaged()) {
            return c;
        }
        IncomingRecording.File f = c.file();
        Map<String, String> file = new LinkedHashMap<>();
        file.put("recording_id", f.recordingId());
        file.put("recording_start", f.recordingStart());
        file.put("recording_end", f.recordingEnd());
        file.put("download_url", f.downloadUrl());
        file.put("file_type", f.fileType());
        file.put("recording_type", f.recordingType());
        String stem = (c.meetingId() == null ? "unknown" : c.meetingId()) + "/late-captions/" + f.recordingId();
        StagedFile staged = staging.stage("late-captions-" + c.uuid(), stem, RecordingViews.standardize(f.recordingType()),
                0, file, c.downloadToken(), c.uuid());
        if (staged == null) {
            throw new RecordingStaging.PermanentFailure("Zoom has no captions file " + f.recordingId() + " (deleted)");
        }
        return c.staged(staged.key(), staged.bytes(), staged.sha256());
    }
}
