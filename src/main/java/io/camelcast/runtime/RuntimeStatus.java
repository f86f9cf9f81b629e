package io.camelcast.runtime;

import io.camelcast.config.Settings;
import io.camelcast.dlq.DeadLetterQueues;
import io.camelcast.logging.SecretMasker;
import io.camelcast.store.AwsClients;
import io.camelcast.store.StatusStore;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code camelcast status} (and {@code GET /status}) report: whether S3, SQS and Redis answer,
 * each flow queue's depth and dead letters, and the configuration in force with secrets masked.
 */
public final class RuntimeStatus implements AutoCloseable {

    private final Settings settings;
    private final S3Client s3;
    private final SqsClient sqs;
    private final UnifiedJedis redis;
    private final boolean ownsClients;

    /** For the CLI: its own clients, closed with this object. */
    public RuntimeStatus(Settings settings) {
        this(settings, AwsClients.s3(settings), AwsClients.sqs(settings),
                RedisClient.create(URI.create(settings.get("camelcast.redis.url"))), true);
    }

    /** For the running instance ({@code GET /status}): the clients its routes already share. */
    public RuntimeStatus(Settings settings, S3Client s3, SqsClient sqs, UnifiedJedis redis) {
        this(settings, s3, sqs, redis, false);
    }

    private RuntimeStatus(Settings settings, S3Client s3, SqsClient sqs, UnifiedJedis redis, boolean ownsClients) {
        this.settings = settings;
        this.s3 = s3;
        this.sqs = sqs;
        this.redis = redis;
        this.ownsClients = ownsClients;
    }

    public Map<String, Object> record(String id) {
        return new StatusStore(redis).get(id);
    }

    public Map<String, Object> report(boolean instanceRunning) {
        Map<String, Object> services = new LinkedHashMap<>();
        services.put("s3", probe(settings.get("camelcast.s3.endpoint") + " bucket " + settings.get("camelcast.s3.bucket"),
                () -> s3.headBucket(b -> b.bucket(settings.get("camelcast.s3.bucket"))
                        .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(3))))));
        services.put("sqs", probe(settings.get("camelcast.sqs.endpoint"),
                () -> sqs.listQueues(b -> b.maxResults(1)
                        .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(3))))));
        services.put("redis", probe(redactUrl(settings.get("camelcast.redis.url")), redis::ping));
        boolean up = services.values().stream().allMatch(s -> "UP".equals(((Map<?, ?>) s).get("status")));

        List<Map<String, Object>> queues = new ArrayList<>();
        if ("UP".equals(((Map<?, ?>) services.get("sqs")).get("status"))) {
            DeadLetterQueues dlq = new DeadLetterQueues(sqs);
            for (String queue : Services.queues(settings)) {
                Map<String, Object> q = new LinkedHashMap<>();
                q.put("queue", queue);
                try {
                    String url = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
                    Map<String, String> attrs = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings(
                            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
                    q.put("waiting", Integer.parseInt(attrs.getOrDefault("ApproximateNumberOfMessages", "0")));
                    q.put("inFlight", Integer.parseInt(attrs.getOrDefault("ApproximateNumberOfMessagesNotVisible", "0")));
                    q.put("deadLetters", dlq.depth(queue));
                } catch (RuntimeException e) {
                    q.put("error", SecretMasker.mask(e.getMessage()));
                }
                queues.add(q);
            }
        }
        // accepted webhooks not yet forwarded to SQS (store/Outbox): grows while SQS is down
        Map<String, Object> outbox = new LinkedHashMap<>();
        if ("UP".equals(((Map<?, ?>) services.get("redis")).get("status"))) {
            String incoming = settings.get("camelcast.recording.incoming-queue");
            outbox.put(incoming, redis.llen(io.camelcast.store.Outbox.key(incoming)));
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("status", up ? "UP" : "DOWN");
        report.put("instance", instanceRunning ? "running (this report uses its embedded servers)" : "not running here");
        report.put("dataDir", settings.dataDir().toString());
        report.put("services", services);
        report.put("queues", queues);
        report.put("outbox", outbox);
        // the class schedule in force: where it came from and a fetch from camelcast.schedule.url that failed since
        if ("UP".equals(((Map<?, ?>) services.get("redis")).get("status"))) {
            report.put("schedule", new io.camelcast.recording.ScheduleStore(redis).sources());
        }
        report.put("configuration", settings.masked());
        return report;
    }

    /** Plain-text rendering for the terminal. */
    @SuppressWarnings("unchecked")
    public static String format(Map<String, Object> report) {
        StringBuilder b = new StringBuilder();
        b.append("camelcast ").append(report.get("status")).append("  instance: ").append(report.get("instance"))
                .append("  data: ").append(report.get("dataDir")).append('\n');
        ((Map<String, Map<String, Object>>) report.get("services")).forEach((name, s) -> {
            b.append(String.format("  %-6s %-5s %s", name, s.get("status"), s.get("target")));
            if (s.get("error") != null) {
                b.append("  (").append(s.get("error")).append(')');
            }
            b.append('\n');
        });
        List<Map<String, Object>> queues = (List<Map<String, Object>>) report.get("queues");
        if (!queues.isEmpty()) {
            b.append("queues:\n");
            for (Map<String, Object> q : queues) {
                b.append(String.format("  %-36s waiting=%s in-flight=%s dead-letters=%s%s%n", q.get("queue"),
                        q.getOrDefault("waiting", "?"), q.getOrDefault("inFlight", "?"),
                        q.getOrDefault("deadLetters", "?"), q.get("error") == null ? "" : "  " + q.get("error")));
            }
        }
        Map<String, Object> outbox = (Map<String, Object>) report.getOrDefault("outbox", Map.of());
        outbox.forEach((queue, n) -> b.append(String.format("outbox (accepted, not yet on %s): %s%n", queue, n)));
        Map<String, String> schedule = (Map<String, String>) report.getOrDefault("schedule", Map.of());
        schedule.forEach((k, v) -> b.append("schedule ").append(k).append(": ").append(v).append('\n'));
        b.append("configuration:\n");
        ((Map<String, String>) report.get("configuration")).forEach((k, v) -> b.append("  ").append(k).append('=').append(v).append('\n'));
        return b.toString();
    }

    private interface Call {
        void run() throws Exception;
    }

    private static Map<String, Object> probe(String target, Call call) {
        Map<String, Object> s = new LinkedHashMap<>();
        try {
            call.run();
            s.put("status", "UP");
        } catch (Exception e) {
            s.put("status", "DOWN");
            s.put("error", SecretMasker.mask(String.valueOf(e.getMessage())));
        }
        s.put("target", target);
        return s;
    }

    /** {@code redis://user:pass@host:6379} → {@code redis://****@host:6379}. */
    static String redactUrl(String url) {
        if (url == null) {
            return null;
        }
        return url.replaceAll("//[^/@]+@", "//****@");
    }

    @Override
    public void close() {
        if (!ownsClients) {
            return;
        }
        s3.close();
        sqs.close();
        redis.close();
    }
}
