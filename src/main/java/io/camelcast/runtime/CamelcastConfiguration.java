package io.camelcast.runtime;

import io.camelcast.analytics.AnalyticsConfiguration;
import io.camelcast.config.Settings;
import io.camelcast.config.UploadTargets;
import io.camelcast.dlq.CountAttempts;
import io.camelcast.dlq.DeadLetterQueues;
import io.camelcast.dlq.DeadLetters;
import io.camelcast.http.ApiKeyGuard;
import io.camelcast.media.MediaConfiguration;
import io.camelcast.notify.Notifier;
import io.camelcast.notify.NotifyDelivery;
import io.camelcast.kaltura.KalturaConfiguration;
import io.camelcast.opencast.OpencastConfiguration;
import io.camelcast.recording.RecordingConfiguration;
import io.camelcast.store.AwsClients;
import io.camelcast.store.CheckpointStore;
import io.camelcast.store.Instances;
import io.camelcast.store.Outbox;
import io.camelcast.store.RecordingStatus;
import io.camelcast.store.RedisIdempotentRepository;
import io.camelcast.store.StatusStore;
import io.camelcast.store.HarvestLease;
import io.camelcast.store.WorkClaims;
import io.camelcast.upload.UploadConfiguration;
import io.camelcast.zoom.ZoomConfiguration;

import java.time.Clock;
import java.util.List;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;

/**
 * The shared beans every flow's routes and configuration use, built once from the settings: AWS clients
 * (Camel's aws2-s3 and aws2-sqs components pick them up by type), Redis, idempotency, status and
 * checkpoint stores, this instance in its cluster, the outbox, the dead-letter envelope, and the dependency
 * health checks. Each flow binds its own beans in its own configuration class (FLOWS), after this one.
 * Everything is closed when Camel stops.
 */
public final class CamelcastConfiguration implements CamelConfiguration {

    /**
     * Each flow's configuration, in the order they bind (a flow may use what an earlier one bound), then the
     * dependency health checks, which read what the flows bound.
     */
    static List<CamelConfiguration> flows(Settings settings) {
        return List.of(new ZoomConfiguration(settings), new RecordingConfiguration(settings), new OpencastConfiguration(settings),
                new UploadConfiguration(settings), new AnalyticsConfiguration(settings), new MediaConfiguration(settings), new KalturaConfiguration(settings),
                new DependencyChecks(settings));
    }

    private final Settings settings;

    public CamelcastConfiguration(Settings settings) {
        this.settings = settings;
    }

    /** The Redis URL without its password, for the log. */
    private static String redactedRedis(Settings settings) {
        return settings.get("camelcast.redis.url", "").replaceAll("//[^@/]*@", "//****@");
    }

    /** One pooled client for every flow; the pool must cover the HTTP workers plus the queue consumers. */
    static UnifiedJedis redis(Settings settings) {
        var pool = new redis.clients.jedis.ConnectionPoolConfig();
        int size = settings.getInt("camelcast.redis.pool-size");
        pool.setMaxTotal(size);
        pool.setMaxIdle(size);
        return RedisClient.builder().fromURI(URI.create(settings.get("camelcast.redis.url"))).poolConfig(pool).build();
    }

    /** The notifier: queues each event on camelcast.notify.queue for routes/notify.yaml (its URL looked up once). */
    static Notifier notifier(Settings settings, SqsClient sqs) {
        String queue = settings.get("camelcast.notify.queue");
        String[] url = new String[1];
        return new Notifier(settings.isSet("camelcast.notify.url"), settings.isSet("camelcast.notify.slack-url"), body -> {
            if (url[0] == null) {
                url[0] = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
            }
            sqs.sendMessage(b -> b.queueUrl(url[0]).messageBody(body));
        }, Clock.systemUTC());
    }

    @Override
    public void configure(CamelContext context) {
        S3Client s3 = AwsClients.s3(settings);
        S3Presigner presigner = AwsClients.presigner(settings);
        SqsClient sqs = AwsClients.sqs(settings);
        UnifiedJedis redis = redis(settings);

        Registry registry = context.getRegistry();
        // platform-http's Vert.x runs routes on its worker pool; Camel takes the options from the registry
        registry.bind("vertxOptions", new io.vertx.core.VertxOptions()
                .setWorkerPoolSize(settings.getInt("camelcast.http.workers")));
        registry.bind("settings", settings);
        registry.bind("s3Client", s3);
        registry.bind("s3Presigner", presigner);
        registry.bind("sqsClient", sqs);
        registry.bind("redis", redis);
        registry.bind("idempotency", new RedisIdempotentRepository(redis,
                settings.getInt("camelcast.idempotency.ttl")));
        registry.bind("statusStore", new StatusStore(redis));
        // this process in the cluster: its heartbeat (routes/cluster.yaml; Redis may still be starting here, so the
        // first beat comes with the routes or the first claim) and the claims it takes
        Instances instances = new Instances(redis, Instances.newId(), settings.getInt("camelcast.cluster.instance-ttl-ms"));
        org.slf4j.LoggerFactory.getLogger(Instances.class).info("cluster instance={} redis={}", instances.id(), redactedRedis(settings));
        registry.bind("instances", instances);
        WorkClaims workClaims = new WorkClaims(redis, instances, settings.getInt("camelcast.cluster.claim-ttl-seconds") * 1000L);
        registry.bind("workClaims", workClaims);
        // once per cluster per cron tick: the analytics harvests, the schedule fetch, the Kaltura runs
        registry.bind("harvestLease", new HarvestLease(redis, workClaims, settings.getInt("camelcast.analytics.tick-seconds")));
        registry.bind("outbox", new Outbox(redis, java.time.Clock.systemUTC(),
                settings.getInt("camelcast.outbox.quiet-ms"),
                settings.getInt("camelcast.outbox.lead-seconds") * 1000L,
                settings.getInt("camelcast.outbox.max-held"), instances.id(),
                settings.getInt("camelcast.cluster.instance-ttl-ms")));
        registry.bind("checkpointStore", new CheckpointStore(redis));
        registry.bind("deadLetters", new DeadLetters());
        registry.bind("countAttempts", new CountAttempts());
        DeadLetterQueues deadLetterQueues = new DeadLetterQueues(sqs);
        registry.bind("deadLetterQueues", deadLetterQueues);
        registry.bind("deadLetterApi", new io.camelcast.dlq.DeadLetterApi(deadLetterQueues, Services.queues(settings)));
        // operations: queue gauges at /observe/metrics, and one notifier every flow raises its events through
        OperationsGauges gauges = new OperationsGauges(sqs, Services.queues(settings),
                () -> context.getRegistry().findSingleByType(io.micrometer.core.instrument.MeterRegistry.class));
        registry.bind("operationsGauges", gauges);
        gauges.start(settings.getInt("camelcast.metrics.queue-refresh-seconds"));
        Notifier notifier = notifier(settings, sqs);
        registry.bind("notifier", notifier);
        registry.bind("notifyDelivery", new NotifyDelivery(settings.get("camelcast.notify.url"), settings.get("camelcast.notify.secret"),
                settings.get("camelcast.notify.slack-url"), Clock.systemUTC()));
        registry.bind("runtimeStatus", new RuntimeStatus(settings, s3, sqs, redis));
        registry.bind("apiKeyGuard", new ApiKeyGuard(settings.get("camelcast.api-key")));
        // camelcast.http.cors-origins: browser pages on those origins may call /ingest, TUS and the upload endpoints;
        // a body over camelcast.http.max-body gets a refusal like the routes' own
        HttpServerSetup.register(context, settings);
        // read once: the Zoom intake and the upload items choose targets from the same rules
        registry.bind("uploadTargets", UploadTargets.from(settings));
        // written by the recording flow's stages and by the Opencast deliver stage
        RecordingStatus recordingStatus = new RecordingStatus(redis, settings.getInt("camelcast.recording.status-days"),
                Clock.systemUTC());
        // recording.ingested / recording.failed: id is the Zoom uuid (the record's recording_id)
        recordingStatus.onFinalState((zipId, record) -> notifier.raise(Notifier.recordingEvent(record.get("state")),
                record.getOrDefault("recording_id", zipId), record.get("state"), record.get("reason"),
                java.util.Map.of("zip_id", zipId, "meeting_id", record.getOrDefault("meeting_id", ""),
                        "mediapackage_id", record.getOrDefault("mediapackage_id", ""))));
        registry.bind("recordingStatus", recordingStatus);
        registry.bind("stagingCleanup", new StagingCleanup(s3, List.of(settings.get("camelcast.recording.bucket"), settings.get("camelcast.s3.bucket")), redis, deadLetterQueues,
                Services.queues(settings), settings.getInt("camelcast.recording.staging-days"), Clock.systemUTC(),
                () -> context.getRegistry().findSingleByType(io.micrometer.core.instrument.MeterRegistry.class)));

        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    gauges.close();
                    notifier.close();
                    try {
                        instances.leave();
                    } catch (RuntimeException e) {
                        // Redis gone first: the heartbeat expires on its own
                    }
                    redis.close();
                    s3.close();
                    presigner.close();
                    sqs.close();
                }
            }, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the client shutdown", e);
        }
    }
}
