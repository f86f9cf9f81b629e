package io.camelcast.opencast;

import io.camelcast.messages.IncomingRecording;
import io.camelcast.messages.LateCaptions;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.core5.http.HttpEntity;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The late track's decisions without Camel: wait for the event, give up after the maximum wait, the form. */
class OpencastCaptionsTest {

    static final Instant NOW = Instant.parse("2026-11-17T12:00:00Z");
    final OpencastCaptions captions = new OpencastCaptions(null, null, "bucket", "en", 30, 3600,
            Clock.fixed(NOW, ZoneOffset.UTC));

    static LateTrack track(long queuedSecondsAgo) {
        IncomingRecording.File f = new IncomingRecording.File("f1", "a", "b", "https://zoom.us/f1", "TRANSCRIPT",
                "audio_transcript", "fr");
        LateCaptions c = new LateCaptions("u1==", "123", "t@uni.edu", f, "tok", NOW.getEpochSecond() - queuedSecondsAgo,
                "123/late-captions/f1.vtt", 134, "abc");
        return new LateTrack(c, MediapackageIds.deterministic("u1=="));
    }

    @Test
    void theEventOfTheRecordingIsTheDeterministicMediapackage() {
        assertEquals(MediapackageIds.deterministic("u1=="), track(0).getMediapackageId());
    }

    @Test
    void anEventNotYetInOpencastIsWaitedForUntilTheMaximumWait() throws Exception {
        LateTrack t = track(10);
        captions.eventAnswered(t, 200);
        assertEquals(0, t.getDeferSeconds(), "there: go on");
        captions.eventAnswered(t, 404);
        assertEquals(30, t.getDeferSeconds(), "not yet: look again after captions-recheck");
        LateTrack old = track(3600);
        OpencastDelivery.Unrecoverable gaveUp = assertThrows(OpencastDelivery.Unrecoverable.class,
                () -> captions.eventAnswered(old, 404));
        assertTrue(gaveUp.getMessage().contains("captions-max-wait"), gaveUp.getMessage());
        assertThrows(IOException.class, () -> captions.eventAnswered(track(0), 503), "5xx is retried by the route");
    }

    @Test
    void opencastsAnswerToTheTrack() {
        LateTrack t = track(0);
        assertThrows(HttpOperationFailedException.class, () -> captions.trackAnswered(t, 400, "bad flavor"));
        HttpOperationFailedException e = assertThrows(HttpOperationFailedException.class,
                () -> captions.trackAnswered(t, 500, "oops"));
        assertEquals(500, e.getStatusCode());
    }

    @Test
    void theFormIsRepeatableForDigestAuthAndNamesFlavorAndTags() {
        HttpEntity form = captions.trackForm(track(0));
        assertTrue(form.isRepeatable(), "Digest authentication sends the request twice");
        assertTrue(form.getContentLength() > 134, "length known: the file part has its staged size");
        assertEquals("captions/vtt+fr", CaptionTracks.flavor("fr", "en"));
        assertEquals("lang:fr,generator-type:auto,generator:zoom,type:subtitle",
                CaptionTracks.tags(CaptionTracks.AUDIO_TRANSCRIPT, "fr", "en"));
    }
}
