package io.camelcast.dlq;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and replays dead-letter queues for the operator ({@code camelcast dlq list|replay}). A queue
 * is named either by the flow queue ({@code camelcast-plumbing}) or its DLQ ({@code camelcast-plumbing-dlq}).
 *
 * <p>Listing receives every message with a short visibility timeout and then releases them, so a
 * listing never consumes anything. Replay sends the original body and headers to the queue the
 * letter came from, then deletes it from the DLQ: a crash between the two repeats the message,
 * which the flows' idempotency absorbs; it never loses it.
 */
public final class DeadLetterQueues {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterQueues.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final SqsClient sqs;

    public DeadLetterQueues(SqsClient sqs) {
        this.sqs = sqs;
    }

    /** A letter as found in the queue: its envelope (null when the body is not one) and raw body. */
    public record Entry(DeadLetter letter, String rawBody, String messageId) {
    }

    public record ReplayResult(int replayed, int skipped, List<String> notFound) {
    }

    public static String dlqName(String queue) {
        return queue.endsWith(DeadLetters.DLQ_SUFFIX) ? queue : queue + DeadLetters.DLQ_SUFFIX;
    }

    /** Every letter in the queue's DLQ, oldest first as SQS returns them; nothing is consumed. */
    public List<Entry> list(String queue) {
        String url = url(dlqName(queue));
        Map<String, Message> seen = collect(url);
        release(url, seen.values());
        List<Entry> out = new ArrayList<>();
        seen.values().forEach(m -> out.add(new Entry(parse(m.body()), m.body(), m.messageId())));
        return out;
    }

    /** Replays the letters with the given ids, or all when {@code ids} is empty and {@code all} is set. */
    public ReplayResult replay(String queue, Set<String> ids, boolean all) {
        if (ids.isEmpty() && !all) {
            throw new IllegalArgumentException("name the letters to replay with --id, or use --all");
        }
        String dlqUrl = url(dlqName(queue));
        Map<String, Message> seen = collect(dlqUrl);
        List<Message> keep = new ArrayList<>();
        List<String> missing = new ArrayList<>(ids);
        int replayed = 0;
        int skipped = 0;
        for (Message m : seen.values()) {
            DeadLetter letter = parse(m.body());
            boolean wanted = all || (letter != null && ids.contains(letter.id())) || ids.contains(m.messageId());
            if (!wanted) {
                keep.add(m);
                continue;
            }
            if (letter == null || letter.queue() == null) {
                LOG.warn("dlq {} message {} is not a Camelcast dead letter; left in place", dlqName(queue), m.messageId());
                keep.add(m);
                skipped++;
                continue;
            }
            missing.remove(letter.id());
            missing.remove(m.messageId());
            Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
            if (letter.headers() != null) {
                letter.headers().forEach((k, v) -> attributes.put(k,
                        MessageAttributeValue.builder().dataType("String").stringValue(v).build()));
            }
            sqs.sendMessage(b -> b.queueUrl(url(letter.queue())).messageBody(letter.body())
                    .messageAttributes(attributes));
            sqs.deleteMessage(b -> b.queueUrl(dlqUrl).receiptHandle(m.receiptHandle()));
            LOG.info("dlq replay letter={} queue={} route={} error={}", letter.id(), letter.queue(), letter.route(),
                    letter.exception());
            replayed++;
        }
        release(dlqUrl, keep);
        return new ReplayResult(replayed, skipped, missing);
    }

    /** Approximate number of letters waiting, for {@code status}. */
    public int depth(String queue) {
        String url = url(dlqName(queue));
        var attrs = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("ApproximateNumberOfMessages"));
        return Integer.parseInt(attrs.attributesAsStrings().getOrDefault("ApproximateNumberOfMessages", "0"));
    }

    private String url(String queue) {
        try {
            return sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
        } catch (QueueDoesNotExistException e) {
            throw new IllegalArgumentException("no such queue: " + queue);
        }
    }

    /** Receives until the queue yields nothing new; messages stay invisible to others meanwhile. */
    private Map<String, Message> collect(String url) {
        Map<String, Message> seen = new LinkedHashMap<>();
        int emptyRounds = 0;
        while (emptyRounds < 2) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                    .visibilityTimeout(60).waitTimeSeconds(0)
                    .messageAttributeNames("All")).messages();
            int before = seen.size();
            batch.forEach(m -> seen.putIfAbsent(m.messageId(), m));
            emptyRounds = seen.size() == before ? emptyRounds + 1 : 0;
        }
        return seen;
    }

    private void release(String url, Iterable<Message> messages) {
        for (Message m : messages) {
            sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
        }
    }

    static DeadLetter parse(String body) {
        try {
            DeadLetter letter = JSON.readValue(body, DeadLetter.class);
            return letter.id() == null ? null : letter;
        } catch (Exception e) {
            return null;
        }
    }
}
