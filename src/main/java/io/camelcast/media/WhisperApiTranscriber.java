package io.camelcast.media;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * OpenAI's audio transcription API ({@code POST /v1/audio/transcriptions}, multipart {@code file},
 * {@code model}, {@code response_format=vtt}, bearer key), as the speech simulator and real services
 * (OpenAI, whisper.cpp's and faster-whisper's OpenAI-compatible servers) speak it. The WAV is streamed from
 * disk. A 5xx or 429 is an {@link IOException} (retried); another 4xx is final.
 */
public final class WhisperApiTranscriber implements Transcriber {

    /** An answer no retry will change (a 4xx other than 408/429). */
    public static final class Rejected extends RuntimeException {
        public Rejected(String message) {
            super(message, null, false, false);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI endpoint;
    private final String key;
    private final String model;
    private final Duration timeout;

    public WhisperApiTranscriber(String baseUrl, String key, String model, Duration timeout) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.endpoint = URI.create(base + "/v1/audio/transcriptions");
        this.key = key;
        this.model = model;
        this.timeout = timeout;
    }

    @Override
    public String transcribe(Path wav) throws IOException {
        String boundary = "camelcast-" + UUID.randomUUID();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n" + model + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"response_format\"\r\n\r\nvtt\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"audio.wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(
                        HttpRequest.BodyPublishers.ofString(head, StandardCharsets.UTF_8),
                        HttpRequest.BodyPublishers.ofFile(wav),
                        HttpRequest.BodyPublishers.ofString(tail, StandardCharsets.UTF_8)));
        if (key != null && !key.isBlank()) {
            b.header("Authorization", "Bearer " + key);
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("transcription interrupted");
        }
        int s = r.statusCode();
        if (s == 200) {
            String vtt = r.body();
            if (!vtt.startsWith("WEBVTT")) {
                throw new IOException("the transcriber did not answer WebVTT");
            }
            return vtt;
        }
        String reason = "transcriber answered " + s + ": " + abbreviate(r.body());
        if (s >= 400 && s < 500 && s != 408 && s != 429) {
            throw new Rejected(reason);
        }
        throw new IOException(reason);
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
