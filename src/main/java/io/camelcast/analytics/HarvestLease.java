package io.camelcast.analytics;

import java.lang.management.ManagementFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Scheduled harvests run once per cluster, not once per instance: a run takes a Redis lease
 * ({@code camelcast:lease:{name}}, SET NX with a time to live shorter than the schedule's period) and
 * instances that find it taken skip that tick. If the holder dies, the lease expires and another
 * instance takes the next tick.
 */
public final class HarvestLease {

    private final UnifiedJedis redis;
    private final long ttlSeconds;
    private final String holder = ManagementFactory.getRuntimeMXBean().getName();

    public HarvestLease(UnifiedJedis redis, long ttlSeconds) {
        this.redis = redis;
        this.ttlSeconds = Math.max(1, ttlSeconds);
    }

    public boolean acquire(String name) {
        return "OK".equals(redis.set("camelcast:lease:" + name, holder, SetParams.setParams().nx().ex(ttlSeconds)));
    }
}
