package io.camelcast.runtime;

import io.camelcast.dlq.DeadLetters;
import io.camelcast.logging.SecretMasker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code camelcast_queue_messages{queue="<name>",state="visible"|"in_flight"}} at {@code /observe/metrics}:
 * every queue the runtime uses and its dead-letter queue ({@code -dlq}), read from SQS's approximate counts
 * every {@code camelcast.metrics.queue-refresh-seconds} by one background thread (a scrape never waits on SQS).
 * A queue that cannot be read keeps its last value and is tried again next round; one that was never read has
 * no series yet. The same round probes each outside dependency's health check (S3, SQS, Redis, Opencast, the
 * search engine: {@link DependencyHealthCheck}) into {@code camelcast_peer_up{peer}} (1 or 0), so an alert
 * sees a peer down without anyone calling {@code /observe/health}.
 */
public final class OperationsGauges implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OperationsGauges.class);
    public static final String METRIC = "camelcast.queue.messages";

    private final SqsClient sqs;
    private final List<String> queues;
    private final Supplier<MeterRegistry> meters;
    private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();
    private final Map<String, String> urls = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final Map<String, DependencyHealthCheck.Probe> peers = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> peerUp = new ConcurrentHashMap<>();

    public OperationsGauges(SqsClient sqs, List<String> flowQueues, Supplier<MeterRegistry> meters) {
        this.sqs = sqs;
        this.queues = withDeadLetterQueues(flowQueues);
        this.meters = meters;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "camelcast-queue-gauges");
            t.setDaemon(true);
            return t;
        });
    }

    /** Each flow queue followed by its DLQ, without repeats. */
    static List<String> withDeadLetterQueues(List<String> flowQueues) {
        List<String> out = new ArrayList<>();
        for (String q : flowQueues) {
            for (String name : List.of(q, q.endsWith(DeadLetters.DLQ_SUFFIX) ? q : q + DeadLetters.DLQ_SUFFIX)) {
                if (!out.contains(name)) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    public List<String> queues() {
        return queues;
    }

    public void start(int periodSeconds) {
        // the first round one period after the start, not during it: at start the embedded SQS is still coming
        // up, and a round asks every queue (and its DLQ) for its counts (~0.5 s of CPU in a start's profile)
        long period = Math.max(1, periodSeconds);
        timer.scheduleWithFixedDelay(this::refresh, period, period, TimeUnit.SECONDS);
    }

    /** A dependency whose probe is run every round into {@code camelcast_peer_up{peer}}. */
    public void peer(String name, DependencyHealthCheck.Probe probe) {
        peers.put(name, probe);
    }

    /** One round: every queue's counts and every peer's probe into their gauges. */
    void refresh() {
        MeterRegistry registry = meters.get();
        peers.forEach((name, probe) -> {
            long up;
            try {
                probe.check();
                up = 1;
            } catch (Exception e) {
                up = 0;
            }
            AtomicLong holder = peerUp.computeIfAbsent(name, k -> new AtomicLong());
            holder.set(up);
            if (registry != null && registry.find("camelcast.peer.up").tag("peer", name).gauge() == null) {
                Gauge.builder("camelcast.peer.up", holder, AtomicLong::get)
                        .description("1 when the outside dependency's health check passed in the last round, else 0")
                        .tag("peer", name).register(registry);
            }
        });
        for (String queue : queues) {
            try {
                String url = urls.computeIfAbsent(queue, q -> sqs.getQueueUrl(b -> b.queueName(q)).queueUrl());
                Map<String, String> attrs = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings(
                        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
                set(registry, queue, "visible", attrs.getOrDefault("ApproximateNumberOfMessages", "0"));
                set(registry, queue, "in_flight", attrs.getOrDefault("ApproximateNumberOfMessagesNotVisible", "0"));
            } catch (RuntimeException e) {
                urls.remove(queue);
                LOG.debug("queue gauge {} not read: {}", queue, SecretMasker.mask(String.valueOf(e.getMessage())));
            }
        }
    }

    private void set(MeterRegistry registry, String queue, String state, String value) {
        AtomicLong holder = values.computeIfAbsent(queue + "\u0000" + state, k -> new AtomicLong());
        holder.set(Long.parseLong(value));
        if (registry != null && !registeredIn(registry, queue, state)) {
            Gauge.builder(METRIC, holder, AtomicLong::get)
                    .description("Messages in a Camelcast queue (SQS's approximate counts): visible = waiting, in_flight = taken")
                    .tag("queue", queue).tag("state", state).register(registry);
        }
    }

    private boolean registeredIn(MeterRegistry registry, String queue, String state) {
        return registry.find(METRIC).tag("queue", queue).tag("state", state).gauge() != null;
    }

    /** The last values read, for tests and {@code status}: queue → {visible, in_flight}. */
    public Map<String, Map<String, Long>> snapshot() {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (String q : queues) {
            AtomicLong v = values.get(q + "\u0000visible");
            AtomicLong f = values.get(q + "\u0000in_flight");
            if (v != null) {
                out.put(q, Map.of("visible", v.get(), "in_flight", f == null ? 0 : f.get()));
            }
        }
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
