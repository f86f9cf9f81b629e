package io.camelcast.store;

import java.util.Date;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Scheduled runs (the analytics harvests, the schedule fetch, the Kaltura archive and restore runs) happen once
 * per cluster, not once per instance. Every instance's quartz fires the same cron; two guards decide which one
 * runs:
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

    /**
     * A scheduled run of {@code name} finished well: kept in Redis for the whole cluster, so the alert "not
     * successful in twice its period" ({@code docker/prometheus/alerts.yml}) sees it whichever instance ran it.
     */
    public void succeeded(String name) {
        redis.set(LAST_SUCCESS + name, Long.toString(System.currentTimeMillis() / 1000));
    }

    /** Seconds since the epoch of the last good scheduled run of {@code name}, NaN when there was none. */
    public double lastSuccess(String name) {
        try {
            String v = redis.get(LAST_SUCCESS + name);
            return v == null ? Double.NaN : Double.parseDouble(v);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * {@code camelcast_harvest_last_success_timestamp_seconds{harvest}} and
     * {@code camelcast_harvest_period_seconds{harvest}} for each scheduled harvest (name → its cron).
     */
    public void registerGauges(io.micrometer.core.instrument.MeterRegistry meters, java.util.Map<String, String> crons) {
        crons.forEach((name, cron) -> {
            io.micrometer.core.instrument.Gauge.builder("camelcast.harvest.last.success.timestamp.seconds", this, h -> h.lastSuccess(name))
                    .description("When the scheduled harvest last finished well (Unix seconds; shared by the cluster)")
                    .tag("harvest", name).register(meters);
            long period = periodSeconds(cron);
            io.micrometer.core.instrument.Gauge.builder("camelcast.harvest.period.seconds", () -> period)
                    .description("The scheduled harvest's period from its cron, seconds").tag("harvest", name).register(meters);
        });
    }

    /** The time between two fire times of a quartz cron, from now. */
    static long periodSeconds(String cron) {
        try {
            org.quartz.CronExpression e = new org.quartz.CronExpression(cron);
            Date first = e.getNextValidTimeAfter(new Date());
            Date second = e.getNextValidTimeAfter(first);
            return (second.getTime() - first.getTime()) / 1000;
        } catch (java.text.ParseException | RuntimeException e) {
            throw new IllegalArgumentException("not a quartz cron: '" + cron + "'", e);
        }
    }

    private static final String LAST_SUCCESS = "camelcast:harvest:last-success:";

    /** The run is over (done or failed): the next tick may run anywhere. */
    public void release(String name) {
        String token = running.remove(name);
        if (token != null) {
            claims.release("harvest", name, token);
        }
    }
}
