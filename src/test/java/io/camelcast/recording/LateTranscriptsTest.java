package io.camelcast.recording;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.config.UploadTargets;
import io.camelcast.http.Refused;
import io.camelcast.messages.LateCaptions;
import io.camelcast.zoom.DownloadHosts;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** recording.transcript_completed's decisions (no Camel): what is queued, what is refused, what is ignored. */
class LateTranscriptsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-11-17T12:00:00Z");
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final RecordingIntake intake = new RecordingIntake(null, new DownloadHosts("zoom.us,*.zoom.us"), 0, clock);
    final LateTranscripts transcripts = new LateTranscripts(intake, null,
            new HostConsent(Set.of(), Set.of("out@uni.edu")), new UploadTargets(Map.of("camelcast.targets.zoom", "opencast",
                    "camelcast.targets.zoom-upload", "archive,bunny", "camelcast.targets.host.archive.only@uni.edu", "archive")),
            clock);

    static ObjectNode event(String host, String status, String url) throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"event": "recording.transcript_completed", "download_token": "tok",
                 "payload": {"account_id": "acc", "object": {"uuid": "u1==", "id": 123, "host_email": "%s",
                   "topic": "T", "start_time": "2026-11-17T10:00:00Z", "duration": 60,
                   "recording_files": [{"id": "f1", "recording_start": "2026-11-17T10:00:00Z",
                     "recording_end": "2026-11-17T11:00:00Z", "download_url": "%s", "file_type": "TRANSCRIPT",
                     "file_extension": "VTT", "recording_type": "audio_transcript", "status": "%s", "language": "de"}]}}}
                """.formatted(host, url, status));
    }

    @Test
    void classifiedAsCaptionsAndOneMessagePerFile() throws Exception {
        ObjectNode e = event("t@uni.edu", "completed", "https://zoom.us/rec/download/f1");
        ZoomEvent z = intake.classify(e.toString().getBytes());
        assertEquals(ZoomEvent.CAPTIONS, z.getAction());
        List<LateCaptions> out = transcripts.accept(z, "zoom");
        assertEquals(1, out.size());
        LateCaptions c = out.get(0);
        assertEquals("u1==", c.uuid());
        assertEquals("123", c.meetingId());
        assertEquals("f1", c.file().recordingId());
        assertEquals("de", c.file().language());
        assertEquals("tok", c.downloadToken());
        assertEquals(NOW.getEpochSecond(), c.firstQueued());
        assertFalse(c.isStaged());
        LateCaptions back = transcripts.read(transcripts.json(c.staged("k.vtt", 10, "abc")));
        assertTrue(back.isStaged());
        assertEquals("de", back.file().language());
    }

    @Test
    void anOptedOutHostQueuesNothing() throws Exception {
        ZoomEvent z = intake.classify(event("OUT@uni.edu", "completed", "https://zoom.us/rec/download/f1").toString().getBytes());
        assertEquals(List.of(), transcripts.accept(z, "zoom"));
    }

    @Test
    void aRecordingThatDoesNotGoToOpencastGetsNoLateCaptions() throws Exception {
        ObjectNode e = event("t@uni.edu", "completed", "https://zoom.us/rec/download/f1");
        assertEquals(List.of(), transcripts.accept(intake.classify(e.toString().getBytes()), "zoom-upload"));
        ObjectNode archived = event("Archive.Only@uni.edu", "completed", "https://zoom.us/rec/download/f1");
        assertEquals(List.of(), transcripts.accept(intake.classify(archived.toString().getBytes()), "zoom"));
    }

    @Test
    void badDataIsRefusedWithAReason() throws Exception {
        Refused foreign = assertThrows(Refused.class, () -> transcripts.accept(intake.classify(
                event("t@uni.edu", "completed", "https://evil.example/f1").toString().getBytes()), "zoom"));
        assertEquals(400, foreign.getStatus());
        Refused unfinished = assertThrows(Refused.class, () -> transcripts.accept(intake.classify(
                event("t@uni.edu", "processing", "https://zoom.us/rec/download/f1").toString().getBytes()), "zoom"));
        assertEquals(400, unfinished.getStatus());
        ObjectNode noToken = event("t@uni.edu", "completed", "https://zoom.us/rec/download/f1");
        noToken.remove("download_token");
        assertEquals(400, assertThrows(Refused.class, () -> transcripts.accept(intake.classify(noToken.toString().getBytes()), "zoom"))
                .getStatus());
    }
}
