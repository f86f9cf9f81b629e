package io.camelcast.analytics;

import io.camelcast.store.WorkClaims;
import java.util.Date;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Scheduled harvests run once per cluster, not once per instance. Every instance's quartz fires the same
 * cron; two guards decide which one runs:
 * <ol>
 *   <li>the tick: the first instance to mark {@code camelcast:lease:{name}:{scheduled fire time}} (SET NX)
 *       runs that tick, the others skip it. The mark is per tick, not a short lease, so instances whose
 *       clocks differ by more than a few seconds still agree (a 90 s lease let a second instance run the same
 *       tick again once it expired);</li>
 *   <li>the run: a work claim {@code harvest/{name}} held while the harvest runs, so a run that outlasts
 *       its period is not overlapped by the next tick on another instance; if the runner dies, its claim is
 *       taken over as soon as its heartbeat stops.</li>
 * </ol>
 */
public final class HarvestLease {

    private static final Logger LOG = LoggerFactory.getLogger(HarvestLease.class);
    /** The claim token of each harvest this instance runs now. */
    private final java.util.Map<String, String> running = new java.util.concurrent.ConcurrentHashMap<>();

    private final UnifiedJedis redis;
    private final WorkClaims claims;
    private final long tickSeconds;

    /** @param tickSeconds how long a tick's mark is kept: longer than any clock difference between instances */
    public HarvestLease(UnifiedJedis redis, WorkClaims claims, long tickSeconds) {
        this.redis = redis;
        this.claims = claims;
        this.tickSeconds = Math.max(1, tickSeconds);
    }

    /** True when this instance runs the tick of {@code name} scheduled at {@code scheduledFireTime}. */
    public boolean acquire(String name, Date scheduledFireTime) {
        long tick = (scheduledFireTime == null ? System.currentTimeMillis() : scheduledFireTime.getTime()) / 1000;
        if (!"OK".equals(redis.set("camelcast:lease:" + name + ":" + tick, "taken", SetParams.setParams().nx().ex(tickSeconds)))) {
            LOG.debug("harvest {} tick={} run by another instance", name, tick);
            return false;
        }
        String token = java.util.UUID.randomUUID().toString();
        WorkClaims.Claim run = claims.claim("harvest", name, token);
        if (!run.owned()) {
            LOG.info("harvest {} tick={} skipped: the previous run is still going on instance {}", name, tick, run.holderInstance());
            return false;
        }
        running.put(name, token);
        LOG.info("harvest {} tick={} runs on this instance", name, tick);
        return true;
    }

    /** The run is over (done or failed): the next tick may run anywhere. */
    public void release(String name) {
        String token = running.remove(name);
        if (token != null) {
            claims.release("harvest", name, token);
        }
    }
}
