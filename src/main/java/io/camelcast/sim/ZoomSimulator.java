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
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A stateful stand-in for Zoom, written from Zoom's public API documentation: signed webhooks
 * (including the {@code endpoint.url_validation} challenge), recording downloads of any size streamed
 * from a generator (never held in memory, {@code Range} honoured), server-to-server OAuth and the
 * REST subset Camelcast uses (meeting recordings, users' recordings, Dashboard metrics, past-meeting
 * and report participants) with {@code next_page_token} paging.
 *
 * <p>HTTP endpoints (all but {@code /oauth/token} and {@code /_sim/...} need {@code Authorization:
 * Bearer <token>} with a token from {@code /oauth/token}; downloads also take a recording's
 * {@code download_token}):
 * <ul>
 *   <li>{@code POST /oauth/token?grant_type=account_credentials&account_id=...} (Basic client_id:client_secret;
 *       the parameters may also come as a form body)</li>
 *   <li>{@code GET|HEAD /rec/download/{fileId}[?size=N][&deleted=true]}</li>
 *   <li>{@code GET /v2/meetings/{meetingId|uuid}/recordings[?include_fields=download_access_token]}</li>
 *   <li>{@code GET /v2/users/{userId|me|email}/recordings?from&to&page_size&next_page_token}</li>
 *   <li>{@code GET /v2/metrics/meetings?type=past&from&to&page_size&next_page_token}</li>
 *   <li>{@code GET /v2/metrics/meetings/{id}/participants}, {@code GET /v2/past_meetings/{uuid}/participants},
 *       {@code GET /v2/report/meetings/{id}/participants}, each in its own Zoom shape</li>
 *   <li>{@code POST /_sim/recordings}, {@code GET /_sim/recordings}, {@code POST /_sim/meetings},
 *       {@code GET /_sim/meetings}, {@code GET /_sim/requests}, {@code POST /_sim/webhooks},
 *       {@code GET /_sim/webhooks}, {@code POST /_sim/files/{fileId}}, {@code DELETE /_sim/state},
 *       and the base class's {@code /_sim/faults}</li>
 * </ul>
 */
public final class ZoomSimulator extends SimServer {

    /** Server-to-server OAuth credentials the simulator accepts until {@link #setCredentials} changes them. */
    public static final String DEFAULT_ACCOUNT_ID = "sim-account";
    public static final String DEFAULT_CLIENT_ID = "sim-client-id";
    public static final String DEFAULT_CLIENT_SECRET = "sim-client-secret";
    /** A download token the simulator always accepts, as a webhook's {@code download_token}. */
    public static final String DEFAULT_DOWNLOAD_TOKEN = "sim-download-token";
    /** Size served for a registered media file that names no {@code file_size}. */
    public static final long DEFAULT_FILE_SIZE = 1L << 20;
    /** Scopes granted to every access token. */
    public static final String SCOPES = "cloud_recording:read:admin dashboard_meetings:read:admin "
            + "meeting:read:admin report:read:admin";

    private static final int BLOCK = 64 * 1024;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final DateTimeFormatter ZOOM_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private volatile String accountId = DEFAULT_ACCOUNT_ID;
    private volatile String clientId = DEFAULT_CLIENT_ID;
    private volatile String clientSecret = DEFAULT_CLIENT_SECRET;
    private volatile Duration accessTokenTtl = Duration.ofHours(1);
    /** Access tokens and download tokens with their expiry. */
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
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
        tokens.put(DEFAULT_DOWNLOAD_TOKEN, Instant.MAX);
        on("POST", "/oauth/token", this::token);
        on("GET", "/rec/download/(.+)", bearer(this::download));
        on("HEAD", "/rec/download/(.+)", bearer(this::download));
        on("GET", "/v2/meetings/(.+)/recordings", bearer(this::meetingRecordings));
        on("GET", "/v2/users/([^/]+)/recordings", bearer(this::userRecordings));
        on("GET", "/v2/metrics/meetings", bearer(this::metricsMeetings));
        on("GET", "/v2/metrics/meetings/(.+)/participants", bearer(r -> participants(r, ZoomSimulator::metricsParticipant)));
        on("GET", "/v2/past_meetings/(.+)/participants", bearer(r -> participants(r, ZoomSimulator::pastParticipant)));
        on("GET", "/v2/report/meetings/(.+)/participants", bearer(r -> participants(r, ZoomSimulator::reportParticipant)));
        on("POST", "/_sim/recordings", r -> r.json(201, registerRecording(objectBody(r))));
        on("GET", "/_sim/recordings", r -> r.json(200, recordings));
        on("POST", "/_sim/meetings", r -> r.json(201, registerMeeting(objectBody(r))));
        on("GET", "/_sim/meetings", r -> r.json(200, meetings));
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

    /** The server-to-server OAuth app the simulator accepts at {@code /oauth/token}. */
    public void setCredentials(String accountId, String clientId, String clientSecret) {
        this.accountId = accountId;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
    }

    /** Lifetime of access tokens issued from now on ({@code expires_in}); one hour unless changed. */
    public void setAccessTokenTtl(Duration ttl) {
        this.accessTokenTtl = ttl;
    }

    /** Issues an access token as {@code /oauth/token} would, for tests that skip the OAuth call. */
    public String issueAccessToken() {
        String token = "sim-access-" + UUID.randomUUID();
        tokens.put(token, Instant.now().plus(accessTokenTtl));
        return token;
    }

    /**
     * Registers a recording (Zoom's recording object as {@code GET /meetings/{id}/recordings} returns it)
     * and returns the stored copy. Missing fields get defaults; a file's {@code download_url} that is
     * absent or points at zoom.us is pointed at this simulator (other hosts are kept, so tests can stage
     * a foreign host). A recording with the uuid of an earlier one replaces it.
     */
    public ObjectNode registerRecording(ObjectNode recording) {
        ObjectNode r = recording.deepCopy();
        if (!r.hasNonNull("uuid")) {
            byte[] raw = new byte[16];
            new SecureRandom().nextBytes(raw);
            r.put("uuid", Base64.getEncoder().encodeToString(raw));
        }
        String uuid = r.get("uuid").asText();
        if (!r.hasNonNull("id")) {
            r.put("id", 80_000_000_000L + Math.floorMod(uuid.hashCode(), 1_000_000_000L));
        }
        putIfAbsent(r, "account_id", accountId);
        putIfAbsent(r, "host_id", "sim-host");
        putIfAbsent(r, "host_email", "host@example.edu");
        putIfAbsent(r, "topic", "Simulated meeting");
        if (!r.has("type")) {
            r.put("type", 2);
        }
        putIfAbsent(r, "start_time", ZOOM_TIME.format(Instant.now().minusSeconds(3600)));
        if (!r.has("duration")) {
            r.put("duration", 60);
        }
        putIfAbsent(r, "timezone", "America/New_York");
        putIfAbsent(r, "share_url", url() + "/rec/share/" + r.get("id").asText());
        putIfAbsent(r, "download_token", DEFAULT_DOWNLOAD_TOKEN);
        tokens.put(r.get("download_token").asText(), Instant.MAX);
        Instant start = parseTime(r.get("start_time").asText());
        Instant end = start.plusSeconds(r.get("duration").asLong() * 60);
        long total = 0;
        for (JsonNode f : r.withArray("recording_files")) {
            ObjectNode file = (ObjectNode) f;
            String type = file.path("file_type").asText("MP4").toUpperCase(Locale.ROOT);
            file.put("file_type", type);
            putIfAbsent(file, "id", UUID.randomUUID().toString());
            file.put("meeting_id", uuid);
            putIfAbsent(file, "recording_start", ZOOM_TIME.format(start));
            putIfAbsent(file, "recording_end", ZOOM_TIME.format(end));
            putIfAbsent(file, "file_extension", extensionOf(type).toUpperCase(Locale.ROOT));
            if (!file.has("file_size")) {
                file.put("file_size", "CHAT".equals(type) || "TRANSCRIPT".equals(type) ? 2048 : DEFAULT_FILE_SIZE);
            }
            total += file.get("file_size").asLong();
            putIfAbsent(file, "recording_type", defaultRecordingType(type));
            putIfAbsent(file, "status", "completed");
            putIfAbsent(file, "play_url", url() + "/rec/play/" + file.get("id").asText());
            String download = file.path("download_url").asText("");
            if (download.isEmpty() || isZoomHost(download)) {
                file.put("download_url", downloadUrl(file.get("id").asText(), 0));
            }
        }
        if (!r.has("total_size")) {
            r.put("total_size", total);
        }
        r.put("recording_count", r.withArray("recording_files").size());
        recordings.removeIf(x -> uuid.equals(x.path("uuid").asText()));
        recordings.add(r);
        return r;
    }

    /**
     * Registers a past meeting for the Dashboard and report APIs with its {@code participants}
     * (array of Dashboard participant objects: id, user_id, user_name, email, join_time, leave_time, ...);
     * missing fields get defaults. A meeting with the uuid of an earlier one replaces it.
     */
    public ObjectNode registerMeeting(ObjectNode meeting) {
        ObjectNode m = meeting.deepCopy();
        putIfAbsent(m, "uuid", UUID.randomUUID().toString());
        String uuid = m.get("uuid").asText();
        if (!m.hasNonNull("id")) {
            m.put("id", 90_000_000_000L + Math.floorMod(uuid.hashCode(), 1_000_000_000L));
        }
        putIfAbsent(m, "topic", "Simulated meeting");
        putIfAbsent(m, "host", "Sim Host");
        putIfAbsent(m, "email", "host@example.edu");
        putIfAbsent(m, "user_type", "Licensed");
        putIfAbsent(m, "start_time", ZOOM_TIME.format(Instant.now().minusSeconds(7200)));
        Instant start = parseTime(m.get("start_time").asText());
        putIfAbsent(m, "end_time", ZOOM_TIME.format(start.plusSeconds(3600)));
        Instant end = parseTime(m.get("end_time").asText());
        if (!m.has("duration")) {
            long s = Math.max(0, Duration.between(start, end).getSeconds());
            m.put("duration", String.format("%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60));
        }
        for (String flag : new String[] {"has_pstn", "has_3rd_party_audio", "has_sip", "has_archiving", "has_screen_share", "has_recording"}) {
            if (!m.has(flag)) {
                m.put(flag, false);
            }
        }
        for (String flag : new String[] {"has_voip", "has_video"}) {
            if (!m.has(flag)) {
                m.put(flag, true);
            }
        }
        int i = 0;
        for (JsonNode p : m.withArray("participants")) {
            ObjectNode part = (ObjectNode) p;
            putIfAbsent(part, "id", uuid + "-p" + i);
            putIfAbsent(part, "user_name", part.path("name").asText("Participant " + i));
            putIfAbsent(part, "user_id", Integer.toString(16_778_240 + i));
            putIfAbsent(part, "email", part.path("user_email").asText(""));
            putIfAbsent(part, "device", "Windows");
            putIfAbsent(part, "ip_address", "10.0.0." + (i % 250 + 1));
            putIfAbsent(part, "location", "Cambridge (US)");
            putIfAbsent(part, "network_type", "Wired");
            putIfAbsent(part, "join_time", m.get("start_time").asText());
            putIfAbsent(part, "leave_time", m.get("end_time").asText());
            for (String flag : new String[] {"share_application", "share_desktop", "share_whiteboard", "recording"}) {
                if (!part.has(flag)) {
                    part.put(flag, false);
                }
            }
            i++;
        }
        m.put("participants_count", m.withArray("participants").size());
        meetings.removeIf(x -> uuid.equals(x.path("uuid").asText()));
        meetings.add(m);
        return m;
    }

    public List<ObjectNode> recordings() {
        return List.copyOf(recordings);
    }

    /** Every call to {@code /oauth/token}, {@code /v2/...} and {@code /rec/...}: {@code "GET /v2/...?query"}. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** Webhooks sent so far: target, event, status, timestamp, at. */
    public List<Map<String, Object>> webhooks() {
        return List.copyOf(webhooks);
    }

    /**
     * Forgets recordings, meetings, recorded requests and webhooks, stored files, recordings' download
     * tokens and faults. Issued access tokens stay valid (a running client keeps its cached token) and
     * the credentials stay as set.
     */
    public void reset() {
        recordings.clear();
        meetings.clear();
        requests.clear();
        webhooks.clear();
        tokens.entrySet().removeIf(e -> e.getValue().equals(Instant.MAX) && !DEFAULT_DOWNLOAD_TOKEN.equals(e.getKey()));
        files.values().forEach(p -> p.toFile().delete());
        files.clear();
        faults().clear();
    }

    /** This simulator's download URL of a file; {@code size} 0 leaves the size to the registered recording. */
    public String downloadUrl(String fileId, long size) {
        return url() + "/rec/download/" + fileId + (size > 0 ? "?size=" + size : "");
    }

    // ---- webhooks ----------------------------------------------------------------------------

    /** {@code v0=} + hex HMAC-SHA256 of {@code v0:{timestamp}:{body}}, as Zoom signs webhooks. */
    public static String sign(String secret, String timestamp, String body) {
        return "v0=" + hmacHex(secret, "v0:" + timestamp + ":" + body);
    }

    /** Lowercase hex HMAC-SHA256 of {@code message} keyed by {@code secret} (UTF-8 both). */
    public static String hmacHex(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Posts a webhook signed now, as Zoom does. */
    public HttpResponse<String> sendWebhook(URI target, String secretToken, String eventJson) throws IOException, InterruptedException {
        return sendWebhook(target, secretToken, eventJson, Instant.now().getEpochSecond());
    }

    /** Posts a webhook signed for the given timestamp (epoch seconds): replay-window tests send old ones. */
    public HttpResponse<String> sendWebhook(URI target, String secretToken, String eventJson, long timestamp)
            throws IOException, InterruptedException {
        String ts = Long.toString(timestamp);
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(target)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "Zoom Marketplace/1.0a")
                .header("x-zm-request-timestamp", ts)
                .header("x-zm-signature", sign(secretToken, ts, eventJson))
                .POST(HttpRequest.BodyPublishers.ofString(eventJson, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Object> sent = new LinkedHashMap<>();
        sent.put("target", target.toString());
        sent.put("event", eventName(eventJson));
        sent.put("status", response.statusCode());
        sent.put("timestamp", timestamp);
        sent.put("at", Instant.now().toString());
        webhooks.add(sent);
        return response;
    }

    /** Zoom's endpoint validation: the endpoint must answer {plainToken, encryptedToken=HMAC(secret, plainToken)}. */
    public boolean validateEndpoint(URI target, String secret) throws IOException, InterruptedException {
        byte[] raw = new byte[16];
        new SecureRandom().nextBytes(raw);
        String plainToken = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        ObjectNode event = JSON.createObjectNode();
        event.putObject("payload").put("plainToken", plainToken);
        event.put("event_ts", System.currentTimeMillis());
        event.put("event", "endpoint.url_validation");
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
     * The recording is registered too, so the REST API and downloads know it.
     */
    public ObjectNode recordingCompletedEvent(String uuid, long meetingId, String topic, String startTimeIso,
                                              int durationMinutes, long fileSize) {
        ObjectNode object = JSON.createObjectNode();
        object.put("uuid", uuid);
        object.put("id", meetingId);
        object.put("account_id", accountId);
        object.put("host_id", "sim-host");
        object.put("host_email", "host@example.edu");
        object.put("topic", topic);
        object.put("type", 8);
        object.put("start_time", ZOOM_TIME.format(parseTime(startTimeIso)));
        object.put("timezone", "America/New_York");
        object.put("duration", durationMinutes);
        object.put("share_url", url() + "/rec/share/" + meetingId);
        Instant start = parseTime(startTimeIso);
        Instant end = start.plusSeconds(durationMinutes * 60L);
        ArrayNode files = object.putArray("recording_files");
        String[][] kinds = {
                {"MP4", "shared_screen_with_speaker_view"},
                {"MP4", "active_speaker"},
                {"MP4", "gallery_view"},
                {"M4A", "audio_only"},
                {"CHAT", "chat_file"}};
        for (String[] kind : kinds) {
            ObjectNode f = files.addObject();
            String id = UUID.nameUUIDFromBytes((uuid + kind[1]).getBytes(StandardCharsets.UTF_8)).toString();
            long size = "CHAT".equals(kind[0]) ? 2048 : fileSize;
            f.put("id", id);
            f.put("meeting_id", uuid);
            f.put("recording_start", ZOOM_TIME.format(start));
            f.put("recording_end", ZOOM_TIME.format(end));
            f.put("file_type", kind[0]);
            f.put("file_extension", extensionOf(kind[0]).toUpperCase(Locale.ROOT));
            f.put("file_size", size);
            f.put("play_url", url() + "/rec/play/" + id);
            f.put("download_url", downloadUrl(id, size));
            f.put("status", "completed");
            f.put("recording_type", kind[1]);
        }
        object.put("download_token", DEFAULT_DOWNLOAD_TOKEN);
        return recordingCompletedEvent(registerRecording(object));
    }

    /** A {@code recording.completed} event for a registered recording (as {@link #registerRecording} returned it). */
    public ObjectNode recordingCompletedEvent(ObjectNode recording) {
        ObjectNode event = JSON.createObjectNode();
        event.put("event", "recording.completed");
        event.put("event_ts", System.currentTimeMillis());
        ObjectNode payload = event.putObject("payload");
        payload.put("account_id", recording.path("account_id").asText(accountId));
        ObjectNode object = recording.deepCopy();
        object.remove("download_token");
        payload.set("object", object);
        event.put("download_token", recording.path("download_token").asText(DEFAULT_DOWNLOAD_TOKEN));
        return event;
    }

    /**
     * {@code {target, secret, event, timestamp?}}: {@code event} is the JSON event, or the string
     * {@code "recording.completed"} for a generated one (with {@code recording}, a recording object to
     * register and announce, when given). Answers {@code {status, body, event}}.
     */
    private void sendWebhookOnRequest(Request r) throws Exception {
        JsonNode body = JSON.readTree(r.body());
        String target = body.path("target").asText(null);
        String secret = body.path("secret").asText(null);
        JsonNode event = body.get("event");
        if (target == null || secret == null || event == null) {
            r.json(400, Map.of("message", "need target, secret and event"));
            return;
        }
        if (event.isTextual()) {
            if (!"recording.completed".equals(event.asText())) {
                r.json(400, Map.of("message", "only recording.completed can be generated; send the event JSON otherwise"));
                return;
            }
            event = body.path("recording").isObject()
                    ? recordingCompletedEvent(registerRecording((ObjectNode) body.get("recording")))
                    : recordingCompletedEvent(generatedUuid(), 80_000_000_000L + webhooks.size(), "Simulated meeting",
                            ZOOM_TIME.format(Instant.now().minusSeconds(3600)), 60, DEFAULT_FILE_SIZE);
        }
        long ts = body.path("timestamp").asLong(Instant.now().getEpochSecond());
        HttpResponse<String> response = sendWebhook(URI.create(target), secret, event.toString(), ts);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", response.statusCode());
        out.put("body", response.body());
        out.put("event", event);
        r.json(200, out);
    }

    // ---- OAuth and REST ----------------------------------------------------------------------

    private void token(Request r) throws IOException {
        track(r);
        Map<String, List<String>> params = new LinkedHashMap<>(r.queryAll());
        String contentType = String.valueOf(r.header("Content-Type"));
        if (contentType.startsWith("application/x-www-form-urlencoded")) {
            parseForm(r.bodyText()).forEach(params::putIfAbsent);
        }
        String expected = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(r.header("Authorization"))) {
            r.json(401, Map.of("reason", "Invalid client_id or client_secret", "error", "invalid_client"));
            return;
        }
        if (!"account_credentials".equals(first(params, "grant_type"))) {
            r.json(400, Map.of("reason", "unsupported grant type", "error", "unsupported_grant_type"));
            return;
        }
        if (!accountId.equals(first(params, "account_id"))) {
            r.json(400, Map.of("reason", "Invalid account_id", "error", "invalid_request"));
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access_token", issueAccessToken());
        out.put("token_type", "bearer");
        out.put("expires_in", accessTokenTtl.getSeconds());
        out.put("scope", SCOPES);
        out.put("api_url", url());
        r.json(200, out);
    }

    /** Every API call is recorded, then needs a Bearer token the simulator issued (or a download token). */
    private Handler bearer(Handler handler) {
        return r -> {
            track(r);
            String auth = r.header("Authorization");
            String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? auth.substring(7).trim() : r.query("access_token");
            Instant expiry = token == null ? null : tokens.get(token);
            if (expiry == null) {
                r.json(401, Map.of("code", 124, "message", "Invalid access token."));
                return;
            }
            if (Instant.now().isAfter(expiry)) {
                r.json(401, Map.of("code", 124, "message", "Access token is expired."));
                return;
            }
            handler.handle(r);
        };
    }

    /** The meeting id or uuid of the path; a uuid starting with '/' or containing '//' arrives double-encoded. */
    private static String meetingId(Request r) {
        String id = r.path(1);
        for (int i = 0; i < 2 && id.contains("%"); i++) {
            id = URLDecoder.decode(id.replace("+", "%2B"), StandardCharsets.UTF_8);
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
        LocalDate from = date(r.query("from"), LocalDate.now(ZoneOffset.UTC).minusDays(1));
        LocalDate to = date(r.query("to"), LocalDate.now(ZoneOffset.UTC));
        Predicate<ObjectNode> matches = x -> {
            LocalDate day = LocalDate.ofInstant(parseTime(x.get("start_time").asText()), ZoneOffset.UTC);
            boolean userOk = "me".equals(user) || user.equals(x.path("host_id").asText()) || user.equalsIgnoreCase(x.path("host_email").asText());
            return userOk && !day.isBefore(from) && !day.isAfter(to);
        };
        List<ObjectNode> all = recordings.stream().filter(matches).map(x -> {
            ObjectNode c = x.deepCopy();
            c.remove("download_token");
            return c;
        }).toList();
        answerDated(r, all, from, to);
    }

    /** Dashboard {@code GET /metrics/meetings}: every registered meeting is past; {@code type=live} lists none. */
    private void metricsMeetings(Request r) throws IOException {
        LocalDate from = date(r.query("from"), LocalDate.now(ZoneOffset.UTC).minusDays(1));
        LocalDate to = date(r.query("to"), LocalDate.now(ZoneOffset.UTC));
        boolean live = "live".equals(r.query("type"));
        List<ObjectNode> all = meetings.stream().filter(m -> {
            LocalDate day = LocalDate.ofInstant(parseTime(m.get("start_time").asText()), ZoneOffset.UTC);
            return !live && !day.isBefore(from) && !day.isAfter(to);
        }).map(m -> {
            ObjectNode c = m.deepCopy();
            c.remove("participants_count");
            c.put("participants", m.withArray("participants").size());
            return c;
        }).toList();
        answerDated(r, all, from, to);
    }

    private void participants(Request r, Function<JsonNode, ObjectNode> shape) throws IOException {
        String id = meetingId(r);
        ObjectNode meeting = byUuidOrId(meetings, id);
        if (meeting == null) {
            r.json(404, Map.of("code", 3001, "message", "Meeting does not exist: " + id + "."));
            return;
        }
        List<ObjectNode> all = new ArrayList<>();
        meeting.withArray("participants").forEach(p -> all.add(shape.apply(p)));
        r.json(200, page(r, all, "participants"));
    }

    /** Dashboard participant: as registered (with defaults filled in). */
    private static ObjectNode metricsParticipant(JsonNode p) {
        return (ObjectNode) p.deepCopy();
    }

    /** {@code GET /past_meetings/{uuid}/participants}: id, name, user_email. */
    private static ObjectNode pastParticipant(JsonNode p) {
        ObjectNode out = JSON.createObjectNode();
        out.put("id", p.path("id").asText());
        out.put("name", p.path("user_name").asText());
        out.put("user_email", p.path("email").asText());
        return out;
    }

    /** {@code GET /report/meetings/{id}/participants}: join/leave times and duration in seconds. */
    private static ObjectNode reportParticipant(JsonNode p) {
        ObjectNode out = JSON.createObjectNode();
        out.put("id", p.path("id").asText());
        out.put("user_id", p.path("user_id").asText());
        out.put("name", p.path("user_name").asText());
        out.put("user_email", p.path("email").asText());
        out.put("join_time", p.path("join_time").asText());
        out.put("leave_time", p.path("leave_time").asText());
        long seconds;
        try {
            seconds = Math.max(0, Duration.between(parseTime(p.path("join_time").asText()), parseTime(p.path("leave_time").asText())).getSeconds());
        } catch (RuntimeException e) {
            seconds = 0;
        }
        out.put("duration", seconds);
        out.put("attentiveness_score", "");
        out.put("failover", false);
        out.put("status", "in_meeting");
        out.put("customer_key", "");
        return out;
    }

    /** A page of {@code meetings} with the from/to dates Zoom echoes back. */
    private void answerDated(Request r, List<ObjectNode> all, LocalDate from, LocalDate to) throws IOException {
        ObjectNode page = JSON.createObjectNode();
        page.put("from", from.toString());
        page.put("to", to.toString());
        page.setAll(page(r, all, "meetings"));
        r.json(200, page);
    }

    /** Zoom's paging: page_size (default 30, at most 300) and an opaque next_page_token, "" at the end. */
    private ObjectNode page(Request r, List<ObjectNode> all, String field) {
        int size = Math.max(1, Math.min(300, parseInt(r.query("page_size"), 30)));
        int offset = 0;
        String token = r.query("next_page_token");
        if (token != null && !token.isEmpty()) {
            try {
                offset = Math.max(0, parseInt(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8), 0));
            } catch (IllegalArgumentException e) {
                offset = 0;
            }
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("page_count", (all.size() + size - 1) / size);
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
            // Zoom answers a deleted (or unauthorised) file with 200 and an HTML page
            r.send(200, "text/html; charset=utf-8",
                    "<html><head><title>Error - Zoom</title></head><body>This recording does not exist.</body></html>"
                            .getBytes(StandardCharsets.UTF_8));
            return;
        }
        JsonNode registered = registeredFile(fileId);
        Path stored = files.get(fileId);
        long size = stored != null ? Files.size(stored) : sizeOf(registered, r.query("size"));
        if (size < 0) {
            r.json(404, Map.of("code", 3301, "message", "This recording does not exist."));
            return;
        }
        long first = 0;
        long last = size - 1;
        int status = 200;
        String range = r.header("Range");
        if (range != null && range.startsWith("bytes=") && !range.contains(",")) {
            String[] ends = range.substring(6).trim().split("-", 2);
            try {
                if (ends[0].isEmpty()) { // suffix: the last N bytes
                    long n = Long.parseLong(ends[1]);
                    first = Math.max(0, size - n);
                    if (n == 0) {
                        first = size;
                    }
                } else {
                    first = Long.parseLong(ends[0]);
                    if (ends.length > 1 && !ends[1].isEmpty()) {
                        last = Math.min(size - 1, Long.parseLong(ends[1]));
                    }
                }
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
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
        String type = registered == null ? "MP4" : registered.path("file_type").asText("MP4");
        r.setHeader("Content-Type", contentTypeOf(type));
        r.setHeader("Accept-Ranges", "bytes");
        // unquoted, as Zoom sends it: the ingester takes the name after the last '='
        r.setHeader("Content-Disposition", "attachment; filename=" + fileId + "." + extensionOf(type));
        if ("HEAD".equals(r.method())) {
            r.setHeader("Content-Length", Long.toString(length));
            r.exchange().sendResponseHeaders(status, -1);
            return;
        }
        r.exchange().sendResponseHeaders(status, length == 0 ? -1 : length);
        if (length == 0) {
            return;
        }
        int cut = cutsLeft.getAndUpdate(n -> Math.max(0, n - 1));
        try (OutputStream out = cut > 0 ? new CutAfter(r.exchange().getResponseBody(), cutAfterBytes) : r.exchange().getResponseBody()) {
            if (stored != null) {
                try (InputStream in = Files.newInputStream(stored)) {
                    in.skipNBytes(first);
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
            } else {
                new Generated(fileId, first, last + 1).writeTo(out);
            }
        }
    }

    private final java.util.concurrent.atomic.AtomicInteger cutsLeft = new java.util.concurrent.atomic.AtomicInteger();
    private volatile long cutAfterBytes;

    /**
     * The next {@code count} downloads drop their connection after {@code afterBytes} bytes of the body,
     * as a flaky network does half way through a large recording; a client that resumes with
     * {@code Range} gets the rest.
     */
    public void cutNextDownloads(int count, long afterBytes) {
        cutAfterBytes = afterBytes;
        cutsLeft.set(count);
    }

    /** Passes {@code limit} bytes, then drops the connection. */
    private static final class CutAfter extends java.io.FilterOutputStream {
        private long left;

        CutAfter(OutputStream out, long limit) {
            super(out);
            this.left = limit;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > left) {
                out.write(b, off, (int) left);
                out.flush();
                left = 0;
                throw new ConnectionDropped();
            }
            out.write(b, off, len);
            left -= len;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }
    }

    private JsonNode registeredFile(String fileId) {
        for (ObjectNode rec : recordings) {
            for (JsonNode f : rec.withArray("recording_files")) {
                if (fileId.equals(f.path("id").asText())) {
                    return f;
                }
            }
        }
        return null;
    }

    private static long sizeOf(JsonNode registered, String sizeParam) {
        if (sizeParam != null) {
            try {
                long size = Long.parseLong(sizeParam);
                return size < 0 ? -1 : size;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return registered != null && registered.has("file_size") ? registered.get("file_size").asLong() : -1;
    }

    /** Keeps the request body on disk (never in memory) and serves it for this file id from now on. */
    private void storeFile(Request r) throws IOException {
        Path target = fileDir.resolve(UUID.randomUUID().toString());
        try (InputStream in = r.bodyStream()) {
            Files.copy(in, target);
        }
        Path old = files.put(r.path(1), target);
        if (old != null) {
            old.toFile().delete();
        }
        r.json(201, Map.of("fileId", r.path(1), "bytes", Files.size(target)));
    }

    /** Serves the given file's bytes for {@code fileId} (copied to the simulator's folder). */
    public void storeFile(String fileId, Path source) throws IOException {
        Path target = fileDir.resolve(UUID.randomUUID().toString());
        Files.copy(source, target);
        Path old = files.put(fileId, target);
        if (old != null) {
            old.toFile().delete();
        }
    }

    /** The bytes a generated download consists of, for tests to compare with what landed in S3. */
    public static InputStream expectedContent(String fileId, long size) {
        return new Generated(fileId, 0, size);
    }

    /** Lowercase hex SHA-256 of {@link #expectedContent}, computed block by block. */
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
     * Deterministic content: a 64 KiB block of pseudo-random bytes seeded by the SHA-256 of the file
     * id, with each block's first eight bytes replaced by the block's index (little-endian), so no two
     * blocks are equal. Byte {@code i} depends only on (fileId, i); streams from {@code from} to
     * {@code end} (exclusive) without holding more than one block.
     */
    static final class Generated extends InputStream {
        private final byte[] block;
        private final long end;
        private long pos;
        private long blockIndex = -1;

        Generated(String fileId, long from, long end) {
            this.end = end;
            this.pos = from;
            this.block = new byte[BLOCK];
            new java.util.SplittableRandom(seedOf(fileId)).nextBytes(block);
        }

        private static long seedOf(String fileId) {
            try {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(fileId.getBytes(StandardCharsets.UTF_8));
                long seed = 0;
                for (int i = 0; i < 8; i++) {
                    seed = seed << 8 | (d[i] & 0xff);
                }
                return seed;
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private void position(long index) {
            if (index != blockIndex) {
                for (int i = 0; i < 8; i++) {
                    block[i] = (byte) (index >>> (8 * i));
                }
                blockIndex = index;
            }
        }

        @Override
        public int read() {
            if (pos >= end) {
                return -1;
            }
            position(pos / BLOCK);
            return block[(int) (pos++ % BLOCK)] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= end) {
                return -1;
            }
            position(pos / BLOCK);
            int within = (int) (pos % BLOCK);
            int n = (int) Math.min(Math.min(len, BLOCK - within), end - pos);
            System.arraycopy(block, within, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long k = Math.max(0, Math.min(n, end - pos));
            pos += k;
            return k;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, end - pos);
        }

        /** Writes the rest straight from the block, no copy. */
        void writeTo(OutputStream out) throws IOException {
            while (pos < end) {
                position(pos / BLOCK);
                int within = (int) (pos % BLOCK);
                int n = (int) Math.min(BLOCK - within, end - pos);
                out.write(block, within, n);
                pos += n;
            }
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    private void track(Request r) {
        String q = r.uri().getRawQuery();
        requests.add(r.method() + " " + r.uri().getRawPath() + (q == null ? "" : "?" + q));
    }

    private static ObjectNode objectBody(Request r) throws IOException {
        JsonNode node = JSON.readTree(r.body());
        if (!(node instanceof ObjectNode object)) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        return object;
    }

    private static void putIfAbsent(ObjectNode node, String field, String value) {
        if (!node.hasNonNull(field)) {
            node.put(field, value);
        }
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static boolean isZoomHost(String url) {
        try {
            String host = URI.create(url).getHost();
            return host != null && (host.equals("zoom.us") || host.endsWith(".zoom.us"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String extensionOf(String fileType) {
        return switch (fileType.toUpperCase(Locale.ROOT)) {
            case "M4A" -> "m4a";
            case "CHAT", "CC" -> "txt";
            case "TRANSCRIPT" -> "vtt";
            case "TIMELINE" -> "json";
            case "CSV" -> "csv";
            default -> "mp4";
        };
    }

    private static String contentTypeOf(String fileType) {
        return switch (fileType.toUpperCase(Locale.ROOT)) {
            case "M4A" -> "audio/mp4";
            case "CHAT", "CC", "TRANSCRIPT" -> "text/plain";
            case "TIMELINE" -> "application/json";
            default -> "video/mp4";
        };
    }

    private static String defaultRecordingType(String fileType) {
        return switch (fileType) {
            case "M4A" -> "audio_only";
            case "CHAT" -> "chat_file";
            case "TRANSCRIPT" -> "audio_transcript";
            case "TIMELINE" -> "timeline";
            default -> "shared_screen_with_speaker_view";
        };
    }

    private static String eventName(String eventJson) {
        try {
            return JSON.readTree(eventJson).path("event").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    private static String generatedUuid() {
        byte[] raw = new byte[16];
        new SecureRandom().nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    /** Zoom times are {@code yyyy-MM-ddTHH:mm:ssZ}; offsets and fractions are accepted too, a date alone is midnight UTC. */
    private static Instant parseTime(String value) {
        if (value.length() == 10) {
            return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        return java.time.OffsetDateTime.parse(value).toInstant().truncatedTo(ChronoUnit.SECONDS);
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
        files.clear();
        fileDir.toFile().delete();
    }
}
