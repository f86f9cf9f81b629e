package io.camelcast.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.sim.SimServer.Request;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import static io.camelcast.sim.ZoomConventions.ZOOM_TIME;
import static io.camelcast.sim.ZoomConventions.extensionOf;
import static io.camelcast.sim.ZoomConventions.parseTime;

/**
 * The Zoom simulator's webhooks: signs and posts events as Zoom does (the {@code endpoint.url_validation}
 * challenge included), builds {@code recording.completed} events and remembers what it sent, so tests
 * can drive Camelcast's intake exactly as Zoom would.
 */
final class ZoomWebhooks {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Supplier<String> url;
    private final ZoomOAuth oauth;
    private final ZoomRecordings recordings;
    private final List<Map<String, Object>> webhooks = new CopyOnWriteArrayList<>();

    ZoomWebhooks(Supplier<String> url, ZoomOAuth oauth, ZoomRecordings recordings) {
        this.url = url;
        this.oauth = oauth;
        this.recordings = recordings;
    }

    /** {@code v0=} + hex HMAC-SHA256 of {@code v0:{timestamp}:{body}}, as Zoom signs webhooks. */
    static String sign(String secret, String timestamp, String body) {
        return "v0=" + hmacHex(secret, "v0:" + timestamp + ":" + body);
    }

    /** Lowercase hex HMAC-SHA256 of {@code message} keyed by {@code secret} (UTF-8 both). */
    static String hmacHex(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    List<Map<String, Object>> list() {
        return List.copyOf(webhooks);
    }

    void clear() {
        webhooks.clear();
    }

    /** Posts a webhook signed for the given timestamp (epoch seconds) and records it. */
    HttpResponse<String> send(URI target, String secretToken, String eventJson, long timestamp)
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
    boolean validateEndpoint(URI target, String secret) throws IOException, InterruptedException {
        byte[] raw = new byte[16];
        new SecureRandom().nextBytes(raw);
        String plainToken = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        ObjectNode event = SimServer.JSON.createObjectNode();
        event.putObject("payload").put("plainToken", plainToken);
        event.put("event_ts", System.currentTimeMillis());
        event.put("event", "endpoint.url_validation");
        HttpResponse<String> response = send(target, secret, event.toString(), Instant.now().getEpochSecond());
        if (response.statusCode() != 200) {
            return false;
        }
        try {
            JsonNode answer = SimServer.JSON.readTree(response.body());
            return plainToken.equals(answer.path("plainToken").asText())
                    && hmacHex(secret, plainToken).equals(answer.path("encryptedToken").asText());
        } catch (IOException e) {
            return false;
        }
    }

    /** See {@link ZoomSimulator#recordingCompletedEvent(String, long, String, String, int, long)}. */
    ObjectNode recordingCompletedEvent(String uuid, long meetingId, String topic, String startTimeIso,
                                       int durationMinutes, long fileSize) {
        return recordingCompletedEvent(oauth.accountId(), uuid, meetingId, topic, startTimeIso, durationMinutes, fileSize);
    }

    /** The same for a recording of this account (its own download token unless it is the default account). */
    ObjectNode recordingCompletedEvent(String accountId, String uuid, long meetingId, String topic, String startTimeIso,
                                       int durationMinutes, long fileSize) {
        ObjectNode object = SimServer.JSON.createObjectNode();
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
        object.put("share_url", url.get() + "/rec/share/" + meetingId);
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
            f.put("play_url", url.get() + "/rec/play/" + id);
            f.put("download_url", recordings.downloadUrl(id, size));
            f.put("status", "completed");
            f.put("recording_type", kind[1]);
        }
        if (accountId.equals(oauth.accountId())) {
            object.put("download_token", ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN);
        }
        return recordingCompletedEvent(recordings.register(object));
    }

    /** A {@code recording.completed} event for a registered recording. */
    ObjectNode recordingCompletedEvent(ObjectNode recording) {
        ObjectNode event = SimServer.JSON.createObjectNode();
        event.put("event", "recording.completed");
        event.put("event_ts", System.currentTimeMillis());
        ObjectNode payload = event.putObject("payload");
        payload.put("account_id", recording.path("account_id").asText(oauth.accountId()));
        ObjectNode object = recording.deepCopy();
        object.remove("download_token");
        payload.set("object", object);
        event.put("download_token", recording.path("download_token").asText(ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN));
        return event;
    }

    /**
     * {@code POST /_sim/webhooks} with {@code {target, secret, event, timestamp?}}: {@code event} is the JSON
     * event, or the string {@code "recording.completed"} for a generated one (with {@code recording}, a
     * recording object to register and announce, when given). Answers {@code {status, body, event}}.
     */
    void sendOnRequest(Request r) throws Exception {
        JsonNode body = SimServer.JSON.readTree(r.body());
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
                    ? recordingCompletedEvent(recordings.register((ObjectNode) body.get("recording")))
                    : recordingCompletedEvent(generatedUuid(), 80_000_000_000L + webhooks.size(), "Simulated meeting",
                            ZOOM_TIME.format(Instant.now().minusSeconds(3600)), 60, ZoomSimulator.DEFAULT_FILE_SIZE);
        }
        long ts = body.path("timestamp").asLong(Instant.now().getEpochSecond());
        HttpResponse<String> response = send(URI.create(target), secret, event.toString(), ts);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", response.statusCode());
        out.put("body", response.body());
        out.put("event", event);
        r.json(200, out);
    }

    private static String eventName(String eventJson) {
        try {
            return SimServer.JSON.readTree(eventJson).path("event").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    private static String generatedUuid() {
        byte[] raw = new byte[16];
        new SecureRandom().nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }
}
