package io.camelcast.media;

import io.camelcast.config.Settings;
import io.github.givimad.whisperjni.WhisperJNI;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The in-process speech engines: what needs no model (segments to WebVTT, the WAV reader on ffmpeg's own
 * output, Vosk's results, choosing an engine and refusing a missing or wrong model path at start, the native
 * libraries loading on this platform), and each engine on real audio when its model path is set
 * ({@code -Dcamelcast.media.whisper-model=...} or {@code CAMELCAST_MEDIA_WHISPER_MODEL}, the same for
 * {@code vosk-model}); skipped with that message otherwise. {@code camelcast.media.test-speech} (or
 * {@code CAMELCAST_MEDIA_TEST_SPEECH}) may name a recording with speech: its transcript must then have cues.
 */
class SpeechEnginesTest {

    static final Pattern CUE = Pattern.compile("\\d{2}:\\d{2}:\\d{2}\\.\\d{3} --> \\d{2}:\\d{2}:\\d{2}\\.\\d{3}");

    @TempDir
    Path dir;

    static Settings base() {
        return Settings.load(null, Map.of(), new Properties());
    }

    @Test
    void segmentsBecomeWebVttCues() {
        String vtt = WebVtt.of(List.of(
                new WebVtt.Segment(0, 2_340, " Hello there. "),
                new WebVtt.Segment(3_723_004, 3_723_004, "one\n<b>&</b> --> two"),
                new WebVtt.Segment(5_000, 6_000, "   ")));
        assertEquals("WEBVTT\n\n"
                + "00:00:00.000 --> 00:00:02.340\nHello there.\n\n"
                + "01:02:03.004 --> 01:02:03.005\none &lt;b&gt;&amp;&lt;/b&gt; --&gt; two\n\n", vtt);
        assertEquals(Transcriber.EMPTY, WebVtt.of(List.of()));
    }

    @Test
    void mediaFailedNamesEachFailedTaskWithItsCauseAndMediaDoneTheOutputs() {
        Map<String, String> record = new java.util.HashMap<>(Map.of("tasks", "transcoding-web,transcoding-mobile,transcribing",
                "task.transcoding-web", "FAILED", "task.transcoding-web.error", "Invalid data found",
                "task.transcoding-mobile", "DONE", "task.transcribing", "FAILED", "mentor", "m1", "question", "q1"));
        assertEquals("transcoding-web: Invalid data found; transcribing: failed", MediaNotices.reason(record));
        assertEquals("failed", MediaNotices.reason(Map.of("tasks", "thumbnail")));
        record.put("output.web", "videos/m1/q1/web.mp4");
        assertEquals(Map.of("mentor", "m1", "question", "q1", "outputs", Map.of("web", "videos/m1/q1/web.mp4")),
                MediaNotices.extra(record, false));
        assertEquals(Map.of("mentor", "m1", "question", "q1"), MediaNotices.extra(record, true));
        // no notifier (a flow run alone) or none configured: nothing raised, nothing thrown
        new MediaNotices(null, null).raise("media.done", "x");
    }

    @Test
    void voskResultsBecomeSegmentsFromFirstWordToLastWord() throws IOException {
        List<WebVtt.Segment> into = new ArrayList<>();
        VoskTranscriber.segment("{\"result\":[{\"conf\":1.0,\"end\":1.11,\"start\":0.42,\"word\":\"hello\"},"
                + "{\"conf\":0.9,\"end\":1.8,\"start\":1.2,\"word\":\"world\"}],\"text\":\"hello world\"}", into);
        VoskTranscriber.segment("{\"text\":\"\"}", into);
        assertEquals(List.of(new WebVtt.Segment(420, 1800, "hello world")), into);
    }

    @Test
    void theWavOfTheTranscribingTaskIsReadAsSamplesAndOtherAudioIsRefused() throws Exception {
        Path wav = dir.resolve("a.wav");
        ffmpeg(List.of("-f", "lavfi", "-i", "sine=frequency=440:duration=0.5"), new Renditions(20, "ultrafast").audio(dir.resolve("none"), wav));
        float[] samples = new float[WavAudio.RATE];
        try (InputStream pcm = WavAudio.open(wav)) {
            assertEquals(8000, WavAudio.readFloats(pcm, samples, new byte[1000]));
            assertEquals(0, WavAudio.readFloats(pcm, samples, new byte[1000]));
        }
        float peak = 0;
        for (int i = 0; i < 8000; i++) {
            peak = Math.max(peak, Math.abs(samples[i]));
        }
        assertTrue(peak > 0.05 && peak <= 1, "a tone, in [-1, 1]: " + peak);

        Path stereo = dir.resolve("stereo.wav");
        ffmpeg(List.of("-f", "lavfi", "-i", "sine=duration=0.2", "-ac", "2", "-ar", "44100"), List.of(stereo.toString()));
        IOException e = assertThrows(IOException.class, () -> WavAudio.open(stereo).close());
        assertTrue(e.getMessage().contains("16 kHz mono"), e.getMessage());
        Path text = Files.writeString(dir.resolve("x.wav"), "not audio");
        assertTrue(assertThrows(IOException.class, () -> WavAudio.open(text).close()).getMessage().contains("not a WAV"));
    }

    @Test
    void anEngineIsChosenByNameAndAMissingOrWrongModelPathStopsTheStartWithWhatToSet() throws IOException {
        Settings whisper = base().with("camelcast.media.transcriber", "whisper");
        Settings vosk = base().with("camelcast.media.transcriber", "vosk");
        String none = assertThrows(Settings.ConfigException.class, () -> MediaConfiguration.transcriber(whisper, null)).getMessage();
        assertTrue(none.contains("needs camelcast.media.whisper-model") && none.contains("ggml"), none);
        none = assertThrows(Settings.ConfigException.class, () -> MediaConfiguration.transcriber(vosk, null)).getMessage();
        assertTrue(none.contains("needs camelcast.media.vosk-model") && none.contains("Vosk model folder"), none);

        Path missing = dir.resolve("ggml-missing.bin");
        String gone = assertThrows(Settings.ConfigException.class, () -> MediaConfiguration.transcriber(
                whisper.with("camelcast.media.whisper-model", missing.toString()), null)).getMessage();
        assertTrue(gone.contains("does not exist"), gone);
        Path file = Files.writeString(dir.resolve("ggml-tiny.bin"), "x");
        Path folder = Files.createDirectories(dir.resolve("vosk-model"));
        assertTrue(assertThrows(Settings.ConfigException.class, () -> MediaConfiguration.transcriber(
                whisper.with("camelcast.media.whisper-model", folder.toString()), null)).getMessage().contains("is not a file"));
        assertTrue(assertThrows(Settings.ConfigException.class, () -> MediaConfiguration.transcriber(
                vosk.with("camelcast.media.vosk-model", file.toString()), null)).getMessage().contains("is not a folder"));

        // the model itself is loaded on the first transcript, not at start
        try (WhisperTranscriber w = (WhisperTranscriber) MediaConfiguration.transcriber(whisper.with("camelcast.media.whisper-model", file.toString()), null);
                VoskTranscriber v = (VoskTranscriber) MediaConfiguration.transcriber(vosk.with("camelcast.media.vosk-model", folder.toString()), null)) {
            assertEquals(WhisperTranscriber.class, w.getClass());
            assertEquals(VoskTranscriber.class, v.getClass());
        }
    }

    @Test
    void bothEnginesNativeLibrariesLoadOnThisPlatform() throws IOException {
        WhisperJNI.loadLibrary();
        assertTrue(new WhisperJNI().getSystemInfo().length() > 0);
        org.vosk.LibVosk.setLogLevel(org.vosk.LogLevel.WARNINGS);
    }

    @Test
    void aFileThatIsNoModelFailsTheTranscriptWithAReasonAndNoRetry() throws Exception {
        Path wav = dir.resolve("a.wav");
        ffmpeg(List.of("-f", "lavfi", "-i", "sine=duration=0.3"), new Renditions(20, "ultrafast").audio(dir.resolve("none"), wav));
        Path junk = Files.write(dir.resolve("ggml-junk.bin"), new byte[4096]);
        try (WhisperTranscriber w = new WhisperTranscriber(junk); VoskTranscriber v = new VoskTranscriber(Files.createDirectories(dir.resolve("empty-model")))) {
            Exception e = assertThrows(WhisperApiTranscriber.Rejected.class, () -> w.transcribe(wav));
            assertTrue(e.getMessage().contains("could not load the model"), e.getMessage());
            e = assertThrows(WhisperApiTranscriber.Rejected.class, () -> v.transcribe(wav));
            assertTrue(e.getMessage().contains("could not load the model"), e.getMessage());
        }
    }

    @Test
    void whisperCppTranscribesWithTheConfiguredModel() throws Exception {
        Path model = configured("camelcast.media.whisper-model");
        assumeTrue(model != null, "camelcast.media.whisper-model (or CAMELCAST_MEDIA_WHISPER_MODEL) is not set: whisper.cpp is not"
                + " tested. Set it to a ggml model file to test it (README, Processing media).");
        try (WhisperTranscriber w = (WhisperTranscriber) MediaConfiguration.transcriber(base()
                .with("camelcast.media.transcriber", "whisper").with("camelcast.media.whisper-model", model.toString()), null)) {
            check(w);
        }
    }

    @Test
    void voskTranscribesWithTheConfiguredModel() throws Exception {
        Path model = configured("camelcast.media.vosk-model");
        assumeTrue(model != null, "camelcast.media.vosk-model (or CAMELCAST_MEDIA_VOSK_MODEL) is not set: Vosk is not tested."
                + " Set it to an unzipped Vosk model folder to test it (README, Processing media).");
        try (VoskTranscriber v = (VoskTranscriber) MediaConfiguration.transcriber(base()
                .with("camelcast.media.transcriber", "vosk").with("camelcast.media.vosk-model", model.toString()), null)) {
            check(v);
        }
    }

    /** A tone (and the speech recording, when one is named) through the engine: well-formed WebVTT, cues for speech. */
    void check(Transcriber t) throws Exception {
        Path tone = dir.resolve("tone.wav");
        ffmpeg(List.of("-f", "lavfi", "-i", "sine=frequency=440:duration=2"), new Renditions(20, "ultrafast").audio(dir.resolve("none"), tone));
        wellFormed(t.transcribe(tone));
        Path speech = configured("camelcast.media.test-speech");
        if (speech != null) {
            Path wav = dir.resolve("speech.wav");
            ffmpeg(List.of(), new Renditions(20, "ultrafast").audio(speech, wav));
            String vtt = t.transcribe(wav);
            wellFormed(vtt);
            assertTrue(CUE.matcher(vtt).find(), "speech has cues: " + vtt);
        }
    }

    static void wellFormed(String vtt) {
        assertTrue(vtt.startsWith("WEBVTT\n\n"), vtt);
        String[] blocks = vtt.substring("WEBVTT\n\n".length()).split("\n\n");
        for (String block : blocks) {
            if (block.isEmpty()) {
                continue;
            }
            String[] lines = block.split("\n");
            assertTrue(lines.length == 2 && CUE.matcher(lines[0]).matches() && !lines[1].isBlank(), "a cue: " + block);
        }
    }

    static Path configured(String key) {
        String v = System.getProperty(key);
        if (v == null || v.isBlank()) {
            v = System.getenv(key.toUpperCase().replace('.', '_').replace('-', '_'));
        }
        return v == null || v.isBlank() ? null : Path.of(v.trim());
    }

    /** ffmpeg with {@code inputs} replacing the audio args' {@code -i <in>} when given. */
    static void ffmpeg(List<String> inputs, List<String> audioArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-loglevel", "error", "-y"));
        if (inputs.isEmpty()) {
            cmd.addAll(audioArgs);
        } else {
            cmd.addAll(inputs);
            List<String> rest = new ArrayList<>(audioArgs);
            int i = rest.indexOf("-i");
            if (i >= 0) {
                rest.remove(i);
                rest.remove(i);
            }
            cmd.addAll(rest);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }
}
