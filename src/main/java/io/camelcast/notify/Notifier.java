package io.camelcast.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.logging.SecretMasker;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises an operator event ({@code recording.ingested}, {@code upload.failed}, {@code dlq.message}, ...) for
 * every flow: the event JSON {@code {"event","id","state","reason"?,"time",...}} goes onto the notification
 * queue once per configured target ({@code camelcast.notify.url}, {@code camelcast.notify.slack-url}), where
 * routes/notify.yaml delivers it with its own retries. Raising hands the message to one background sender
 * and returns at once: a slow or unreachable queue never blocks the flow that raised it, and nothing here
 * throws into it. With no target configured nothing is sent.
 */
public final class Notifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Sends one queue message body; the runtime gives the SQS client's send. */
    public interface QueueSender {
        void send(String body) throws Exception;
    }

    private final List<String> targets;
    private final QueueSender sender;
    private final Clock clock;
    private final ThreadPoolExecutor executor;

    public Notifier(boolean webhook, boolean slack, QueueSender sender, Clock clock) {
        this.targets = webhook && slack ? List.of("webhook", "slack") : webhook ? List.of("webhook") : slack ? List.of("slack") : List.of();
        this.sender = sender;
        this.clock = clock;
        // one sender thread, bounded: a burst waits here, a queue that stays down drops (and logs) past 10,000
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(10_000), r -> {
            Thread t = new Thread(r, "camelcast-notify");
            t.setDaemon(true);
            return t;
        });
    }

    public boolean enabled() {
        return !targets.isEmpty();
    }

    /** Raises {@code event} for item {@code id} now in {@code state}; {@code reason} may be null. */
    public void raise(String event, String id, String state, String reason) {
        raise(event, id, state, reason, Map.of());
    }

    public void raise(String event, String id, String state, String reason, Map<String, ?> extra) {
        if (targets.isEmpty()) {
            return;
        }
        ObjectNode n = event(event, id, state, reason, extra, clock);
        String delivery = UUID.randomUUID().toString();
        for (String target : targets) {
            ObjectNode message = JSON.createObjectNode();
            message.put("target", target);
            message.put("delivery", delivery + "-" + target);
            message.set("event", n);
            String body = message.toString();
            try {
                executor.execute(() -> {
                    try {
                        sender.send(body);
                    } catch (Exception e) {
                        LOG.warn("notification not queued event={} item={} target={}: {}", event, id, target,
                                SecretMasker.mask(String.valueOf(e.getMessage())));
                    }
                });
            } catch (RejectedExecutionException e) {
                LOG.warn("notification dropped, too many waiting: event={} item={} target={}", event, id, target);
            }
        }
    }

    /** The event document; secrets that slipped into a reason are masked. */
    static ObjectNode event(String event, String id, String state, String reason, Map<String, ?> extra, Clock clock) {
        ObjectNode n = JSON.createObjectNode();
        n.put("event", event);
        n.put("id", id);
        n.put("state", state);
        if (reason != null && !reason.isBlank()) {
            n.put("reason", SecretMasker.mask(reason));
        }
        n.put("time", clock.instant().toString());
        extra.forEach((k, v) -> {
            if (v != null && !n.has(k)) {
                n.set(k, JSON.valueToTree(v instanceof String s ? SecretMasker.mask(s) : v));
            }
        });
        return n;
    }

    /**
     * {@code dlq.message} for a letter just queued (dead-letters.yaml): the letter's id (what
     * {@code POST /dlq/{queue}/replay?id=} takes), the DLQ, the flow queue and the cause. Letters of the
     * notification queue itself raise nothing (that would notify about failing to notify, forever).
     */
    public void deadLetter(String dlq, String letterJson, String notifyQueue) {
        if (targets.isEmpty() || dlq == null || dlq.startsWith(notifyQueue)) {
            return;
        }
        try {
            JsonNode letter = JSON.readTree(letterJson);
            raise("dlq.message", letter.path("id").asText(), "DEAD_LETTER", letter.path("exception").asText(null),
                    Map.of("queue", dlq, "source", letter.path("queue").asText(""), "route", letter.path("route").asText(""),
                            "cause", letter.path("exception").asText("")));
        } catch (JsonProcessingException e) {
            raise("dlq.message", "", "DEAD_LETTER", null, Map.of("queue", dlq));
        }
    }

    /**
     * Which events a recording's final state raises: {@code recording.failed}, {@code recording.published}
     * (Opencast's workflow succeeded) or {@code recording.ingested} (Opencast took the ingest).
     */
    public static String recordingEvent(String state) {
        if ("OPENCAST_SUCCEEDED".equals(state)) {
            return "recording.published";
        }
        return state.endsWith("_FAILED") ? "recording.failed" : "recording.ingested";
    }

    /** Waits briefly for queued events to be sent (a graceful stop), then stops the sender. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
