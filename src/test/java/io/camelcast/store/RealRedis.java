package io.camelcast.store;

import io.camelcast.embedded.EmbeddedServices;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real redis-server (the embedded one) for the tests of one class, emptied before each test:
 * {@code @RegisterExtension static final RealRedis REDIS = new RealRedis();} then {@code REDIS.client()}.
 */
public final class RealRedis implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    private Path dir;
    private EmbeddedServices services;
    private UnifiedJedis client;

    public UnifiedJedis client() {
        return client;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("camelcast-redis");
        services = EmbeddedServices.start(new EmbeddedServices.Options(dir, false, false, true, 0, 0, 0,
                "k", "s", "us-east-1", List.of(), List.of()));
        client = RedisClient.create(URI.create(services.redisUrl()));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        client.flushAll();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        client.close();
        services.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
