package io.camelcast.runtime;

import io.camelcast.http.ApiKeyGuard;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelcast.analytics.AnalyticsPayloads;
import io.camelcast.analytics.BulkIndexer;
import io.camelcast.analytics.Checkpoints;
import io.camelcast.analytics.EpisodeCache;
import io.camelcast.analytics.EpisodeSearch;
import io.camelcast.analytics.GeoIp;
import io.camelcast.analytics.HarvestLease;
import io.camelcast.analytics.IndexNames;
import io.camelcast.analytics.IpPrivacy;
import io.camelcast.analytics.SearchEngine;
import io.camelcast.analytics.UserActionDocs;
import io.camelcast.analytics.UserActionHarvest;
import io.camelcast.analytics.UserAgents;
import io.camelcast.config.Settings;
import io.camelcast.store.CheckpointStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.ProducerTemplate;
import io.camelcast.opencast.OpencastDelivery;
import io.camelcast.recording.FfprobeCheck;
import io.camelcast.recording.OnDemandIngest;
import io.camelcast.recording.RecordingFailures;
import io.camelcast.recording.RecordingFetch;
import io.camelcast.recording.RecordingIntake;
import io.camelcast.recording.RecordingStaging;
import io.camelcast.store.RecordingStatus;
import io.camelcast.recording.ScheduleStore;
import io.camelcast.zoom.DownloadHosts;
import io.camelcast.zoom.WebhookVerifier;
import io.camelcast.zoom.ZoomApi;
import java.time.Clock;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.params.SetParams;

import io.camelcast.config.Settings;
import io.camelcast.dlq.CountAttempts;
import io.camelcast.dlq.DeadLetterQueues;
import io.camelcast.dlq.DeadLetters;
import io.camelcast.store.AwsClients;
import io.camelcast.store.Instances;
import io.camelcast.store.WorkClaims;
import io.camelcast.store.CheckpointStore;
import io.camelcast.store.RedisIdempotentRepository;
import io.camelcast.store.StatusStore;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

import io.camelcast.bunny.BunnyVideos;
import io.camelcast.upload.ArchiveUpload;
import io.camelcast.upload.LocalFiles;
import io.camelcast.upload.Notifications;
import io.camelcast.upload.NotifySigner;
import io.camelcast.upload.TusProtocol;
import io.camelcast.upload.TusUploads;
import io.camelcast.http.UploadAuth;
import io.camelcast.upload.UploadItems;
import io.camelcast.upload.UploadRetries;
import io.camelcast.config.UploadTargets;
import java.net.URI;
import java.time.Duration;

/**
 * The beans routes call by name, built once from the settings: AWS clients (Camel's aws2-s3 and
 * aws2-sqs components pick them up by type), Redis, idempotency, status and checkpoint stores, the
 * dead-letter envelope, and the dependency health checks. Everything is closed when Camel stops.
 */
public final class CamelcastConfiguration implements CamelConfiguration {

    private final Settings settings;

    public CamelcastConfiguration(Settings settings) {
        this.settings = settings;
    }

    /** The Zoom → S3 staging → Opencast flow's beans (routes/recording-*.yaml). */
    private void bindRecordingFlow(Registry registry, S3Client s3, S3Presigner presigner, UnifiedJedis redis, UploadTargets targets) {
        Clock clock = Clock.systemUTC();
        String bucket = settings.get("camelcast.recording.bucket");
        RecordingStatus status = new RecordingStatus(redis, settings.getInt("camelcast.recording.status-days", 7), clock);
        DownloadHosts hosts = new DownloadHosts(settings.get("camelcast.zoom.download-hosts"));
        ScheduleStore schedules = new ScheduleStore(redis);
        RecordingStaging.Checksums checksums = new RecordingStaging.Checksums() {
            @Override
            public String get(String key) {
                return redis.get("camelcast:staged:" + key);
            }

            @Override
            public void put(String key, String sha256) {
                redis.set("camelcast:staged:" + key, sha256, SetParams.setParams().ex(30L * 86_400));
            }
        };
        RecordingStaging staging = new RecordingStaging(s3, bucket, settings.getInt("camelcast.recording.part-size", 8 << 20),
                hosts, settings.getBoolean("camelcast.recording.ffprobe", false)
                        ? new FfprobeCheck(settings.get("camelcast.recording.ffprobe-path"), presigner) : null, checksums,
                Long.parseLong(settings.get("camelcast.recording.single-put-limit", Long.toString(5L << 30))));
        int minimum = settings.getInt("camelcast.recording.minimum-duration", 2);
        ZoomApi zoom = ZoomApi.from(settings);
        Map<String, String> opencast = new HashMap<>();
        for (String k : List.of("publisher", "override-publisher", "license", "language")) {
            opencast.put(k, settings.get("camelcast.opencast." + k));
        }
        registry.bind("recordingStatus", status);
        registry.bind("scheduleStore", schedules);
        registry.bind("zoomApi", zoom);
        registry.bind("webhookVerifier", new WebhookVerifier(settings.get("camelcast.zoom.webhook-secret"),
                Duration.ofSeconds(settings.getInt("camelcast.zoom.replay-window", 300)), clock));
        registry.bind("recordingIntake", new RecordingIntake(status, hosts,
                settings.getInt("camelcast.recording.webhook-delay", 300), clock, targets,
                registry.lookupByNameAndType("outbox", io.camelcast.store.Outbox.class),
                settings.get("camelcast.recording.incoming-queue")));
        registry.bind("onDemandIngest", new OnDemandIngest(zoom));
        registry.bind("recordingStaging", staging);
        registry.bind("recordingFetch", new RecordingFetch(status, schedules, staging, minimum,
                ZoneId.of(settings.get("camelcast.schedule.time-zone")), settings.getInt("camelcast.schedule.buffer-minutes", 30),
                settings.get("camelcast.schedule.default-series-id"), registry.lookupByNameAndType("workClaims", WorkClaims.class),
                settings.getInt("camelcast.idempotency.ttl", 30 * 24 * 3600), settings.getInt("camelcast.recording.fetch-recheck", 10)));
        registry.bind("opencastDelivery", new OpencastDelivery(status, redis, presigner, bucket,
                Duration.ofMinutes(settings.getInt("camelcast.recording.presign-minutes", 1440)), minimum, opencast,
                settings.getInt("camelcast.opencast.ingest-grace", 1800),
                registry.lookupByNameAndType("instances", Instances.class), settings.getInt("camelcast.opencast.ingest-recheck", 5)));
        registry.bind("recordingFailures", new RecordingFailures(status));
        registry.bind("recordingUploads", new io.camelcast.recording.RecordingUploads(bucket,
                List.of(settings.get("camelcast.upload.zoom-views", "").split(",")), clock));
    }

    /** The upload distribution's beans (routes/upload-*.yaml): TUS, custom uploads, archive, Bunny, notify. */
    private void bindUploads(CamelContext context, Registry registry, S3Client s3, UnifiedJedis redis, UploadTargets targets) {
        Clock clock = Clock.systemUTC();
        StatusStore status = (StatusStore) registry.lookupByName("statusStore");
        TusUploads tus;
        LocalFiles localFiles;
        try {
            tus = new TusUploads(redis, java.nio.file.Path.of(settings.get("camelcast.upload.dir")),
                    Long.parseLong(settings.get("camelcast.upload.max-size", "0")),
                    Duration.ofHours(settings.getInt("camelcast.upload.expiry-hours", 24)), clock);
            String root = settings.get("camelcast.upload.root");
            localFiles = new LocalFiles(root == null || root.isBlank() ? null : java.nio.file.Path.of(root));
        } catch (java.io.IOException e) {
            throw new Settings.ConfigException("camelcast.upload.dir / camelcast.upload.root: " + e.getMessage());
        }
        Map<String, String> bunnyConfig = new HashMap<>();
        for (String k : List.of("tus-url", "library-id", "api-key", "collection-id", "wait", "poll-seconds",
                "encode-timeout-minutes", "signature-minutes", "request-bytes", "cdn-host")) {
            String v = settings.get("camelcast.bunny." + k);
            if (v != null && !v.isBlank()) {
                bunnyConfig.put(k, v);
            }
        }
        String notifyUrl = settings.get("camelcast.upload.notify-url");
        boolean notify = notifyUrl != null && !notifyUrl.isBlank();
        UploadItems items = new UploadItems(status, targets, tus, localFiles, s3,
                !"none".equalsIgnoreCase(settings.get("camelcast.bunny.wait", "none")), notify,
                settings.getBoolean("camelcast.upload.delete-custom-files", false),
                settings.getBoolean("camelcast.upload.cleanup-staging", false), clock,
                registry.lookupByNameAndType("workClaims", WorkClaims.class), settings.getInt("camelcast.upload.recheck-seconds", 10));
        S3Client archive = AwsClients.archive(settings);
        BunnyVideos bunny = new BunnyVideos(items, redis, s3, bunnyConfig, clock);
        registry.bind("tusUploads", tus);
        registry.bind("tusProtocol", new TusProtocol(tus, settings.get("camelcast.upload.tus-path"),
                settings.get("camelcast.upload.tus-base-url"), Long.parseLong(settings.get("camelcast.upload.min-free-bytes", "0"))));
        registry.bind("uploadAuth", new UploadAuth(settings.get("camelcast.api-key"), settings.get("camelcast.upload.jwt-secret"),
                settings.get("camelcast.upload.jwt-issuer")));
        registry.bind("uploadItems", items);
        registry.bind("uploadRetries", new UploadRetries(settings.get("camelcast.upload.retry-delays"), status, items, clock));
        registry.bind("archiveUpload", new ArchiveUpload(archive, s3, settings.get("camelcast.archive.bucket"),
                settings.get("camelcast.archive.key-pattern"), Long.parseLong(settings.get("camelcast.archive.part-size", "67108864")),
                settings.get("camelcast.archive.storage-class"), items, clock));
        registry.bind("bunnyVideos", bunny);
        registry.bind("notifications", new Notifications(items, bunny,
                notify ? new NotifySigner(settings.get("camelcast.upload.notify-secret")) : null, clock));
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    archive.close();
                }
            }, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the archive client shutdown", e);
        }
    }

    /** The analytics harvests' beans (routes/analytics-*.yaml). */
    private void bindAnalytics(CamelContext context, Registry registry, S3Client s3, UnifiedJedis redis) {
        Clock clock = Clock.systemUTC();
        ZoneId opencastZone = ZoneId.of(settings.get("camelcast.opencast.time-zone", "UTC"));
        Checkpoints checkpoints = "s3".equalsIgnoreCase(settings.get("camelcast.useractions.checkpoint"))
                ? Checkpoints.s3(s3, settings.get("camelcast.useractions.checkpoint-bucket"), settings.get("camelcast.useractions.checkpoint-key"))
                : Checkpoints.redis(new CheckpointStore(redis), "useractions");
        IndexNames indexNames = new IndexNames(settings.get("camelcast.useractions.index"), settings.get("camelcast.episodes.index"),
                settings.get("camelcast.zoom.meetings-index"), settings.get("camelcast.zoom.sessions-index"));
        ProducerTemplate[] producer = new ProducerTemplate[1];
        EpisodeCache episodes = new EpisodeCache(redis, settings.getInt("camelcast.episodes.cache-ttl", 900), mpid -> {
            synchronized (producer) {
                if (producer[0] == null) {
                    producer[0] = context.createProducerTemplate();
                }
            }
            return producer[0].requestBodyAndHeader("direct:analytics-episode", null, "CamelcastMpid", mpid, JsonNode.class);
        }, () -> context.getRegistry().findSingleByType(MeterRegistry.class));
        GeoIp geoIp;
        try {
            geoIp = new GeoIp(settings.get("camelcast.analytics.geoip-db"));
        } catch (java.io.IOException e) {
            throw new Settings.ConfigException("camelcast.analytics.geoip-db: cannot open " + settings.get("camelcast.analytics.geoip-db")
                    + ": " + e.getMessage());
        }
        SearchEngine engine = new SearchEngine(settings.get("camelcast.es.url"));
        registry.bind("searchEngine", engine);
        registry.bind("harvestLease", new HarvestLease(redis, registry.lookupByNameAndType("workClaims", WorkClaims.class),
                settings.getInt("camelcast.analytics.tick-seconds", 86_400)));
        registry.bind("useractionHarvest", new UserActionHarvest(checkpoints, clock, opencastZone,
                settings.getInt("camelcast.useractions.max-span", 0), settings.getInt("camelcast.useractions.interval", 2),
                settings.getInt("camelcast.useractions.batch-size", 1000), settings.getInt("camelcast.useractions.wait", 1000)));
        registry.bind("episodeCache", episodes);
        registry.bind("episodeSearch", new EpisodeSearch());
        registry.bind("indexNames", indexNames);
        registry.bind("userActionDocs", new UserActionDocs(episodes, new UserAgents(10_000), geoIp,
                new IpPrivacy(settings.get("camelcast.useractions.ip-mode"), settings.get("camelcast.useractions.ip-salt")), indexNames));
        registry.bind("analyticsPayloads", new AnalyticsPayloads(settings.getInt("camelcast.es.bulk-size", 1000)));
        registry.bind("episodeDocs", new io.camelcast.analytics.EpisodeDocs(indexNames, settings.get("camelcast.analytics.sink"),
                java.nio.file.Path.of(settings.get("camelcast.analytics.dir")), engine, clock));
        registry.bind("zoomMetrics", new io.camelcast.analytics.ZoomMetrics(
                (ZoomApi) registry.lookupByName("zoomApi"), indexNames, geoIp, clock, ZoneId.of(settings.get("camelcast.schedule.time-zone"))));
        registry.bind("bulkIndexer", new BulkIndexer(engine, settings.getInt("camelcast.es.bulk-retries", 5),
                settings.getInt("camelcast.retry.initial-delay", 1000)));
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() throws Exception {
                    engine.close();
                    geoIp.close();
                }
            }, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the analytics shutdown", e);
        }
    }

    /** The Redis URL without its password, for the log. */
    private static String redactedRedis(Settings settings) {
        return settings.get("camelcast.redis.url", "").replaceAll("//[^@/]*@", "//****@");
    }

    /** One pooled client for every flow; the pool must cover the HTTP workers plus the queue consumers. */
    static UnifiedJedis redis(Settings settings) {
        var pool = new redis.clients.jedis.ConnectionPoolConfig();
        int size = settings.getInt("camelcast.redis.pool-size", 32);
        pool.setMaxTotal(size);
        pool.setMaxIdle(size);
        return RedisClient.builder().fromURI(URI.create(settings.get("camelcast.redis.url"))).poolConfig(pool).build();
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
                .setWorkerPoolSize(settings.getInt("camelcast.http.workers", 20)));
        registry.bind("settings", settings);
        registry.bind("s3Client", s3);
        registry.bind("s3Presigner", presigner);
        registry.bind("sqsClient", sqs);
        registry.bind("redis", redis);
        registry.bind("idempotency", new RedisIdempotentRepository(redis,
                settings.getInt("camelcast.idempotency.ttl", 30 * 24 * 3600)));
        registry.bind("statusStore", new StatusStore(redis));
        // this process in the cluster: its heartbeat (routes/cluster.yaml; Redis may still be starting here, so the
        // first beat comes with the routes or the first claim) and the claims it takes
        Instances instances = new Instances(redis, Instances.newId(), settings.getInt("camelcast.cluster.instance-ttl-ms", 20_000));
        org.slf4j.LoggerFactory.getLogger(Instances.class).info("cluster instance={} redis={}", instances.id(), redactedRedis(settings));
        registry.bind("instances", instances);
        registry.bind("workClaims", new WorkClaims(redis, instances, settings.getInt("camelcast.cluster.claim-ttl-seconds", 21_600) * 1000L));
        registry.bind("outbox", new io.camelcast.store.Outbox(redis, java.time.Clock.systemUTC(),
                settings.getInt("camelcast.outbox.quiet-ms", 500),
                settings.getInt("camelcast.outbox.lead-seconds", 60) * 1000L,
                settings.getInt("camelcast.outbox.max-held", 50_000), instances.id(),
                settings.getInt("camelcast.cluster.instance-ttl-ms", 20_000)));
        registry.bind("checkpointStore", new CheckpointStore(redis));
        registry.bind("deadLetters", new DeadLetters());
        registry.bind("countAttempts", new CountAttempts());
        registry.bind("deadLetterQueues", new DeadLetterQueues(sqs));
        registry.bind("runtimeStatus", new RuntimeStatus(settings, s3, sqs, redis));
        registry.bind("apiKeyGuard", new ApiKeyGuard(settings.get("camelcast.api-key")));
        // read once: the Zoom intake and the upload items choose targets from the same rules
        UploadTargets targets = UploadTargets.from(settings);
        bindRecordingFlow(registry, s3, presigner, redis, targets);
        bindAnalytics(context, registry, s3, redis);
        bindUploads(context, registry, s3, redis, targets);

        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            String bucket = settings.get("camelcast.s3.bucket");
            health.register(new DependencyHealthCheck("s3", () -> s3.headBucket(b -> b.bucket(bucket)
                    .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(3))))));
            health.register(new DependencyHealthCheck("sqs", () -> sqs.listQueues(b -> b.maxResults(1)
                    .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(3))))));
            health.register(new DependencyHealthCheck("redis", () -> {
                if (!"PONG".equals(redis.ping())) {
                    throw new IllegalStateException("unexpected PING answer");
                }
            }));
            String opencastUrl = settings.get("camelcast.opencast.url");
            if (opencastUrl != null && !opencastUrl.isBlank()) {
                // only when configured: a runtime for uploads or analytics alone has no Opencast
                health.register(new DependencyHealthCheck("opencast", new io.camelcast.opencast.OpencastHealth(opencastUrl)::check));
            }
            String esUrl = settings.get("camelcast.es.url");
            if (esUrl != null && !esUrl.isBlank()) {
                // only when configured: the file and SQS sinks run without a search engine
                SearchEngine engine = (SearchEngine) registry.lookupByName("searchEngine");
                health.register(new DependencyHealthCheck("search", engine::ping));
            }
        }

        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    try {
                        instances.leave();
                    } catch (RuntimeException e) {
                        // Redis gone first: the heartbeat expires on its own
                    }
                    redis.close();
                    try {
                        context.getRegistry().lookupByNameAndType("recordingStaging", RecordingStaging.class).close();
                    } catch (Exception e) {
                        // closing on the way out: nothing left to do with it
                    }
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
