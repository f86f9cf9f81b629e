package io.camelcast.kaltura;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;

/**
 * Kaltura's API v3 for the archive flow's beans: each call goes through {@code direct:kaltura-api}
 * (routes/outside-apis.yaml: camel-http, {@code format=1}, Kaltura's errors turned into exceptions, the
 * transient ones tried again). An admin session ({@code session.start}, {@code disableentitlement}) is
 * started on first use and renewed before it expires, or at once when Kaltura calls it invalid.
 */
public final class KalturaApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SESSION_ADMIN = 2;

    private final CamelContext camel;
    private final String partnerId;
    private final String secret;
    private final String userId;
    private final long sessionSeconds;
    private final Clock clock;
    private ProducerTemplate template;
    private String ks;
    private long renewAtMillis;

    public KalturaApi(CamelContext camel, String partnerId, String secret, String userId, long sessionSeconds, Clock clock) {
        this.camel = camel;
        this.partnerId = partnerId;
        this.secret = secret;
        this.userId = userId;
        this.sessionSeconds = sessionSeconds;
        this.clock = clock;
    }

    /** Starts a session now (what {@code archive config} checks). */
    public synchronized void startSession() {
        if (partnerId == null || partnerId.isBlank() || secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("camelcast.kaltura.partner-id and camelcast.kaltura.secret must be set"
                    + " (or KALTURA_PARTNERID / KALTURA_SECRET)");
        }
        ObjectNode p = JSON.createObjectNode();
        p.put("secret", secret);
        p.put("userId", userId == null ? "" : userId);
        p.put("type", SESSION_ADMIN);
        p.put("partnerId", partnerId);
        p.put("expiry", sessionSeconds);
        p.put("privileges", "disableentitlement");
        JsonNode answer = send("session", "start", bytes(p), "application/json");
        ks = answer.asText();
        renewAtMillis = clock.millis() + sessionSeconds * 900; // renewed at 90 % of its life
    }

    private synchronized String ks() {
        if (ks == null || clock.millis() >= renewAtMillis) {
            startSession();
        }
        return ks;
    }

    /** One API call with JSON parameters; the session is added. */
    public JsonNode call(String service, String action, ObjectNode params) {
        for (int attempt = 0; ; attempt++) {
            ObjectNode p = params.deepCopy();
            p.put("ks", ks());
            p.put("format", 1);
            try {
                return send(service, action, bytes(p), "application/json");
            } catch (KalturaApiException e) {
                if (attempt == 0 && ("INVALID_KS".equals(e.code()) || "EXPIRED_KS".equals(e.code()))) {
                    synchronized (this) {
                        ks = null;
                    }
                    continue;
                }
                throw e;
            }
        }
    }

    /** {@code uploadToken.upload} of one chunk (multipart {@code fileData}), resumable at {@code resumeAt}. */
    public JsonNode uploadChunk(String tokenId, byte[] data, int length, long resumeAt, boolean finalChunk) {
        String boundary = "camelcast" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream body = new ByteArrayOutputStream(length + 1024);
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("ks", ks());
        fields.put("format", "1");
        fields.put("uploadTokenId", tokenId);
        fields.put("resume", resumeAt > 0 ? "1" : "0");
        fields.put("resumeAt", Long.toString(resumeAt));
        fields.put("finalChunk", finalChunk ? "1" : "0");
        StringBuilder head = new StringBuilder();
        fields.forEach((k, v) -> head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"")
                .append(k).append("\"\r\n\r\n").append(v).append("\r\n"));
        head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"fileData\"; filename=\"")
                .append(tokenId).append(".mp4\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        body.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        body.write(data, 0, length);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send("uploadToken", "upload", body.toByteArray(), "multipart/form-data; boundary=" + boundary);
    }

    private JsonNode send(String service, String action, byte[] body, String contentType) {
        Map<String, Object> headers = new HashMap<>();
        headers.put("CamelcastKalturaService", service);
        headers.put("CamelcastKalturaAction", action);
        headers.put("Content-Type", contentType);
        try {
            return template().requestBodyAndHeaders("direct:kaltura-api", body, headers, JsonNode.class);
        } catch (CamelExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new KalturaUnavailableException("Kaltura " + service + "." + action + " failed: " + describe(cause), cause);
        }
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private synchronized ProducerTemplate template() {
        if (template == null) {
            template = camel.createProducerTemplate();
        }
        return template;
    }

    private static byte[] bytes(ObjectNode p) {
        try {
            return JSON.writeValueAsBytes(p);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Kaltura could not be reached (connection refused, timeouts, HTTP errors) after the retries. */
    public static final class KalturaUnavailableException extends RuntimeException {
        public KalturaUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
