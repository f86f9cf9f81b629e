package io.camelcast.media;

import io.github.givimad.whisperjni.WhisperContext;
import io.github.givimad.whisperjni.WhisperFullParams;
import io.github.givimad.whisperjni.WhisperJNI;
import io.github.givimad.whisperjni.WhisperSamplingStrategy;
import io.github.givimad.whisperjni.WhisperState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * whisper.cpp in process through its Java binding (io.github.givimad:whisper-jni), with a ggml model file
 * ({@code camelcast.media.whisper-model}, e.g. {@code ggml-base.en.bin}). The model is loaded on the first
 * transcript and shared; each transcript has its own whisper state, so tasks may run side by side. The
 * audio is read in windows of {@link #WINDOW_SECONDS} (a long answer never sits whole in memory: 5 minutes
 * are 19 MB of floats), each transcribed with whisper's own segment timestamps, shifted by the window's start.
 */
public final class WhisperTranscriber implements Transcriber, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WhisperTranscriber.class);
    static final int WINDOW_SECONDS = 300;

    private final Path model;
    private WhisperJNI whisper;
    private WhisperContext context;

    /** {@code model}: a readable ggml model file (checked at start by {@link MediaConfiguration#transcriber}). */
    public WhisperTranscriber(Path model) {
        this.model = model;
    }

    private synchronized WhisperContext context() throws IOException {
        if (context == null) {
            WhisperJNI.loadLibrary();
            WhisperJNI.setLibraryLogger(null);
            whisper = new WhisperJNI();
            try {
                context = whisper.initNoState(model);
            } catch (IOException e) {
                context = null;
            }
            if (context == null) {
                throw new WhisperApiTranscriber.Rejected("whisper.cpp could not load the model " + model);
            }
            LOG.info("whisper.cpp model loaded: {}", model);
        }
        return context;
    }

    @Override
    public String transcribe(Path wav) throws IOException {
        WhisperContext ctx;
        try {
            ctx = context();
        } catch (UnsatisfiedLinkError e) {
            throw new WhisperApiTranscriber.Rejected("whisper.cpp's native library does not load here: " + e.getMessage());
        }
        List<WebVtt.Segment> segments = new ArrayList<>();
        boolean multilingual = whisper.isMultilingual(ctx);
        WhisperState state = whisper.initState(ctx);
        try (InputStream pcm = WavAudio.open(wav)) {
            float[] window = new float[WavAudio.RATE * WINDOW_SECONDS];
            byte[] scratch = new byte[1 << 16];
            long offsetMs = 0;
            int n;
            while ((n = WavAudio.readFloats(pcm, window, scratch)) > 0) {
                WhisperFullParams params = new WhisperFullParams(WhisperSamplingStrategy.GREEDY);
                params.nThreads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
                params.printProgress = false;
                params.printRealtime = false;
                params.printTimestamps = false;
                params.printSpecial = false;
                // a multilingual model transcribes the language it hears; an English-only one English
                params.language = multilingual ? "auto" : "en";
                params.detectLanguage = false;
                int result = whisper.fullWithState(ctx, state, params, window, n);
                if (result != 0) {
                    throw new IOException("whisper.cpp failed on the audio (code " + result + ")");
                }
                int count = whisper.fullNSegmentsFromState(state);
                for (int i = 0; i < count; i++) {
                    // whisper's timestamps are in centiseconds
                    segments.add(new WebVtt.Segment(offsetMs + whisper.fullGetSegmentTimestamp0FromState(state, i) * 10,
                            offsetMs + whisper.fullGetSegmentTimestamp1FromState(state, i) * 10,
                            whisper.fullGetSegmentTextFromState(state, i)));
                }
                offsetMs += n * 1000L / WavAudio.RATE;
            }
        } finally {
            state.close();
        }
        return WebVtt.of(segments);
    }

    @Override
    public synchronized void close() {
        if (context != null) {
            context.close();
            context = null;
        }
    }
}
