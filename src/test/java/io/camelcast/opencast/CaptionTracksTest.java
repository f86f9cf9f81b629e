package io.camelcast.opencast;

import io.camelcast.messages.StagedRecording;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CaptionTracksTest {

    @Test
    void theLanguageRidesInTheSubFlavorWithAFallback() {
        assertEquals("captions/vtt+de", CaptionTracks.flavor("de", "en"));
        assertEquals("captions/vtt+en-US", CaptionTracks.flavor("en-US", "fr"));
        assertEquals("captions/vtt+en", CaptionTracks.flavor(null, "en"));
        assertEquals("captions/vtt+en", CaptionTracks.flavor("not a language", "en"));
        assertEquals("lang:de,generator-type:auto,generator:zoom,type:closed-caption",
                CaptionTracks.tags(CaptionTracks.CLOSED_CAPTION, "de", "en"));
    }

    @Test
    void closedCaptionsComeFirstEachWithItsOwnLanguage() {
        StagedRecording.View cc = new StagedRecording.View(List.of(new StagedRecording.Segment("k/000-closed_caption.vtt", 0,
                "a", "b", 0, 0, 10, "x", null)), 0, 0);
        StagedRecording.View tr = new StagedRecording.View(List.of(new StagedRecording.Segment("k/000-audio_transcript.vtt", 0,
                "a", "b", 0, 0, 10, "x", "fr")), 0, 0);
        StagedRecording m = new StagedRecording("u", null, "s", "Lecture", "t", "c", "c", "r", "z",
                Map.of(CaptionTracks.AUDIO_TRANSCRIPT, tr, CaptionTracks.CLOSED_CAPTION, cc), 0, 0, 0, null, null, null, null);
        List<Map.Entry<String, String>> params = CaptionTracks.params(Map.of(
                CaptionTracks.AUDIO_TRANSCRIPT, List.of("k/000-audio_transcript.vtt"),
                CaptionTracks.CLOSED_CAPTION, List.of("k/000-closed_caption.vtt")), m, k -> "https://s3/" + k, "en");
        assertEquals(List.of(Map.entry("flavor", "captions/vtt+en"), Map.entry("mediaUri", "https://s3/k/000-closed_caption.vtt"),
                Map.entry("flavor", "captions/vtt+fr"), Map.entry("mediaUri", "https://s3/k/000-audio_transcript.vtt")), params);
    }

    @Test
    void aFalseStartTakesTheCaptionsOfSegmentZeroWithIt() {
        Map<String, List<Segment>> views = new java.util.LinkedHashMap<>();
        views.put("active_speaker", List.of(new Segment("s0.mp4", 0, "t0", "t1", 30, 1), new Segment("s1.mp4", 1, "t2", "t3", 3600, 1)));
        views.put(CaptionTracks.CLOSED_CAPTION, List.of(new Segment("c0.vtt", 0, "t0", "t1", 0, 0),
                new Segment("c1.vtt", 1, "t2", "t3", 0, 0)));
        FalseStarts.Selection s = FalseStarts.select(views, 2);
        assertEquals(List.of("s1.mp4"), s.filenamesByView().get("active_speaker"));
        assertEquals(List.of("c1.vtt"), s.filenamesByView().get(CaptionTracks.CLOSED_CAPTION));
    }

    @Test
    void captionsNeverMakeAFalseStart() {
        Map<String, List<Segment>> views = new java.util.LinkedHashMap<>();
        views.put("active_speaker", List.of(new Segment("s0.mp4", 0, "t0", "t1", 3600, 1)));
        views.put(CaptionTracks.AUDIO_TRANSCRIPT, List.of(new Segment("t0.vtt", 0, "t0", "t1", 0, 0)));
        FalseStarts.Selection s = FalseStarts.select(views, 2);
        assertEquals(List.of("s0.mp4"), s.filenamesByView().get("active_speaker"));
        assertEquals(List.of("t0.vtt"), s.filenamesByView().get(CaptionTracks.AUDIO_TRANSCRIPT));
        assertEquals(1, s.recordingTimes().size());
    }
}
