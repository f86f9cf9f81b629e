package io.camelcast.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Turns a queued notification ({@code {"target","delivery","event"}}, see {@link Notifier}) into its HTTP
 * POST: to {@code camelcast.notify.url} the event JSON signed as the upload flow's site notification is
 * ({@code X-Camelcast-Signature: sha256=<hex HMAC-SHA256(camelcast.notify.secret, timestamp + "." + body)>},
 * {@code X-Camelcast-Timestamp}, {@code X-Camelcast-Event}, {@code X-Camelcast-Delivery} to drop repeats); to
 * {@code camelcast.notify.slack-url} a Slack incoming-webhook message {@code {"text"}}.
 */
public final class NotifyDelivery {

    /** Header naming where the prepared request goes (the route's toD). */
    public static final String URL_HEADER = "CamelcastNotifyUrl";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Exchange properties naming what is delivered, for the log. */
    public static final String TARGET_PROPERTY = "camelcastNotifyTarget";
    public static final String EVENT_PROPERTY = "camelcastNotifyEvent";
    public static final String DELIVERY_PROPERTY = "camelcastNotifyDelivery";

    private final String url;
    private final String slackUrl;
    private final byte[] secret;
    private final Clock clock;

    public NotifyDelivery(String url, String secret, String slackUrl, Clock clock) {
        this.url = blankToNull(url);
        this.slackUrl = blankToNull(slackUrl);
        this.secret = secret == null || secret.isBlank() ? null : secret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
        if (this.url != null && this.secret == null) {
            throw new IllegalArgumentException("camelcast.notify.url is set: set camelcast.notify.secret too, to sign notifications");
        }
    }

    public void prepare(Exchange exchange) throws IOException {
        Message m = exchange.getMessage();
        JsonNode queued = JSON.readTree(m.getBody(String.class));
        String target = queued.path("target").asText();
        JsonNode event = queued.path("event");
        m.removeHeaders("*", "CamelAwsSqs.*");
        m.setHeader("Content-Type", "application/json");
        m.setHeader(Exchange.HTTP_METHOD, "POST");
        // for the route's log line, whichever the target: a Slack message carries no X-Camelcast headers
        exchange.setProperty(TARGET_PROPERTY, target);
        exchange.setProperty(EVENT_PROPERTY, event.path("event").asText());
        exchange.setProperty(DELIVERY_PROPERTY, queued.path("delivery").asText());
        if ("slack".equals(target)) {
            if (slackUrl == null) {
                throw new IllegalStateException("a slack notification is queued but camelcast.notify.slack-url is not set");
            }
            m.setHeader(URL_HEADER, slackUrl);
            m.setBody(JSON.createObjectNode().put("text", slackText(event)).toString());
            return;
        }
        if (url == null) {
            throw new IllegalStateException("a webhook notification is queued but camelcast.notify.url is not set");
        }
        String body = event.toString();
        long ts = clock.instant().getEpochSecond();
        m.setHeader(URL_HEADER, url);
        m.setHeader("X-Camelcast-Event", event.path("event").asText());
        m.setHeader("X-Camelcast-Delivery", queued.path("delivery").asText());
        m.setHeader("X-Camelcast-Timestamp", Long.toString(ts));
        m.setHeader("X-Camelcast-Signature", sign(secret, ts, body));
        m.setBody(body);
    }

    /** One line a person reads in a channel: {@code recording.failed 4Fq..== UPLOADER_FAILED: reason}. */
    static String slackText(JsonNode event) {
        StringBuilder b = new StringBuilder(":bell: ").append(event.path("event").asText()).append(' ')
                .append(event.path("id").asText()).append(' ').append(event.path("state").asText());
        if (event.hasNonNull("reason")) {
            b.append(": ").append(event.path("reason").asText());
        }
        if (event.hasNonNull("queue")) {
            b.append(" (queue ").append(event.path("queue").asText()).append(')');
        }
        return b.toString();
    }

    /** {@code sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>}, the upload flow's NotifySigner scheme. */
    public static String sign(byte[] secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

}
