package io.camelcast.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A stateful stand-in for Zoom, written from Zoom's public API documentation: signed webhooks
 * (including the {@code endpoint.url_validation} challenge), recording downloads of any size streamed
 * from a generator (never held in memory, {@code Range} honoured), server-to-server OAuth and the
 * REST subset Camelcast uses (meeting recordings, users' recordings, Dashboard metrics, past-meeting
 * and report participants) with {@code next_page_token} paging.
 */
public final class ZoomSimulator extends SimServer {

    public static final String DEFAULT_ACCOUNT_ID = "sim-account";
    public static final String DEFAULT_CLIENT_ID = "sim-client-id";
    public static final String DEFAULT_CLIENT_SECRET = "sim-client-secret";
    /** A download token the simulator always accepts, as a webhook's {@code download_token}. */
    public static final String DEFAULT_DOWNLOAD_TOKEN = "sim-download-token";

    private static final int BLOCK = 64 * 1024;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private volatile String accountId = DEFAULT_ACCOUNT_ID;
    private volatile String clientId = DEFAULT_CLIENT_ID;
    private volatile String clientSecret = DEFAULT_CLIENT_SECRET;
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final List<ObjectNode> recordings = new CopyOnWriteArrayList<>();
    private final List<ObjectNode> meetings = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Map<String, Object>> webhooks = new CopyOnWriteArrayList<>();
    private final Map<String, Path> files = new ConcurrentHashMap<>();
    private final Path fileDir;

    public ZoomSimulator() {
        super("zoom");
        try {
            fileDir = Files.createTempDirectory("zoom-sim-files");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the simulator's file folder", e);
        }
        tokens.add(DEFAULT_DOWNLOAD_TOKEN);
        on("POST", "/oauth/token", this::token);
        on("GET", "/rec/download/(.+)", bearer(this::download));
        on("HEAD", "/rec/download/(.+)", bearer(this::download));
        on("GET", "/v2/meetings/(.+)/recordings", bearer(this::meetingRecordings));
        on("GET", "/v2/users/([^/]+)/recordings", bearer(this::userRecordings));
        on("GET", "/v2/metrics/meetings", bearer(this::metricsMeetings));
        on("GET", "/v2/metrics/meetings/(.+)/participants", bearer(this::participants));
        on("GET", "/v2/past_meetings/(.+)/participants", bearer(this::participants));
        on("GET", "/v2/report/meetings/(.+)/participants", bearer(this::participants));
        on("POST", "/_sim/recordings", r -> r.json(201, registerRecording((ObjectNode) JSON.readTree(r.body()))));
        on("GET", "/_sim/recordings", r -> r.json(200, recordings));
        on("POST", "/_sim/meetings", r -> r.json(201, registerMeeting((ObjectNode) JSON.readTree(r.body()))));
        on("GET", "/_sim/requests", r -> r.json(200, requests));
        on("GET", "/_sim/webhooks", r -> r.json(200, webhooks));
        on("POST", "/_sim/webhooks", this::sendWebhookOnRequest);
        on("POST", "/_sim/files/([^/]+)", this::storeFile);
        on("DELETE", "/_sim/state", r -> {
            reset();
            r.empty(204);
        });
    }

    // ---- state -------------------------------------------------------------------------------

    public void setCredentials(String accountId, String clientId, String clientSecret) {
        this.accountId = accountId;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
    }

    /** Registers a recording (Zoom's recording object); missing fields get defaults, download URLs point here. */
    public ObjectNode registerRecording(ObjectNode recording) {
        ObjectNode r = recording.deepCopy();
        if (!r.hasNonNull("uuid")) {
            r.put("uuid", Base64.getEncoder().encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)).substring(0, 22) + "==");
        }
        if (!r.hasNonNull("id")) {
            r.put("id", 80000000000L + recordings.size());
        }
        if (!r.hasNonNull("start_time")) {
            r.put("start_time", Instant.now().minusSeconds(3600).toString().replaceAll("\\.\\d+Z$", "Z"));
        }
        if (!r.hasNonNull("host_id")) {
            r.put("host_id", "sim-host");
        }
        if (!r.hasNonNull("download_token")) {
            r.put("download_token", DEFAULT_DOWNLOAD_TOKEN);
        }
        tokens.add(r.get("download_token").asText());
        for (JsonNode f : r.withArray("recording_files")) {
            ObjectNode file = (ObjectNode) f;
            if (!file.hasNonNull("id")) {
                file.put("id", UUID.randomUUID().toString());
            }
            file.put("meeting_id", r.get("uuid").asText());
            if (!file.hasNonNull("download_url")) {
                file.put("download_url", downloadUrl(file.get("id").asText(), file.path("file_size").asLong(0)));
            }
            if (!file.hasNonNull("status")) {
                file.put("status", "completed");
            }
        }
        recordings.add(r);
        return r;
    }

    /** Registers a past meeting for the Dashboard and report APIs, with its {@code participants} array. */
    public ObjectNode registerMeeting(ObjectNode meeting) {
        ObjectNode m = meeting.deepCopy();
        if (!m.hasNonNull("uuid")) {
            m.put("uuid", UUID.randomUUID().toString());
        }
        if (!m.has("participants")) {
            m.putArray("participants");
        }
        meetings.add(m);
        return m;
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    public void reset() {
        recordings.clear();
        meetings.clear();
        requests.clear();
        webhooks.clear();
        tokens.retainAll(Set.of(DEFAULT_DOWNLOAD_TOKEN));
        faults().clear();
    }

    public String downloadUrl(String fileId, long size) {
        return url() + "/rec/download/" + fileId + (size > 0 ? "?size=" + size : "");
    }

    // ---- webhooks ----------------------------------------------------------------------------

    /** {@code v0=} + hex HMAC-SHA256 of {@code v0:{timestamp}:{body}}, as Zoom signs webhooks. */
    public static String sign(String secret, String timestamp, String body) {
        return "v0=" + hmacHex(secret, "v0:" + timestamp + ":" + body);
    }

    public static String hmacHex(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    public HttpResponse<String> sendWebhook(URI target, String secret, String eventJson) throws IOException, InterruptedException {
        return sendWebhook(target, secret, eventJson, Instant.now().getEpochSecond());
    }

    /** Posts a webhook signed for the given timestamp (epoch seconds): replay-window tests send old ones. */
    public HttpResponse<String> sendWebhook(URI target, String secret, String eventJson, long timestamp)
            throws IOException, InterruptedException {
        String ts = Long.toString(timestamp);
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(target)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "Zoom Marketplace/1.0a")
                .header("x-zm-request-timestamp", ts)
                .header("x-zm-signature", sign(secret, ts, eventJson))
                .POST(HttpRequest.BodyPublishers.ofString(eventJson, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
        webhooks.add(Map.of("target", target.toString(), "status", response.statusCode(), "at", Instant.now().toString()));
        return response;
    }

    /** Zoom's endpoint validation: the endpoint must answer {plainToken, encryptedToken=HMAC(secret, plainToken)}. */
    public boolean validateEndpoint(URI target, String secret) throws IOException, InterruptedException {
        byte[] raw = new byte[16];
        new SecureRandom().nextBytes(raw);
        String plainToken = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        ObjectNode event = JSON.createObjectNode();
        event.put("event", "endpoint.url_validation");
        event.putObject("payload").put("plainToken", plainToken);
        event.put("event_ts", System.currentTimeMillis());
        HttpResponse<String> response = sendWebhook(target, secret, event.toString());
        if (response.statusCode() != 200) {
            return false;
        }
        try {
            JsonNode answer = JSON.readTree(response.body());
            return plainToken.equals(answer.path("plainToken").asText())
                    && hmacHex(secret, plainToken).equals(answer.path("encryptedToken").asText());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A {@code recording.completed} event as Zoom documents it: one MP4 per view (shared screen with
     * speaker, active speaker, gallery), an audio-only M4A and the chat file, downloads served here.
     */
    public ObjectNode recordingCompletedEvent(String uuid, long meetingId, String topic, String startTimeIso,
                                              int durationMinutes, long fileSize) {
        ObjectNode event = JSON.createObjectNode();
        event.put("event", "recording.completed");
        event.put("event_ts", System.currentTimeMillis());
        ObjectNode payload = event.putObject("payload");
        payload.put("account_id", accountId);
        ObjectNode object = payload.putObject("object");
        object.put("uuid", uuid);
        object.put("id", meetingId);
        object.put("account_id", accountId);
        object.put("host_id", "sim-host");
        object.put("host_email", "host@example.edu");
        object.put("topic", topic);
        object.put("type", 8);
        object.put("start_time", startTimeIso);
        object.put("timezone", "America/New_York");
        object.put("duration", durationMinutes);
        object.put("share_url", url() + "/rec/share/" + meetingId);
        Instant start = Instant.parse(startTimeIso);
        Instant end = start.plusSeconds(durationMinutes * 60L);
        ArrayNode files = object.putArray("recording_files");
        long total = 0;
        String[][] kinds = {
                {"MP4", "MP4", "shared_screen_with_speaker_view"},
                {"MP4", "MP4", "active_speaker"},
                {"MP4", "MP4", "gallery_view"},
                {"M4A", "M4A", "audio_only"},
                {"CHAT", "TXT", "chat_file"}};
        for (String[] kind : kinds) {
            ObjectNode f = files.addObject();
            String id = UUID.nameUUIDFromBytes((uuid + kind[2]).getBytes(StandardCharsets.UTF_8)).toString();
            long size = "CHAT".equals(kind[0]) ? 2048 : fileSize;
            total += size;
            f.put("id", id);
            f.put("meeting_id", uuid);
            f.put("recording_start", start.toString());
            f.put("recording_end", end.toString());
            f.put("file_type", kind[0]);
            f.put("file_extension", kind[1]);
            f.put("file_size", size);
            f.put("play_url", url() + "/rec/play/" + id);
            f.put("download_url", downloadUrl(id, size));
            f.put("status", "completed");
            f.put("recording_type", kind[2]);
        }
        object.put("total_size", total);
        object.put("recording_count", files.size());
        event.put("download_token", DEFAULT_DOWNLOAD_TOKEN);
        return event;
    }

    private void sendWebhookOnRequest(Request r) throws Exception {
        JsonNode body = JSON.readTree(r.body());
        String target = body.path("target").asText(null);
        String secret = body.path("secret").asText(null);
        if (target == null || secret == null || !body.has("event")) {
            r.text(400, "need target, secret and event");
            return;
        }
        HttpResponse<String> response = sendWebhook(URI.create(target), secret, body.get("event").toString());
        r.json(200, Map.of("status", response.statusCode(), "body", response.body()));
    }

    // ---- OAuth and REST ----------------------------------------------------------------------

    private void token(Request r) throws IOException {
        track(r);
        String expected = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(r.header("Authorization"))) {
            r.json(401, Map.of("reason", "Invalid client_id or client_secret", "error", "invalid_client"));
            return;
        }
        if (!"account_credentials".equals(r.query("grant_type")) || !accountId.equals(r.query("account_id"))) {
            r.json(400, Map.of("reason", "Invalid grant type or account id", "error", "invalid_request"));
            return;
        }
        String token = "sim-access-" + UUID.randomUUID();
        tokens.add(token);
        r.json(200, Map.of("access_token", token, "token_type", "bearer", "expires_in", 3600,
                "scope", "cloud_recording:read:admin dashboard_meetings:read:admin report:read:admin"));
    }

    /** Every API call is recorded, then needs a Bearer token the simulator issued (or a download token). */
    private Handler bearer(Handler handler) {
        return r -> {
            track(r);
            String auth = r.header("Authorization");
            String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : r.query("access_token");
            if (token == null || !tokens.contains(token)) {
                r.json(401, Map.of("code", 124, "message", "Invalid access token."));
                return;
            }
            handler.handle(r);
        };
    }

    /** The meeting id or uuid of the path; a uuid starting with '/' or containing '//' arrives double-encoded. */
    private static String meetingId(Request r) {
        String id = r.path(1);
        for (int i = 0; i < 2 && id.contains("%"); i++) {
            id = URLDecoder.decode(id, StandardCharsets.UTF_8);
        }
        return id;
    }

    /** The last registered item whose uuid or numeric id is {@code wanted}. */
    private static ObjectNode byUuidOrId(List<ObjectNode> items, String wanted) {
        return items.stream().filter(x -> wanted.equals(x.path("uuid").asText()) || wanted.equals(x.path("id").asText()))
                .reduce((a, b) -> b).orElse(null);
    }

    private void meetingRecordings(Request r) throws IOException {
        ObjectNode found = byUuidOrId(recordings, meetingId(r));
        if (found == null) {
            r.json(404, Map.of("code", 3301, "message", "This recording does not exist."));
            return;
        }
        ObjectNode out = found.deepCopy();
        out.remove("download_token");
        if (String.valueOf(r.query("include_fields")).contains("download_access_token")) {
            out.put("download_access_token", found.get("download_token").asText());
        }
        r.json(200, out);
    }

    private void userRecordings(Request r) throws IOException {
        String user = r.path(1);
        LocalDate from = date(r.query("from"), LocalDate.now().minusDays(1));
        LocalDate to = date(r.query("to"), LocalDate.now());
        Predicate<ObjectNode> matches = x -> {
            LocalDate day = LocalDate.parse(x.get("start_time").asText().substring(0, 10));
            boolean userOk = "me".equals(user) || user.equals(x.path("host_id").asText()) || user.equals(x.path("host_email").asText());
            return userOk && !day.isBefore(from) && !day.isAfter(to);
        };
        List<ObjectNode> all = recordings.stream().filter(matches).map(x -> {
            ObjectNode c = x.deepCopy();
            c.remove("download_token");
            return c;
        }).toList();
        answerDated(r, all, from, to);
    }

    private void metricsMeetings(Request r) throws IOException {
        LocalDate from = date(r.query("from"), LocalDate.now().minusDays(1));
        LocalDate to = date(r.query("to"), LocalDate.now());
        List<ObjectNode> all = meetings.stream().filter(m -> {
            LocalDate day = LocalDate.parse(m.path("start_time").asText(Instant.now().toString()).substring(0, 10));
            return !day.isBefore(from) && !day.isAfter(to);
        }).map(m -> {
            ObjectNode c = m.deepCopy();
            c.put("participants", m.withArray("participants").size());
            return c;
        }).toList();
        answerDated(r, all, from, to);
    }

    private void participants(Request r) throws IOException {
        ObjectNode meeting = byUuidOrId(meetings, meetingId(r));
        if (meeting == null) {
            r.json(404, Map.of("code", 3001, "message", "Meeting does not exist: " + meetingId(r) + "."));
            return;
        }
        List<ObjectNode> all = new ArrayList<>();
        meeting.withArray("participants").forEach(p -> all.add((ObjectNode) p));
        r.json(200, page(r, all, "participants"));
    }

    /** A page of {@code meetings} with the from/to dates Zoom echoes back. */
    private void answerDated(Request r, List<ObjectNode> all, LocalDate from, LocalDate to) throws IOException {
        ObjectNode page = page(r, all, "meetings");
        page.put("from", from.toString());
        page.put("to", to.toString());
        r.json(200, page);
    }

    /** Zoom's paging: page_size (default 30, at most 300) and an opaque next_page_token, "" at the end. */
    private ObjectNode page(Request r, List<ObjectNode> all, String field) {
        int size = Math.max(1, Math.min(300, parseInt(r.query("page_size"), 30)));
        int offset = 0;
        String token = r.query("next_page_token");
        if (token != null && !token.isEmpty()) {
            offset = parseInt(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8), 0);
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("page_size", size);
        out.put("total_records", all.size());
        int end = Math.min(all.size(), offset + size);
        out.put("next_page_token", end < all.size()
                ? Base64.getUrlEncoder().withoutPadding().encodeToString(Integer.toString(end).getBytes(StandardCharsets.UTF_8)) : "");
        ArrayNode items = out.putArray(field);
        all.subList(Math.min(offset, all.size()), end).forEach(items::add);
        return out;
    }

    // ---- downloads ---------------------------------------------------------------------------

    private void download(Request r) throws IOException {
        String fileId = r.path(1);
        if ("true".equals(r.query("deleted"))) {
            r.send(200, "text/html; charset=utf-8",
                    "<html><body>This recording has been deleted.</body></html>".getBytes(StandardCharsets.UTF_8));
            return;
        }
        Path stored = files.get(fileId);
        long size = stored != null ? Files.size(stored) : sizeOf(fileId, r.query("size"));
        if (size < 0) {
            r.json(404, Map.of("code", 3301, "message", "This recording does not exist."));
            return;
        }
        long first = 0;
        long last = size - 1;
        int status = 200;
        String range = r.header("Range");
        if (range != null && range.startsWith("bytes=")) {
            String[] ends = range.substring(6).split("-", 2);
            try {
                first = Long.parseLong(ends[0]);
                if (ends.length > 1 && !ends[1].isEmpty()) {
                    last = Math.min(size - 1, Long.parseLong(ends[1]));
                }
            } catch (NumberFormatException e) {
                first = size;
            }
            if (first >= size || first > last) {
                r.setHeader("Content-Range", "bytes */" + size);
                r.empty(416);
                return;
            }
            status = 206;
            r.setHeader("Content-Range", "bytes " + first + "-" + last + "/" + size);
        }
        long length = last - first + 1;
        r.setHeader("Content-Type", "video/mp4");
        r.setHeader("Accept-Ranges", "bytes");
        r.setHeader("Content-Disposition", "attachment; filename=\"" + fileId + ".mp4\"");
        if ("HEAD".equals(r.method())) {
            r.setHeader("Content-Length", Long.toString(length));
            r.exchange().sendResponseHeaders(status, -1);
            return;
        }
        r.exchange().sendResponseHeaders(status, length == 0 ? -1 : length);
        try (OutputStream out = r.exchange().getResponseBody();
             InputStream in = stored != null ? slice(Files.newInputStream(stored), first) : new Generated(fileId, first, size)) {
            byte[] buf = new byte[BLOCK];
            long left = length;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                left -= n;
            }
        }
    }

    private long sizeOf(String fileId, String sizeParam) {
        if (sizeParam != null) {
            try {
                return Long.parseLong(sizeParam);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        for (ObjectNode rec : recordings) {
            for (JsonNode f : rec.withArray("recording_files")) {
                if (fileId.equals(f.path("id").asText()) && f.has("file_size")) {
                    return f.get("file_size").asLong();
                }
            }
        }
        return -1;
    }

    private void storeFile(Request r) throws IOException {
        Path target = fileDir.resolve(UUID.randomUUID().toString());
        try (InputStream in = r.bodyStream()) {
            Files.copy(in, target);
        }
        files.put(r.path(1), target);
        r.json(201, Map.of("fileId", r.path(1), "bytes", Files.size(target)));
    }

    private static InputStream slice(InputStream in, long skip) throws IOException {
        in.skipNBytes(skip);
        return in;
    }

    /** The bytes a generated download consists of, for tests to compare with what landed in S3. */
    public static InputStream expectedContent(String fileId, long size) {
        return new Generated(fileId, 0, size);
    }

    public static String sha256Hex(String fileId, long size) {
        try (InputStream in = expectedContent(fileId, size)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[BLOCK];
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Deterministic content: a 64 KiB block seeded by the file id, with each block's first eight bytes
     * replaced by its index so no two blocks are equal. Byte {@code i} depends only on (fileId, i).
     */
    static final class Generated extends InputStream {
        private final byte[] seed;
        private final long size;
        private long pos;
        private final byte[] block = new byte[BLOCK];
        private long blockIndex = -1;

        Generated(String fileId, long from, long size) {
            this.size = size;
            this.pos = from;
            this.seed = new byte[BLOCK];
            new java.util.Random(fileId.hashCode() * 31L + fileId.length()).nextBytes(seed);
        }

        private void load(long index) {
            System.arraycopy(seed, 0, block, 0, BLOCK);
            for (int i = 0; i < 8; i++) {
                block[i] = (byte) (index >>> (8 * i));
            }
            blockIndex = index;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= size) {
                return -1;
            }
            long index = pos / BLOCK;
            if (index != blockIndex) {
                load(index);
            }
            int within = (int) (pos % BLOCK);
            int n = (int) Math.min(Math.min(len, BLOCK - within), size - pos);
            System.arraycopy(block, within, b, off, n);
            pos += n;
            return n;
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    private void track(Request r) {
        String q = r.uri().getRawQuery();
        requests.add(r.method() + " " + r.uri().getRawPath() + (q == null ? "" : "?" + q));
    }

    private static LocalDate date(String value, LocalDate fallback) {
        try {
            return value == null ? fallback : LocalDate.parse(value);
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    private static int parseInt(String s, int fallback) {
        try {
            return s == null ? fallback : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    @Override
    public synchronized void close() {
        super.close();
        files.values().forEach(p -> p.toFile().delete());
        fileDir.toFile().delete();
    }
}
