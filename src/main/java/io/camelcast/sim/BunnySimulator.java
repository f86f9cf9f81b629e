package io.camelcast.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A stateful stand-in for Bunny Stream, written from its public API documentation:
 * <ul>
 *   <li>{@code POST /library/{libraryId}/videos} ({@code AccessKey} header) creates a video and answers
 *       its object (guid, status 0 = created);</li>
 *   <li>{@code GET /library/{libraryId}/videos/{videoId}}: the video, its status (1 uploaded, 3 transcoding,
 *       4 finished), size and length;</li>
 *   <li>TUS 1.0.0 at {@code /tusupload} (creation, HEAD, PATCH, termination) authorised per video by
 *       {@code AuthorizationSignature = sha256(libraryId + apiKey + AuthorizationExpire + videoId)},
 *       {@code AuthorizationExpire} (unix seconds, in the future), {@code VideoId}, {@code LibraryId}: a
 *       wrong or expired signature is 401. Bytes are hashed as they arrive (size and SHA-256 at
 *       {@code GET /_sim/videos}), nothing is kept in memory;</li>
 *   <li>when an upload completes the video encodes for {@code encodeMillis} and Bunny's webhook
 *       ({@code {VideoLibraryId, VideoGuid, Status: 3}}, "finished") goes to the URL set with
 *       {@code POST /_sim/webhook {"url": ...}}.</li>
 * </ul>
 */
public final class BunnySimulator extends SimServer {

    public static final long DEFAULT_LIBRARY_ID = 4242;
    public static final String DEFAULT_API_KEY = "sim-bunny-api-key";

    private final Map<String, ObjectNode> videos = new LinkedHashMap<>();
    private final Map<String, Upload> uploads = new LinkedHashMap<>();
    private final List<Map<String, Object>> webhooks = new ArrayList<>();
    private final ScheduledExecutorService encoder = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sim-bunny-encoder");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private volatile long libraryId = DEFAULT_LIBRARY_ID;
    private volatile String apiKey = DEFAULT_API_KEY;
    private volatile String webhookUrl;
    private volatile long encodeMillis = 300;

    /** One TUS upload into a video: how far it got and the digest of what arrived. */
    private static final class Upload {
        final String id;
        final String videoId;
        final long length;
        final Map<String, String> metadata;
        final MessageDigest sha = sha256();
        long offset;

        Upload(String id, String videoId, long length, Map<String, String> metadata) {
            this.id = id;
            this.videoId = videoId;
            this.length = length;
            this.metadata = metadata;
        }
    }

    public BunnySimulator() {
        super("bunny");
        on("POST", "/library/([^/]+)/videos", this::createVideo);
        on("GET", "/library/([^/]+)/videos/([^/]+)", this::getVideo);
        on("OPTIONS", "/tusupload", this::options);
        on("POST", "/tusupload", this::createUpload);
        on("HEAD", "/tusupload/([^/]+)", this::headUpload);
        on("PATCH", "/tusupload/([^/]+)", this::patchUpload);
        // TUS lets clients that cannot send PATCH (Java's HttpURLConnection) POST with an override
        on("POST", "/tusupload/([^/]+)", r -> {
            if ("PATCH".equalsIgnoreCase(r.header("X-HTTP-Method-Override"))) {
                patchUpload(r);
            } else {
                r.text(405, "POST on an upload needs X-HTTP-Method-Override: PATCH");
            }
        });
        on("DELETE", "/tusupload/([^/]+)", this::deleteUpload);
        on("GET", "/_sim/videos", r -> r.json(200, videos()));
        on("GET", "/_sim/webhooks", r -> r.json(200, webhooks()));
        on("POST", "/_sim/webhook", r -> {
            webhookUrl = JSON.readTree(r.body()).path("url").asText(null);
            r.json(200, Map.of("url", String.valueOf(webhookUrl)));
        });
    }

    public void setCredentials(long libraryId, String apiKey) {
        this.libraryId = libraryId;
        this.apiKey = apiKey;
    }

    public void setWebhookUrl(String url) {
        this.webhookUrl = url;
    }

    public void setEncodeMillis(long millis) {
        this.encodeMillis = millis;
    }

    public synchronized List<ObjectNode> videos() {
        return videos.values().stream().map(ObjectNode::deepCopy).toList();
    }

    public synchronized List<Map<String, Object>> webhooks() {
        return List.copyOf(webhooks);
    }

    /** The TUS signature Bunny expects (hex SHA-256 of library id + API key + expiry + video id). */
    public static String signature(long libraryId, String apiKey, long expire, String videoId) {
        return HexFormat.of().formatHex(sha256().digest((libraryId + apiKey + expire + videoId).getBytes(StandardCharsets.UTF_8)));
    }

    // ---- REST ----------------------------------------------------------------------------------

    private synchronized void createVideo(Request r) throws IOException {
        if (!libraryAuthorised(r)) {
            return;
        }
        byte[] raw = r.body();
        var body = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
        if (!body.hasNonNull("title") || body.path("title").asText().isBlank()) {
            r.json(400, Map.of("success", false, "message", "The title field is required.", "statusCode", 400));
            return;
        }
        ObjectNode v = JSON.createObjectNode();
        String guid = UUID.randomUUID().toString();
        v.put("videoLibraryId", libraryId);
        v.put("guid", guid);
        v.put("title", body.path("title").asText());
        v.put("dateUploaded", Instant.now().toString());
        v.put("status", 0);
        v.put("storageSize", 0);
        v.put("length", 0);
        v.put("encodeProgress", 0);
        v.put("collectionId", body.path("collectionId").asText(""));
        videos.put(guid, v);
        r.json(200, v);
    }

    private synchronized void getVideo(Request r) throws IOException {
        if (!libraryAuthorised(r)) {
            return;
        }
        ObjectNode v = videos.get(r.path(2));
        if (v == null) {
            r.json(404, Map.of("success", false, "message", "Video not found", "statusCode", 404));
            return;
        }
        r.json(200, v);
    }

    private boolean libraryAuthorised(Request r) throws IOException {
        if (!Long.toString(libraryId).equals(r.path(1))) {
            r.json(404, Map.of("success", false, "message", "Video library not found", "statusCode", 404));
            return false;
        }
        String key = r.header("AccessKey");
        if (key == null || !MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8), apiKey.getBytes(StandardCharsets.UTF_8))) {
            r.json(401, Map.of("success", false, "message", "Authorization has been denied for this request.", "statusCode", 401));
            return false;
        }
        return true;
    }

    // ---- TUS -----------------------------------------------------------------------------------

    private void options(Request r) throws IOException {
        r.setHeader("Tus-Resumable", "1.0.0");
        r.setHeader("Tus-Version", "1.0.0");
        r.setHeader("Tus-Extension", "creation,creation-with-upload,termination");
        r.empty(204);
    }

    private synchronized void createUpload(Request r) throws IOException {
        r.setHeader("Tus-Resumable", "1.0.0");
        String videoId = r.header("VideoId");
        if (!tusAuthorised(r, videoId)) {
            return;
        }
        long length;
        try {
            length = Long.parseLong(r.header("Upload-Length"));
        } catch (RuntimeException e) {
            r.text(400, "Upload-Length header required");
            return;
        }
        Upload u = new Upload(UUID.randomUUID().toString(), videoId, length, metadata(r.header("Upload-Metadata")));
        uploads.put(u.id, u);
        r.setHeader("Location", url() + "/tusupload/" + u.id);
        if ("application/offset+octet-stream".equals(r.header("Content-Type"))) {
            append(r, u);
        }
        r.setHeader("Upload-Offset", Long.toString(u.offset));
        r.empty(201);
    }

    private synchronized void headUpload(Request r) throws IOException {
        r.setHeader("Tus-Resumable", "1.0.0");
        r.setHeader("Cache-Control", "no-store");
        Upload u = uploads.get(r.path(1));
        if (u == null) {
            r.empty(404);
            return;
        }
        if (!tusAuthorised(r, u.videoId)) {
            return;
        }
        r.setHeader("Upload-Offset", Long.toString(u.offset));
        r.setHeader("Upload-Length", Long.toString(u.length));
        r.empty(200);
    }

    private void patchUpload(Request r) throws IOException {
        Upload u;
        synchronized (this) {
            u = uploads.get(r.path(1));
        }
        r.setHeader("Tus-Resumable", "1.0.0");
        if (u == null) {
            r.empty(404);
            return;
        }
        if (!tusAuthorised(r, u.videoId)) {
            return;
        }
        if (!"application/offset+octet-stream".equals(r.header("Content-Type"))) {
            r.text(415, "Content-Type must be application/offset+octet-stream");
            return;
        }
        synchronized (u) {
            long offset;
            try {
                offset = Long.parseLong(r.header("Upload-Offset"));
            } catch (RuntimeException e) {
                r.text(400, "Upload-Offset header required");
                return;
            }
            if (offset != u.offset) {
                r.text(409, "Upload-Offset " + offset + " does not match " + u.offset);
                return;
            }
            append(r, u);
            r.setHeader("Upload-Offset", Long.toString(u.offset));
            r.empty(204);
        }
    }

    private synchronized void deleteUpload(Request r) throws IOException {
        r.setHeader("Tus-Resumable", "1.0.0");
        Upload u = uploads.remove(r.path(1));
        r.empty(u == null ? 404 : 204);
    }

    /** Reads the request body into the upload, stopping at its length; a dropped connection keeps what arrived. */
    private void append(Request r, Upload u) throws IOException {
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = r.bodyStream()) {
            int n;
            while (u.offset < u.length && (n = in.read(buf, 0, (int) Math.min(buf.length, u.length - u.offset))) > 0) {
                u.sha.update(buf, 0, n);
                u.offset += n;
            }
        } catch (IOException dropped) {
            // the client went away: the offset says how far it got, it resumes with HEAD + PATCH
        }
        if (u.offset == u.length) {
            completed(u);
        }
    }

    private synchronized void completed(Upload u) {
        ObjectNode v = videos.get(u.videoId);
        if (v == null || v.path("status").asInt() >= 1) {
            return;
        }
        v.put("status", 1);
        v.put("storageSize", u.length);
        v.put("sha256", HexFormat.of().formatHex(u.sha.digest()));
        v.put("uploadedTitle", u.metadata.getOrDefault("title", ""));
        v.put("filetype", u.metadata.getOrDefault("filetype", ""));
        encoder.schedule(() -> finishEncoding(u.videoId), encodeMillis, TimeUnit.MILLISECONDS);
    }

    private void finishEncoding(String videoId) {
        String target;
        synchronized (this) {
            ObjectNode v = videos.get(videoId);
            if (v == null) {
                return;
            }
            v.put("status", 4);
            v.put("encodeProgress", 100);
            v.put("length", Math.max(1, v.path("storageSize").asLong() / 250_000));
            target = webhookUrl;
        }
        if (target == null) {
            return;
        }
        Map<String, Object> sent = new LinkedHashMap<>();
        sent.put("VideoLibraryId", libraryId);
        sent.put("VideoGuid", videoId);
        sent.put("Status", 3);
        try {
            HttpResponse<String> resp = client.send(HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(sent)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            sent.put("answer", resp.statusCode());
        } catch (IOException | InterruptedException e) {
            sent.put("answer", e.getClass().getSimpleName());
        }
        synchronized (this) {
            webhooks.add(sent);
        }
    }

    private boolean tusAuthorised(Request r, String videoId) throws IOException {
        String sig = r.header("AuthorizationSignature");
        String expire = r.header("AuthorizationExpire");
        String library = r.header("LibraryId");
        if (sig == null || expire == null || library == null || videoId == null) {
            r.text(401, "AuthorizationSignature, AuthorizationExpire, VideoId and LibraryId headers are required");
            return false;
        }
        long exp;
        try {
            exp = Long.parseLong(expire);
        } catch (NumberFormatException e) {
            r.text(401, "AuthorizationExpire is not a unix time");
            return false;
        }
        if (exp < Instant.now().getEpochSecond()) {
            r.text(401, "the upload signature has expired");
            return false;
        }
        String expected = signature(libraryId, apiKey, exp, videoId);
        if (!library.equals(Long.toString(libraryId)) || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                sig.getBytes(StandardCharsets.UTF_8))) {
            r.text(401, "invalid upload signature");
            return false;
        }
        synchronized (this) {
            if (!videos.containsKey(videoId)) {
                r.text(404, "video " + videoId + " does not exist");
                return false;
            }
        }
        return true;
    }

    /** TUS Upload-Metadata: {@code key base64value,key base64value}. */
    static Map<String, String> metadata(String header) {
        Map<String, String> out = new LinkedHashMap<>();
        if (header == null || header.isBlank()) {
            return out;
        }
        for (String pair : header.split(",")) {
            String[] kv = pair.trim().split(" ", 2);
            out.put(kv[0], kv.length > 1 ? new String(Base64.getDecoder().decode(kv[1].trim()), StandardCharsets.UTF_8) : "");
        }
        return out;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        encoder.shutdownNow();
        super.close();
    }
}
