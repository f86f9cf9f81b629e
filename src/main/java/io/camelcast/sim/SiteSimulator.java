package io.camelcast.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The site that uploads are for (the seed's Ace Academy website): it receives Camelcast's
 * {@code upload.completed} notification at {@code POST /notify}, checks the HMAC-SHA256 signature over
 * {@code X-Camelcast-Timestamp + "." + body} the way a site would (401 when it does not match), and keeps
 * every delivery, valid or not, at {@code GET /_sim/notifications}. {@code POST /_sim/faults} makes it
 * answer 500s or drop connections, to exercise the retries. It also stands in for a Slack incoming webhook
 * ({@code POST /slack/...} with {@code {"text"}}; kept at {@code GET /_sim/slack}) for operator notifications.
 */
public final class SiteSimulator extends SimServer {

    public static final String DEFAULT_SECRET = "sim-site-notify-secret";

    private final List<Map<String, Object>> notifications = new ArrayList<>();
    private volatile String secret = DEFAULT_SECRET;

    public SiteSimulator() {
        super("site");
        on("POST", "/notify", this::notify);
        on("GET", "/_sim/notifications", r -> r.json(200, notifications()));
        // a Slack incoming webhook (https://hooks.slack.com/services/T.../B.../...): {"text"}, answered "ok"
        on("POST", "/slack/(.+)", this::slack);
        on("GET", "/_sim/slack", r -> r.json(200, slackMessages()));
    }

    private final List<Map<String, Object>> slack = new ArrayList<>();

    public synchronized List<Map<String, Object>> slackMessages() {
        return List.copyOf(slack);
    }

    private void slack(Request r) throws IOException {
        JsonNode body;
        try {
            body = JSON.readTree(r.bodyText());
        } catch (IOException e) {
            r.json(400, Map.of("message", "invalid_payload"));
            return;
        }
        if (!body.path("text").isTextual() || body.path("text").asText().isBlank()) {
            r.json(400, Map.of("message", "no_text"));
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", Instant.now().toString());
        m.put("text", body.path("text").asText());
        synchronized (this) {
            slack.add(m);
        }
        r.json(200, Map.of("ok", true));
    }

    public void setSecret(String secret) {
        this.secret = secret;
    }

    public synchronized List<Map<String, Object>> notifications() {
        return List.copyOf(notifications);
    }

    private void notify(Request r) throws IOException {
        String body = r.bodyText();
        String ts = r.header("X-Camelcast-Timestamp");
        String sig = r.header("X-Camelcast-Signature");
        boolean valid = ts != null && sig != null && MessageDigest.isEqual(sign(secret, ts + "." + body)
                .getBytes(StandardCharsets.UTF_8), sig.getBytes(StandardCharsets.UTF_8));
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("at", Instant.now().toString());
        n.put("delivery", r.header("X-Camelcast-Delivery"));
        n.put("event", r.header("X-Camelcast-Event"));
        n.put("valid_signature", valid);
        JsonNode parsed;
        try {
            parsed = JSON.readTree(body);
        } catch (IOException e) {
            parsed = JSON.getNodeFactory().textNode(body);
        }
        n.put("body", parsed);
        synchronized (this) {
            notifications.add(n);
        }
        if (!valid) {
            r.json(401, Map.of("message", "bad signature"));
            return;
        }
        r.json(200, Map.of("received", String.valueOf(r.header("X-Camelcast-Delivery"))));
    }

    /** {@code sha256=<hex HMAC-SHA256(secret, text)>}. */
    public static String sign(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
