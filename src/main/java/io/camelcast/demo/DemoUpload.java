package io.camelcast.demo;

import io.camelcast.config.Settings;
import io.camelcast.sim.Simulators;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusUploader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code run --demo}: an instructor's upload with a real TUS client (tus-java-client), broken off half way
 * and resumed, then a custom upload of a file already on the server. Both go to the archive bucket and the
 * Bunny simulator, whose encode webhook comes back, and the site simulator receives one signed notification
 * each ({@code GET <site>/_sim/notifications}). Does nothing outside the demo.
 */
public final class DemoUpload {

    private static final Logger LOG = LoggerFactory.getLogger(DemoUpload.class);

    private final Simulators simulators;
    private final Settings settings;

    public DemoUpload(Simulators simulators, Settings settings) {
        this.simulators = simulators;
        this.settings = settings;
    }

    public void send() throws Exception {
        if (simulators == null) {
            return;
        }
        String base = "http://127.0.0.1:" + settings.get("camelcast.http.port");
        String key = settings.get("camelcast.api-key");
        simulators.bunny().setWebhookUrl(base + settings.get("camelcast.bunny.webhook-path"));
        long size = settings.getLong("camelcast.upload.demo-file-size");

        TusClient client = new TusClient();
        client.setUploadCreationURL(new URL(base + settings.get("camelcast.upload.tus-path")));
        client.setHeaders(Map.of("X-Api-Key", key));
        client.enableResuming(new TusURLMemoryStore());
        TusUpload upload = new TusUpload();
        upload.setSize(size);
        upload.setFingerprint("demo-lecture");
        upload.setInputStream(demoBytes(size));
        upload.setMetadata(Map.of("filename", "week-3-lecture.mp4", "filetype", "video/mp4", "title", "Week 3 lecture",
                "ace_id", "demo-ace-1001"));
        TusUploader first = client.resumeOrCreateUpload(upload);
        first.setChunkSize(256 * 1024);
        first.setRequestPayloadSize((int) Math.max(1, size / 8));
        while (first.getOffset() < size / 2 && first.uploadChunk() > -1) {
            // the first half, in several PATCH requests
        }
        first.finish(false);
        String id = first.getUploadURL().getPath().replaceAll(".*/", "");
        LOG.info("demo: TUS upload {} broke off at {} of {} bytes; resuming with HEAD + PATCH", id, first.getOffset(), size);
        upload.setInputStream(demoBytes(size));
        TusUploader resumed = client.resumeOrCreateUpload(upload);
        resumed.setRequestPayloadSize((int) Math.max(1, size));
        while (resumed.uploadChunk() > -1) {
            // the rest
        }
        resumed.finish();
        LOG.info("demo: TUS upload {} finished ({} bytes) — follow it: GET {}/uploads/{} (X-Api-Key as printed at start)", id, size,
                base, id);

        Path root = Path.of(settings.get("camelcast.upload.root"));
        Path file = root.resolve("youtube-download.mp4");
        try (InputStream in = demoBytes(size / 2); OutputStream out = Files.newOutputStream(file)) {
            in.transferTo(out);
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/custom-upload"))
                .header("X-Api-Key", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"path\": \"youtube-download.mp4\", \"metadata\": {\"title\": \"Guest talk\"}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        LOG.info("demo: POST /custom-upload {}: HTTP {} {}", file, r.statusCode(), r.body());
        LOG.info("demo: the site simulator lists the notifications at {}/_sim/notifications, Bunny its videos at {}/_sim/videos",
                simulators.site().url(), simulators.bunny().url());
    }

    /** Bytes that are a function of their position (so a resumed stream sends the same ones) and not a constant. */
    private static InputStream demoBytes(long size) {
        return new InputStream() {
            private long position;

            @Override
            public int read() {
                return position >= size ? -1 : at(position++);
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - position);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) at(position++);
                }
                return n;
            }

            @Override
            public long skip(long n) {
                long skipped = Math.min(Math.max(0, n), size - position);
                position += skipped;
                return skipped;
            }
        };
    }

    static int at(long position) {
        long x = position * 0x9E3779B97F4A7C15L;
        return (int) ((x ^ (x >>> 29)) >>> 56) & 0xff;
    }
}
