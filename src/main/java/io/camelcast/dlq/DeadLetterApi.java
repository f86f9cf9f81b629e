package io.camelcast.dlq;

import io.camelcast.http.Refused;
import io.camelcast.logging.SecretMasker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Dead letters over HTTP, with the CLI's rules ({@code camelcast dlq list|replay}; the routes check
 * {@code X-Api-Key}): {@code GET /dlq} lists each DLQ with its depth, {@code GET /dlq/{queue}} its letters with
 * secrets masked, {@code POST /dlq/{queue}/replay[?id=]} sends them back to the queue they came from. Only the
 * runtime's own queues may be named (the DLQ as {@code GET /dlq} lists it, or its flow queue), so the API
 * cannot be pointed at any other queue of the account.
 */
public final class DeadLetterApi {

    private final DeadLetterQueues queues;
    private final List<String> flowQueues;

    public DeadLetterApi(DeadLetterQueues queues, List<String> flowQueues) {
        this.queues = queues;
        this.flowQueues = List.copyOf(flowQueues);
    }

    /** {@code [{"queue": "<name>-dlq", "messages": N}]} for every flow queue's DLQ. */
    public List<Map<String, Object>> overview() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String q : flowQueues) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("queue", DeadLetterQueues.dlqName(q));
            try {
                row.put("messages", queues.depth(q));
            } catch (RuntimeException e) {
                row.put("messages", null);
                row.put("error", SecretMasker.mask(e.getMessage()));
            }
            out.add(row);
        }
        return out;
    }

    /** {@code [{"id","body","cause","failedAt", ...}]}: each letter, its body and cause masked. */
    public List<Map<String, Object>> letters(String queue) {
        String q = known(queue);
        List<Map<String, Object>> out = new ArrayList<>();
        for (DeadLetterQueues.Entry e : existing(() -> queues.list(q))) {
            DeadLetter l = e.letter();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", l == null ? e.messageId() : l.id());
            row.put("body", SecretMasker.maskJson(l == null ? e.rawBody() : l.body()));
            row.put("cause", l == null ? null : SecretMasker.mask(l.exception()));
            row.put("failedAt", l == null ? null : l.failedAt());
            if (l != null) {
                row.put("queue", l.queue());
                row.put("route", l.route());
                row.put("attempts", l.attempts());
            }
            out.add(row);
        }
        return out;
    }

    /** {@code {"replayed": N}}: every letter, or the one named by {@code id}; 404 when that one is not there. */
    public Map<String, Object> replay(String queue, String id) {
        String q = known(queue);
        boolean one = id != null && !id.isBlank();
        DeadLetterQueues.ReplayResult r = existing(() -> queues.replay(q, one ? Set.of(id.trim()) : Set.of(), !one));
        if (one && r.replayed() == 0) {
            throw new Refused(404, "no letter " + id.trim() + " in " + DeadLetterQueues.dlqName(q));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("replayed", r.replayed());
        if (r.skipped() > 0) {
            out.put("skipped", r.skipped());
        }
        return out;
    }

    /** A DLQ that does not exist (yet) in the queue service is a 404 with the reason, not a failure. */
    private static <T> T existing(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException e) {
            throw new Refused(404, e.getMessage());
        }
    }

    /** The flow queue named by {@code queue} (itself or its DLQ's name), or 404. */
    String known(String queue) {
        if (queue != null) {
            for (String q : flowQueues) {
                if (q.equals(queue) || DeadLetterQueues.dlqName(q).equals(queue)) {
                    return q;
                }
            }
        }
        throw new Refused(404, "no such queue: " + queue + " (GET /dlq lists them)");
    }
}
