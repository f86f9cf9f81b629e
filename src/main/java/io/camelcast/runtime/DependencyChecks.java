package io.camelcast.runtime;

import io.camelcast.analytics.SearchEngine;
import io.camelcast.config.Settings;
import io.camelcast.opencast.OpencastHealth;
import java.time.Duration;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import redis.clients.jedis.UnifiedJedis;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The readiness checks of {@code /observe/health}: S3, SQS and Redis always; Opencast and the search engine
 * where they are configured. Bound after the flows, whose clients some of them use.
 */
final class DependencyChecks implements CamelConfiguration {

    private final Settings settings;

    DependencyChecks(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void configure(CamelContext context) {
        Registry registry = context.getRegistry();
        S3Client s3 = registry.lookupByNameAndType("s3Client", S3Client.class);
        SqsClient sqs = registry.lookupByNameAndType("sqsClient", SqsClient.class);
        UnifiedJedis redis = registry.lookupByNameAndType("redis", UnifiedJedis.class);
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        OperationsGauges gauges = registry.lookupByNameAndType("operationsGauges", OperationsGauges.class);
        if (health != null) {
            String bucket = settings.get("camelcast.s3.bucket");
            register(health, gauges, new DependencyHealthCheck("s3", () -> s3.headBucket(b -> b.bucket(bucket)
                    .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(3))))));
            register(health, gauges, new DependencyHealthCheck("sqs", () -> sqs.listQueues(b -> b.maxResults(1)
                    .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(3))))));
            register(health, gauges, new DependencyHealthCheck("redis", () -> {
                if (!"PONG".equals(redis.ping())) {
                    throw new IllegalStateException("unexpected PING answer");
                }
            }));
            String opencastUrl = settings.get("camelcast.opencast.url");
            if (opencastUrl != null && !opencastUrl.isBlank()) {
                // only when configured: a runtime for uploads or analytics alone has no Opencast
                register(health, gauges, new DependencyHealthCheck("opencast", new OpencastHealth(opencastUrl)::check));
            }
            String esUrl = settings.get("camelcast.es.url");
            if (esUrl != null && !esUrl.isBlank()) {
                // only when configured: the file and SQS sinks run without a search engine
                SearchEngine engine = (SearchEngine) registry.lookupByName("searchEngine");
                register(health, gauges, new DependencyHealthCheck("search", engine::ping));
            }
        }
    }

    /** In /observe/health, and as camelcast_peer_up{peer} in /observe/metrics. */
    private static void register(HealthCheckRegistry health, OperationsGauges gauges, DependencyHealthCheck check) {
        health.register(check);
        if (gauges != null) {
            gauges.peer(check.getId(), check.probe());
        }
    }
}
