package io.camelcast.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelcast.upload.NotifySigner;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NotifyTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-20T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void anEventIsQueuedOncePerTargetWithTheIssuesFields() throws Exception {
        List<String> sent = new CopyOnWriteArrayList<>();
        try (Notifier n = new Notifier(true, true, sent::add, CLOCK)) {
            n.raise("recording.failed", "abc==", "UPLOADER_FAILED", "Opencast answered 500", Map.of("zip_id", "auto-ingest-abc=="));
        }
        assertEquals(2, sent.size());
        JsonNode webhook = JSON.readTree(sent.get(0));
        assertEquals("webhook", webhook.path("target").asText());
        assertEquals("slack", JSON.readTree(sent.get(1)).path("target").asText());
        JsonNode e = webhook.path("event");
        assertEquals("recording.failed", e.path("event").asText());
        assertEquals("abc==", e.path("id").asText());
        assertEquals("UPLOADER_FAILED", e.path("state").asText());
        assertEquals("Opencast answered 500", e.path("reason").asText());
        assertEquals("2026-11-20T10:00:00Z", e.path("time").asText());
        assertEquals("auto-ingest-abc==", e.path("zip_id").asText());
    }

    @Test
    void raisingNeverThrowsIntoTheFlowAndWithoutTargetsSendsNothing() {
        List<String> sent = new CopyOnWriteArrayList<>();
        try (Notifier none = new Notifier(false, false, sent::add, CLOCK)) {
            none.raise("upload.delivered", "u1", "DONE", null);
        }
        assertTrue(sent.isEmpty());
        try (Notifier failing = new Notifier(true, false, body -> {
            throw new IllegalStateException("queue down");
        }, CLOCK)) {
            failing.raise("upload.delivered", "u1", "DONE", null);
        }
    }

    @Test
    void aDeadLetterRaisesDlqMessageExceptOnTheNotificationQueue() throws Exception {
        List<String> sent = new CopyOnWriteArrayList<>();
        try (Notifier n = new Notifier(true, false, sent::add, CLOCK)) {
            n.deadLetter("camelcast-recordings-staged-dlq", "{\"id\": \"L1\", \"queue\": \"camelcast-recordings-staged\", "
                    + "\"exception\": \"HTTP 500\"}", "camelcast-notifications");
            n.deadLetter("camelcast-notifications-dlq", "{\"id\": \"L2\"}", "camelcast-notifications");
        }
        assertEquals(1, sent.size());
        JsonNode e = JSON.readTree(sent.get(0)).path("event");
        assertEquals("dlq.message", e.path("event").asText());
        assertEquals("L1", e.path("id").asText());
        assertEquals("camelcast-recordings-staged-dlq", e.path("queue").asText());
        assertEquals("HTTP 500", e.path("cause").asText());
    }

    @Test
    void theWebhookIsSignedAsTheUploadSiteNotificationAndSlackGetsText() throws Exception {
        NotifyDelivery d = new NotifyDelivery("http://site/notify", "s3cret-notify", "http://hooks/slack", CLOCK);
        String event = "{\"event\": \"upload.delivered\", \"id\": \"u1\", \"state\": \"DONE\", \"time\": \"2026-11-20T10:00:00Z\"}";
        Exchange x = new DefaultExchange(new DefaultCamelContext());
        x.getMessage().setBody("{\"target\": \"webhook\", \"delivery\": \"d-1\", \"event\": " + event + "}");
        d.prepare(x);
        String body = x.getMessage().getBody(String.class);
        long ts = Long.parseLong(x.getMessage().getHeader("X-Camelcast-Timestamp", String.class));
        assertTrue(new NotifySigner("s3cret-notify").verify(ts, body, x.getMessage().getHeader("X-Camelcast-Signature", String.class)),
                "a receiver of the upload notification checks this one the same way");
        assertEquals("http://site/notify", x.getMessage().getHeader(NotifyDelivery.URL_HEADER));
        assertEquals("upload.delivered", x.getMessage().getHeader("X-Camelcast-Event"));
        assertEquals("d-1", x.getMessage().getHeader("X-Camelcast-Delivery"));

        Exchange s = new DefaultExchange(new DefaultCamelContext());
        s.getMessage().setBody("{\"target\": \"slack\", \"delivery\": \"d-2\", \"event\": " + event + "}");
        d.prepare(s);
        assertEquals("http://hooks/slack", s.getMessage().getHeader(NotifyDelivery.URL_HEADER));
        assertTrue(JSON.readTree(s.getMessage().getBody(String.class)).path("text").asText().contains("upload.delivered u1 DONE"));
        assertFalse(s.getMessage().getHeaders().containsKey("X-Camelcast-Signature"));
        // the delivery's log line names the Slack message as it does the webhook
        assertEquals("slack", s.getProperty(NotifyDelivery.TARGET_PROPERTY));
        assertEquals("upload.delivered", s.getProperty(NotifyDelivery.EVENT_PROPERTY));
        assertEquals("d-2", s.getProperty(NotifyDelivery.DELIVERY_PROPERTY));
        assertEquals("webhook", x.getProperty(NotifyDelivery.TARGET_PROPERTY));

        assertThrows(IllegalArgumentException.class, () -> new NotifyDelivery("http://site/notify", "", null, CLOCK),
                "an unsigned webhook is refused at start");
    }
}
