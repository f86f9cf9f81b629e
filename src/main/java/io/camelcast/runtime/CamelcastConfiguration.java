package io.camelcast.runtime;

import io.camelcast.config.Settings;
import io.camelcast.dlq.CountAttempts;
import io.camelcast.dlq.DeadLetterQueues;
import io.camelcast.dlq.DeadLetters;
import io.camelcast.store.AwsClients;
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

    @Override
    public void configure(CamelContext context) {
        S3Client s3 = AwsClients.s3(settings);
        S3Presigner presigner = AwsClients.presigner(settings);
        SqsClient sqs = AwsClients.sqs(settings);
        UnifiedJedis redis = RedisClient.create(URI.create(settings.get("camelcast.redis.url")));

        Registry registry = context.getRegistry();
        registry.bind("settings", settings);
        registry.bind("s3Client", s3);
        registry.bind("s3Presigner", presigner);
        registry.bind("sqsClient", sqs);
        registry.bind("redis", redis);
        registry.bind("idempotency", new RedisIdempotentRepository(redis,
                settings.getInt("camelcast.idempotency.ttl", 30 * 24 * 3600)));
        registry.bind("statusStore", new StatusStore(redis));
        registry.bind("checkpointStore", new CheckpointStore(redis));
        registry.bind("deadLetters", new DeadLetters());
        registry.bind("countAttempts", new CountAttempts());
        registry.bind("deadLetterQueues", new DeadLetterQueues(sqs));
        registry.bind("runtimeStatus", new RuntimeStatus(settings, s3, sqs, redis));
        registry.bind("apiKeyGuard", new ApiKeyGuard(settings.get("camelcast.api-key")));

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
        }

        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
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
