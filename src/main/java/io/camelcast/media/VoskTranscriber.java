package io.camelcast.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vosk.LibVosk;
import org.vosk.LogLevel;
import org.vosk.Model;
import org.vosk.Recognizer;

/**
 * Vosk (Kaldi) in process (com.alphacephei:vosk), with a model folder ({@code camelcast.media.vosk-model},
 * e.g. {@code vosk-model-small-en-us-0.15}, unzipped). The model is loaded on the first transcript and shared;
 * each transcript has its own recognizer fed the WAV in 64 KiB pieces, so memory stays flat whatever the
 * length. Each utterance Vosk ends becomes one cue, timed from its first word's start to its last word's end.
 */
public final class VoskTranscriber implements Transcriber, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VoskTranscriber.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path model;
    private Model loaded;

    /** {@code model}: a readable Vosk model folder (checked at start by {@link MediaConfiguration#transcriber}). */
    public VoskTranscriber(Path model) {
        this.model = model;
    }

    private synchronized Model model() throws IOException {
        if (loaded == null) {
            LibVosk.setLogLevel(LogLevel.WARNINGS);
            try {
                loaded = new Model(model.toString());
            } catch (IOException e) {
                // a wrong folder stays wrong: no retry, the task fails with this reason
                throw new WhisperApiTranscriber.Rejected("Vosk could not load the model " + model + ": " + e.getMessage());
            }
            LOG.info("vosk model loaded: {}", model);
        }
        return loaded;
    }

    @Override
    public String transcribe(Path wav) throws IOException {
        Model m;
        try {
            m = model();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new WhisperApiTranscriber.Rejected("Vosk's native library does not load here: " + e.getMessage());
        }
        List<WebVtt.Segment> segments = new ArrayList<>();
        try (InputStream pcm = WavAudio.open(wav); Recognizer recognizer = new Recognizer(m, WavAudio.RATE)) {
            recognizer.setWords(true);
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = pcm.readNBytes(buffer, 0, buffer.length)) > 0) {
                if (recognizer.acceptWaveForm(buffer, n)) {
                    segment(recognizer.getResult(), segments);
                }
            }
            segment(recognizer.getFinalResult(), segments);
        }
        return WebVtt.of(segments);
    }

    /** One utterance's result, {@code {"result":[{"start","end","word","conf"}...],"text"}}, as a segment. */
    static void segment(String resultJson, List<WebVtt.Segment> into) throws IOException {
        JsonNode r = JSON.readTree(resultJson);
        JsonNode words = r.path("result");
        String text = r.path("text").asText("");
        if (!words.isArray() || words.isEmpty() || text.isBlank()) {
            return;
        }
        long start = Math.round(words.get(0).path("start").asDouble() * 1000);
        long end = Math.round(words.get(words.size() - 1).path("end").asDouble() * 1000);
        into.add(new WebVtt.Segment(start, end, text));
    }

    @Override
    public synchronized void close() {
        if (loaded != null) {
            loaded.close();
            loaded = null;
        }
    }
}
