package io.camelcast.store;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Camel idempotent repository on Redis: one key per message id with a time to live, so every instance
 * of a cluster sees the same keys and a redelivered message is processed once. Keys are
 * {@code camelcast:idem:{message id}}; routes put their flow in the id ({@code plumbing:${header.id}}).
 *
 * <p>{@code add} is a single {@code SET NX EX}: atomic across instances, no read-then-write race.
 */
public final class RedisIdempotentRepository extends ServiceSupport implements IdempotentRepository {

    private final UnifiedJedis redis;
    private final String prefix;
    private final long ttlSeconds;

    public RedisIdempotentRepository(UnifiedJedis redis, long ttlSeconds) {
        this.redis = redis;
        this.prefix = "camelcast:idem:";
        this.ttlSeconds = ttlSeconds;
    }

    @Override
    public boolean add(String key) {
        return "OK".equals(redis.set(prefix + key, Long.toString(System.currentTimeMillis()),
                SetParams.setParams().nx().ex(ttlSeconds)));
    }

    @Override
    public boolean contains(String key) {
        return redis.exists(prefix + key);
    }

    @Override
    public boolean remove(String key) {
        return redis.del(prefix + key) > 0;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        for (String key : redis.keys(prefix + "*")) {
            redis.del(key);
        }
    }
}
