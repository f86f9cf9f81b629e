package io.camelcast.bunny;

import io.camelcast.store.ItemFields;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.store.MediaSource;
import io.camelcast.messages.UploadItem;
import io.tus.java.client.ProtocolException;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusURLStore;
import io.tus.java.client.TusUploader;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The Bunny Stream target. The route creates the video ({@code POST /library/{id}/videos}, camel-http with
 * the {@code AccessKey} header); this bean records its guid (so a retry never creates a second video),
 * uploads the bytes by TUS with Bunny's presigned headers, and reads the encoding state from Bunny's API or
 * its webhook.
 *
 * <p>The TUS upload is tus-java-client's: its URL store is Redis, keyed by the video guid, so a retry (or a
 * restart of Camelcast) asks Bunny for the offset with HEAD and sends only the rest. The signature is
 * {@code sha256(libraryId + apiKey + expire + videoId)}, as Bunny documents; it is never logged.
 */
public final class BunnyVideos {

    private static final Logger LOG = LoggerFactory.getLogger(BunnyVideos.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Bunny's video status: 0 created, 1 uploaded, 2 processing, 3 transcoding, 4 finished, 5 error, 6 upload failed. */
    public static final int FINISHED = 4;

    private final ItemFields state;
    private final UnifiedJedis redis;
    private final S3Client staging;
    private final String tusUrl;
    private final String libraryId;
    private final String apiKey;
    private final String collectionId;
    private final String wait;
    private final Duration pollEvery;
    private final Duration encodeTimeout;
    private final Duration signatureLifetime;
    private final int requestBytes;
    private final String cdnHost;
    private final Clock clock;

    public BunnyVideos(ItemFields state, UnifiedJedis redis, S3Client staging, Map<String, String> config, Clock clock) {
        this.state = state;
        this.redis = redis;
        this.staging = staging;
        this.tusUrl = config.get("tus-url");
        this.libraryId = config.getOrDefault("library-id", "");
        this.apiKey = config.getOrDefault("api-key", "");
        this.collectionId = blankToNull(config.get("collection-id"));
        this.wait = config.getOrDefault("wait", "none").toLowerCase(Locale.ROOT);
        if (!wait.equals("none") && !wait.equals("poll") && !wait.equals("webhook")) {
            throw new IllegalArgumentException("camelcast.bunny.wait must be none, poll or webhook, not " + wait);
        }
        this.pollEvery = Duration.ofSeconds(Long.parseLong(config.getOrDefault("poll-seconds", "30")));
        this.encodeTimeout = Duration.ofMinutes(Long.parseLong(config.getOrDefault("encode-timeout-minutes", "240")));
        this.signatureLifetime = Duration.ofMinutes(Long.parseLong(config.getOrDefault("signature-minutes", "1440")));
        this.requestBytes = Integer.parseInt(config.getOrDefault("request-bytes", Integer.toString(32 << 20)));
        this.cdnHost = blankToNull(config.get("cdn-host"));
        this.clock = clock;
    }

    /** none: done when uploaded; poll: ask Bunny's API; webhook: wait for Bunny's encode webhook. */
    public String getWait() {
        return wait;
    }

    public String guid(UploadItem item) {
        return state.get(item.id, "bunny.guid");
    }

    /** True until the video exists in the library (its guid is in the status). */
    public boolean needsVideo(UploadItem item) {
        return state.get(item.id, "bunny.guid") == null;
    }

    /** The create-video request: the uploader's title, else the file name. */
    public String createRequest(UploadItem item) throws IOException {
        if (libraryId.isBlank() || apiKey.isBlank()) {
            throw new io.camelcast.dlq.PermanentFailure(
                    "Bunny Stream is a target but camelcast.bunny.library-id or camelcast.bunny.api-key is not set");
        }
        ObjectNode body = JSON.createObjectNode();
        String title = item.metadata.getOrDefault("title", item.name == null ? item.id : item.name);
        body.put("title", title.isBlank() ? item.id : title);
        if (collectionId != null) {
            body.put("collectionId", collectionId);
        }
        return JSON.writeValueAsString(body);
    }

    /** Bunny's answer to the create: its guid goes into the status before any byte is sent. */
    public void created(UploadItem item, String response) throws IOException {
        JsonNode video = JSON.readTree(response);
        String guid = video.path("guid").asText("");
        if (guid.isEmpty()) {
            throw new IOException("Bunny's create-video answer has no guid");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("bunny.guid", guid);
        fields.put("bunny.library-id", libraryId);
        state.put(item.id, fields);
        redis.set(videoKey(guid), item.id);
        LOG.info("upload bunny video created id={} guid={}", item.id, guid);
    }

    /** The presigned TUS headers for one video. */
    public Map<String, String> tusHeaders(String videoId) {
        long expire = clock.instant().plus(signatureLifetime).getEpochSecond();
        Map<String, String> h = new LinkedHashMap<>();
        h.put("AuthorizationSignature", signature(libraryId, apiKey, expire, videoId));
        h.put("AuthorizationExpire", Long.toString(expire));
        h.put("VideoId", videoId);
        h.put("LibraryId", libraryId);
        return h;
    }

    public static String signature(String libraryId, String apiKey, long expire, String videoId) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((libraryId + apiKey + expire + videoId).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends the bytes by TUS, resuming an upload an earlier try began. */
    public void upload(UploadItem item) throws IOException {
        String guid = state.get(item.id, "bunny.guid");
        if (guid == null) {
            throw new IllegalStateException("upload " + item.id + ": no Bunny video to upload into");
        }
        if ("true".equals(state.get(item.id, "bunny.uploaded"))) {
            return;
        }
        TusClient client = new TusClient();
        client.setUploadCreationURL(new URL(tusUrl));
        client.enableResuming(new RedisUrlStore(redis));
        client.setHeaders(tusHeaders(guid));
        client.setConnectTimeout(15_000);
        TusUpload upload = new TusUpload();
        upload.setSize(item.size);
        upload.setFingerprint("bunny:" + guid);
        upload.setInputStream(new SeekableStream(MediaSource.of(item, staging)));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("filetype", item.metadata.getOrDefault("filetype", "video/mp4"));
        metadata.put("title", item.metadata.getOrDefault("title", item.name == null ? item.id : item.name));
        upload.setMetadata(metadata);
        long started = System.nanoTime();
        try {
            TusUploader uploader = client.resumeOrCreateUpload(upload);
            long from = uploader.getOffset();
            if (from > 0) {
                LOG.info("upload bunny resumed id={} guid={} offset={}", item.id, guid, from);
            }
            uploader.setChunkSize(1 << 20);
            uploader.setRequestPayloadSize((int) Math.min(requestBytes, Math.max(1, item.size)));
            long nextLog = 1L << 30;
            while (uploader.uploadChunk() > -1) {
                if (uploader.getOffset() >= nextLog) {
                    LOG.info("upload bunny progress id={} guid={} mb={}/{}", item.id, guid, uploader.getOffset() >> 20, item.size >> 20);
                    nextLog += 1L << 30;
                }
            }
            uploader.finish();
            if (uploader.getOffset() != item.size) {
                throw new IOException("Bunny took " + uploader.getOffset() + " of " + item.size + " bytes");
            }
            long ms = Math.max(1, (System.nanoTime() - started) / 1_000_000);
            LOG.info("upload bunny uploaded id={} guid={} bytes={} ms={} mb_per_s={}", item.id, guid, item.size - from, ms,
                    String.format(Locale.ROOT, "%.1f", (item.size - from) / 1048576.0 / (ms / 1000.0)));
        } catch (ProtocolException e) {
            int code = -1;
            try {
                code = e.getCausingConnection() == null ? -1 : e.getCausingConnection().getResponseCode();
            } catch (IOException ignored) {
                // the connection is gone; the message says enough
            }
            throw new IOException("Bunny TUS upload failed (HTTP " + code + "): " + e.getMessage(), e);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("bunny.uploaded", "true");
        fields.put("bunny.uploaded-at", clock.instant().toString());
        state.put(item.id, fields);
    }

    /** A poll of {@code GET /library/{id}/videos/{guid}}: finished, failed, or look again later. */
    public void encodeStatus(UploadItem item, String response) throws IOException {
        JsonNode video = JSON.readTree(response);
        encoded(item, video.path("status").asInt(-1), video.path("encodeProgress").asInt(0));
    }

    /** The webhook's verdict, if it came; else look again later. */
    public void webhookStatus(UploadItem item) throws IOException {
        String s = state.get(item.id, "bunny.webhook-status");
        if (s == null) {
            waitMore(item);
            return;
        }
        // webhook statuses: 3 finished, 4 resolution finished, 5 failed
        int status = Integer.parseInt(s);
        encoded(item, status == 3 || status == 4 ? FINISHED : status == 5 ? 5 : 2, 0);
    }

    private void encoded(UploadItem item, int status, int progress) throws IOException {
        if (status == FINISHED) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("bunny.encoded-at", clock.instant().toString());
            state.put(item.id, fields);
            LOG.info("upload bunny encoded id={} guid={}", item.id, state.get(item.id, "bunny.guid"));
            return;
        }
        if (status == 5 || status == 6) {
            throw new IOException("Bunny could not encode video " + state.get(item.id, "bunny.guid") + " (status " + status + ")");
        }
        LOG.info("upload bunny encoding id={} guid={} status={} progress={}", item.id, state.get(item.id, "bunny.guid"), status, progress);
        waitMore(item);
    }

    private void waitMore(UploadItem item) throws IOException {
        String since = state.get(item.id, "bunny.uploaded-at");
        if (since != null && clock.instant().isAfter(Instant.parse(since).plus(encodeTimeout))) {
            throw new IOException("Bunny has not finished encoding " + state.get(item.id, "bunny.guid") + " within "
                    + encodeTimeout.toMinutes() + " minutes");
        }
        item.waitSeconds = pollEvery.toSeconds();
    }

    /**
     * {@code POST /bunny/webhook} {@code {VideoLibraryId, VideoGuid, Status}}: recorded on the item that owns the
     * video. Returns the item id, or null for a video Camelcast did not upload (answered 200 all the same:
     * Bunny retries otherwise).
     */
    public String webhook(String body) throws IOException {
        JsonNode hook;
        try {
            hook = JSON.readTree(body);
        } catch (IOException e) {
            throw new io.camelcast.http.Refused(400, "the body is not JSON");
        }
        String guid = hook.path("VideoGuid").asText("");
        if (guid.isEmpty() || !hook.path("Status").isInt()) {
            throw new io.camelcast.http.Refused(400, "VideoGuid and Status are required");
        }
        if (!libraryId.equals(hook.path("VideoLibraryId").asText())) {
            throw new io.camelcast.http.Refused(400, "VideoLibraryId is not camelcast.bunny.library-id");
        }
        String id = redis.get(videoKey(guid));
        if (id == null) {
            LOG.info("bunny webhook for an unknown video guid={} status={}", guid, hook.path("Status").asInt());
            return null;
        }
        state.put(id, Map.of("bunny.webhook-status", Integer.toString(hook.path("Status").asInt())));
        LOG.info("bunny webhook id={} guid={} status={}", id, guid, hook.path("Status").asInt());
        return id;
    }

    /** For the notification: the guid and the URLs a site embeds or plays. */
    public Map<String, String> urls(String guid) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("embed_url", "https://iframe.mediadelivery.net/embed/" + libraryId + "/" + guid);
        if (cdnHost != null) {
            out.put("playlist_url", "https://" + cdnHost + "/" + guid + "/playlist.m3u8");
            out.put("thumbnail_url", "https://" + cdnHost + "/" + guid + "/thumbnail.jpg");
        }
        return out;
    }

    private static String videoKey(String guid) {
        return "camelcast:bunny:video:" + guid;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** tus-java-client's resume memory in Redis: a retry on any instance finds the upload URL. */
    static final class RedisUrlStore implements TusURLStore {
        private final UnifiedJedis redis;

        RedisUrlStore(UnifiedJedis redis) {
            this.redis = redis;
        }

        @Override
        public void set(String fingerprint, URL url) {
            redis.setex("camelcast:tus-client:" + fingerprint, 7L * 86_400, url.toString());
        }

        @Override
        public URL get(String fingerprint) {
            String u = redis.get("camelcast:tus-client:" + fingerprint);
            try {
                return u == null ? null : new URL(u);
            } catch (MalformedURLException e) {
                return null;
            }
        }

        @Override
        public void remove(String fingerprint) {
            redis.del("camelcast:tus-client:" + fingerprint);
        }
    }

    /**
     * The source as one stream whose {@code skip} reopens at the new offset (tus-java-client skips to the
     * server's offset when it resumes): a resumed 4 GB upload from staging does not read the first part again.
     */
    static final class SeekableStream extends InputStream {
        private final MediaSource source;
        private long position;
        private InputStream in;

        SeekableStream(MediaSource source) {
            this.source = source;
        }

        private InputStream in() throws IOException {
            if (in == null) {
                in = source.open(position, source.size() - position);
            }
            return in;
        }

        @Override
        public int read() throws IOException {
            int b = in().read();
            if (b >= 0) {
                position++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in().read(b, off, len);
            if (n > 0) {
                position += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long to = Math.min(source.size(), position + Math.max(0, n));
            long skipped = to - position;
            close();
            position = to;
            return skipped;
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
                in = null;
            }
        }
    }
}
