package io.camelcast.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A Redis list in front of an SQS queue (the transactional-outbox pattern). The webhook intake answers
 * Zoom once its message is in the list (one Redis round trip, durable in Redis's append-only file);
 * a forwarder route moves the list to SQS ten at a time with SendMessageBatch. Measured on the 2-core
 * reference machine, the embedded ElasticMQ takes 200-660 single sends per second and 850-1,350
 * messages per second in batches, while a webhook burst arrives faster: sending inline capped intake
 * at ~200-480 webhooks/s and made every answer wait for ElasticMQ.
 *
 * <p>Each entry keeps the time it becomes due, so the SQS delay is what is left of it when forwarded.
 * Entries leave the list only after SQS accepted the whole batch: a crash or a failed send forwards
 * them again (at least once; the fetch stage and the Opencast check make a duplicate harmless).
 *
 * <p>Every instance of a cluster pushes to the same list and runs a forwarder, so one forwarder at a time holds
 * the list: a Redis lease per queue ({@code camelcast:outbox-lease:{queue}}, renewed on every look, taken over
 * {@code leaseMillis} after its holder stopped). And a forwarder removes exactly the entries it sent, by
 * value, never "the first N": two forwarders that each read the first ten and each trimmed ten once sent the
 * same ten twice and dropped the next ten unsent (issue 24: recordings fetched twice, others never).
 *
 * <p>The forwarder gives way to the intake. Forwarding costs more CPU than answering (SigV4 signing on
 * our side, ElasticMQ's persistence on the other): measured with bench/webhook on two cores, intake
 * reached ~1,000 webhooks/s while forwarding and ~2,400/s without. Webhooks wait five minutes in the
 * queue anyway (the seed's settling delay), so while webhooks are still arriving (one pushed within
 * {@code quietMillis}) an entry stays here until it is due within {@code leadMillis}, or until
 * {@code maxHeld} entries are waiting; once the burst is over the list drains at full speed. An entry
 * that is due now (on-demand ingest, {@code webhook-delay=0}) is never held.
 */
public final class Outbox {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Outbox.class);
    /** SQS takes at most ten entries per SendMessageBatch. */
    public static final int MAX_BATCH = 10;
    /** SQS's longest delay. */
    private static final int MAX_DELAY_SECONDS = 900;

    private final UnifiedJedis redis;
    private final Clock clock;
    private final long quietMillis;
    private final long leadMillis;
    private final long maxHeld;
    private final String owner;
    private final long leaseMillis;
    private volatile long pausedUntil;
    private volatile long lastPush = Long.MIN_VALUE / 2;
    private int failures;

    /** Takes the lease if it is free or already ours, and renews it; false while another forwarder holds it. */
    private static final String HOLD_LEASE = "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end "
            + "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end return 0";
    /** Removes each sent entry once, by value; returns how many were still there. */
    private static final String REMOVE_SENT = "local n = 0 for i, e in ipairs(ARGV) do "
            + "n = n + redis.call('LREM', KEYS[1], 1, e) end return n";

    /** An outbox that never holds entries back (forwards as soon as they are pushed). */
    public Outbox(UnifiedJedis redis, Clock clock, String owner) {
        this(redis, clock, 0, 0, 0, owner, 10_000);
    }

    /**
     * @param quietMillis how long after the last push the intake counts as idle (0: never hold entries)
     * @param leadMillis  while busy, forward an entry once it is due within this many milliseconds
     * @param maxHeld     while busy, forward anyway once this many entries wait (bounds Redis memory)
     * @param owner       this instance, as the forwarding lease names it
     * @param leaseMillis how long the lease outlives its holder's last look (another instance takes over then)
     */
    public Outbox(UnifiedJedis redis, Clock clock, long quietMillis, long leadMillis, long maxHeld, String owner,
                  long leaseMillis) {
        this.owner = owner;
        this.leaseMillis = leaseMillis;
        this.redis = redis;
        this.clock = clock;
        this.quietMillis = quietMillis;
        this.leadMillis = leadMillis;
        this.maxHeld = maxHeld;
    }

    public static String key(String queue) {
        return "camelcast:outbox:" + queue;
    }

    /**
     * Appends a message that SQS should make visible {@code delaySeconds} from now, as part of a pipeline
     * (the intake writes it in the same round trip as the recording's status).
     */
    public void push(AbstractPipeline pipeline, String queue, String body, int delaySeconds) {
        pipeline.rpush(key(queue), entry(body, delaySeconds));
        lastPush = clock.millis();
    }

    private String entry(String body, int delaySeconds) {
        ObjectNode entry = JSON.createObjectNode();
        entry.put("due", clock.millis() + Math.max(0, delaySeconds) * 1000L);
        entry.put("body", body);
        return entry.toString();
    }

    public long depth(String queue) {
        return redis.llen(key(queue));
    }

    /**
     * The depth for the log line of a failed forward: "unknown" when Redis cannot say, since Redis is often what
     * failed. The line itself then still logs (it threw from the error handler before, and Camel's fatal
     * fallback logged two stack traces per timer tick for as long as Redis was down).
     */
    public String depthOrUnknown(String queue) {
        try {
            return Long.toString(depth(queue));
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * True when there is something to forward, no recent failure asks to wait, and either the intake is
     * idle or the oldest entry is nearly due (or too many are waiting).
     */
    public boolean ready(String queue) {
        long now = clock.millis();
        if (now < pausedUntil || !holdLease(queue)) {
            return false;
        }
        if (now - lastPush >= quietMillis) {
            return redis.llen(key(queue)) > 0;
        }
        String oldest = redis.lindex(key(queue), 0);
        if (oldest == null) {
            return false;
        }
        return due(queue, oldest) - now <= leadMillis || redis.llen(key(queue)) >= maxHeld;
    }

    /** One forwarder per queue in the cluster: this instance holds (or now takes) the lease. */
    boolean holdLease(String queue) {
        return Long.valueOf(1).equals(redis.eval(HOLD_LEASE, List.of("camelcast:outbox-lease:" + queue),
                List.of(owner, Long.toString(leaseMillis))));
    }

    private static long due(String queue, String raw) {
        return parse(queue, raw).path("due").asLong();
    }

    private static JsonNode parse(String queue, String raw) {
        try {
            return JSON.readTree(raw);
        } catch (Exception ex) {
            throw new IllegalStateException("damaged outbox entry in " + key(queue) + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * The oldest entries that can share one SQS delay: those due within a second of the first (a
     * webhook due in 5 minutes never rides with an on-demand ingest due now).
     */
    public Batch next(String queue) {
        List<String> raw = redis.lrange(key(queue), 0, MAX_BATCH - 1);
        List<String> bodies = new ArrayList<>();
        List<String> entries = new ArrayList<>();
        long firstDue = -1;
        for (String r : raw) {
            JsonNode e = parse(queue, r);
            long due = e.path("due").asLong();
            if (firstDue < 0) {
                firstDue = due;
            } else if (Math.abs(due - firstDue) > 1000) {
                break;
            }
            bodies.add(e.path("body").asText());
            entries.add(r);
        }
        long left = firstDue < 0 ? 0 : (firstDue - clock.millis() + 999) / 1000;
        return new Batch(bodies, (int) Math.max(0, Math.min(MAX_DELAY_SECONDS, left)), entries);
    }

    /**
     * SQS answered: remove the batch's own entries from the list (by value: whatever else the list holds
     * stays), or keep them (and back off) if any entry failed. Returns how many were sent.
     */
    public int sent(String queue, Batch batch, Object response) {
        int count = batch.size();
        if (response instanceof SendMessageBatchResponse r && r.hasFailed() && !r.failed().isEmpty()) {
            failed();
            throw new IllegalStateException(r.failed().size() + " of " + count + " messages refused by SQS for "
                    + queue + ": " + r.failed().get(0).code() + " " + r.failed().get(0).message());
        }
        Object removed = redis.eval(REMOVE_SENT, List.of(key(queue)), batch.entries());
        if (removed instanceof Long n && n < count) {
            // only if this forwarder lost its lease mid-batch (a pause longer than the lease): the other
            // forwarder sent these too, and the stages downstream absorb the copy
            LOG.warn(
                    "outbox queue={} forwarded {} entries another forwarder had already taken", queue, count - n);
        }
        failures = 0;
        pausedUntil = 0;
        return count;
    }

    /** After a failed forward: wait 1, 2, 4 ... 30 s before the next try, so an SQS outage is not hammered. */
    public void failed() {
        failures = Math.min(failures + 1, 6);
        pausedUntil = clock.millis() + Math.min(30_000L, 1000L << (failures - 1));
    }

    /** One SendMessageBatch: the message bodies, the delay they share, and the outbox entries they came from. */
    public record Batch(List<String> bodies, int delaySeconds, List<String> entries) {
        public int size() {
            return bodies.size();
        }
    }
}
