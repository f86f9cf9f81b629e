package io.camelcast.dlq;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelcast.logging.SecretMasker;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The dead-letter channel's bean: wraps a failed exchange's original message into a {@link DeadLetter}
 * envelope (JSON) and names the queue it goes to: the source queue's {@code -dlq}. Routes call it as
 * {@code bean: {ref: deadLetters, method: envelope}}.
 */
public final class DeadLetters {

    /** Header naming the dead-letter queue the envelope must go to. */
    public static final String DLQ_HEADER = "CamelcastDeadLetterQueue";
    /** Suffix of every flow queue's dead-letter queue. */
    public static final String DLQ_SUFFIX = "-dlq";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Attributes SQS carries per message; headers past this are kept in the envelope only. */
    private static final int MAX_ATTRIBUTES = 10;

    public void envelope(Exchange exchange) throws JsonProcessingException {
        Message in = exchange.getMessage();
        String queue = sourceQueue(exchange.getFromEndpoint() == null ? null : exchange.getFromEndpoint().getEndpointUri(),
                exchange.getFromRouteId());
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Integer redeliveries = exchange.getProperty(CountAttempts.PROPERTY, Integer.class);
        // Camel names the failed route only on the dead-letter channel's path; a letter sent from an
        // onException block (a media task's unreadable upload) failed in the route that took the message
        if (exchange.getProperty(Exchange.FAILURE_ROUTE_ID) == null) {
            exchange.setProperty(Exchange.FAILURE_ROUTE_ID, exchange.getFromRouteId());
        }
        DeadLetter letter = new DeadLetter(
                UUID.randomUUID().toString(),
                queue,
                exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class),
                exchange.getProperty(Exchange.FAILURE_ENDPOINT, String.class),
                cause == null ? null : SecretMasker.mask(cause.getClass().getName() + ": " + cause.getMessage()),
                Instant.now().toString(),
                redeliveries == null ? 1 : redeliveries + 1,
                originalHeaders(in.getHeaders()),
                in.getBody(String.class));
        // headers stay: the queue consumer still needs its receipt handle to delete the original
        in.setHeader(DLQ_HEADER, queue + DLQ_SUFFIX);
        in.setBody(JSON.writeValueAsString(letter));
    }

    /** The queue the failed route consumed from: {@code aws2-sqs://camelcast-plumbing?...} → {@code camelcast-plumbing}. */
    static String sourceQueue(String uri, String routeId) {
        if (uri == null || !uri.startsWith("aws2-sqs:")) {
            throw new IllegalStateException("dead letters come from queue consumers; route "
                    + routeId + " consumes from " + uri);
        }
        String rest = uri.substring("aws2-sqs:".length());
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
        }
        int q = rest.indexOf('?');
        return q < 0 ? rest : rest.substring(0, q);
    }

    /** The headers a replay must restore: the flow's own, not Camel's or the SQS consumer's. */
    static Map<String, String> originalHeaders(Map<String, Object> headers) {
        Map<String, String> out = new TreeMap<>();
        headers.forEach((k, v) -> {
            if (v != null && !k.startsWith("Camel") && !k.startsWith("camel") && out.size() < MAX_ATTRIBUTES
                    && (v instanceof CharSequence || v instanceof Number || v instanceof Boolean)) {
                out.put(k, v.toString());
            }
        });
        return out;
    }
}
