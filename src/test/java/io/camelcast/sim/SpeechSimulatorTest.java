package io.camelcast.sim;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The speech simulator's transcript comes from the audio: the same sound the same words, silence none. */
class SpeechSimulatorTest {

    static short[] tone(double hz, double seconds, int rate, double amplitude) {
        short[] s = new short[(int) (seconds * rate)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return s;
    }

    @Test
    void theTranscriptIsDerivedFromTheAudioDeterministically() {
        List<SpeechSimulator.Cue> a = SpeechSimulator.cues(tone(440, 3, 16000, 8000), 16000);
        assertEquals(a, SpeechSimulator.cues(tone(440, 3, 16000, 8000), 16000));
        assertNotEquals(a.get(0).text(), SpeechSimulator.cues(tone(1250, 3, 16000, 8000), 16000).get(0).text());
        assertTrue(SpeechSimulator.cues(new short[16000 * 2], 16000).isEmpty(), "silence has no words");
        String vtt = SpeechSimulator.vtt(a);
        assertTrue(vtt.startsWith("WEBVTT\n\n00:00:00.000 --> 00:00:03.000\n"), vtt);
    }

    @Test
    void cuesEndAtPausesAndAfterFourSeconds() {
        short[] speech = tone(300, 6, 8000, 5000);
        short[] withPause = new short[speech.length + 8000];
        System.arraycopy(speech, 0, withPause, 0, 8000); // 1 s, then 1 s of silence, then 5 s
        System.arraycopy(speech, 8000, withPause, 16000, speech.length - 8000);
        List<SpeechSimulator.Cue> cues = SpeechSimulator.cues(withPause, 8000);
        assertEquals(3, cues.size(), cues.toString());
        assertEquals(0.0, cues.get(0).start());
        assertEquals(1.0, cues.get(0).end());
        assertEquals(2.0, cues.get(1).start());
        assertEquals(6.0, cues.get(1).end());
        assertEquals("00:01:05,250", SpeechSimulator.stamp(65.25, ','));
    }
}
