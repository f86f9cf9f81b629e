package io.camelcast.media;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Speech to text for the {@code transcribing} task: a 16 kHz mono WAV in, WebVTT out (first line
 * {@code WEBVTT}). Chosen by {@code camelcast.media.transcriber}: {@code sim} (the speech simulator, an
 * OpenAI-Whisper-API-compatible service; deterministic), {@code whisper-api} (any service speaking that API,
 * e.g. OpenAI or a whisper.cpp server, {@code camelcast.media.transcriber-url} / {@code -key}), {@code whisper}
 * (whisper.cpp in process, {@link WhisperTranscriber}), {@code vosk} ({@link VoskTranscriber}) or {@code aws}.
 */
public interface Transcriber {

    String transcribe(Path wav) throws IOException;

    /** The transcript of a video without sound: no cues. */
    String EMPTY = "WEBVTT\n\n";
}
