package io.camelcast.store;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * One worker at a time per piece of work across the cluster: a recording being fetched, an upload being
 * delivered, a scheduled harvest running. A claim is a Redis key {@code camelcast:claim:{kind}:{id}} whose
 * value names the owner, {@code instance/token} (the token is one delivery's, so two copies of one queue
 * message on the same instance are told apart). A claim held by a live instance is respected; one held by a
 * dead instance (no heartbeat, see {@link Instances}) is taken over at once, atomically. The key also expires
 * after {@code ttlMillis}, a backstop for an owner that lives on but forgot it.
 */
public final class WorkClaims {

    private static final Logger LOG = LoggerFactory.getLogger(WorkClaims.class);

    /** Replaces the value only if it is still {@code ARGV[1]} (the dead owner's): no two takers win. */
    private static final String TAKE_OVER = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
            + "redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 end return 0";
    /** Deletes the key only if this owner still holds it. */
    private static final String RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
            + "return redis.call('DEL', KEYS[1]) end return 0";

    private final UnifiedJedis redis;
    private final Instances instances;
    private final long ttlMillis;

    public WorkClaims(UnifiedJedis redis, Instances instances, long ttlMillis) {
        this.redis = redis;
        this.instances = instances;
        this.ttlMillis = ttlMillis;
    }

    /** What {@link #claim} found: owned by this caller, or busy with the named owner. */
    public record Claim(boolean owned, String holder, boolean takenOver) {
        public String holderInstance() {
            return Instances.ownerOf(holder);
        }
    }

    public static String key(String kind, String id) {
        return "camelcast:claim:" + kind + ":" + id;
    }

    /**
     * Claims {@code kind/id} for {@code token} on this instance. Re-entrant for the same token (a redelivery
     * of the same delivery); taken over from a dead instance; otherwise busy.
     */
    public Claim claim(String kind, String id, String token) {
        instances.ensureBeating();
        String key = key(kind, id);
        String mine = instances.id() + "/" + token;
        for (int tries = 0; tries < 3; tries++) {
            if ("OK".equals(redis.set(key, mine, SetParams.setParams().nx().px(ttlMillis)))) {
                return new Claim(true, mine, false);
            }
            String holder = redis.get(key);
            if (holder == null) {
                continue; // released between the two calls: try again
            }
            if (holder.equals(mine)) {
                redis.pexpire(key, ttlMillis);
                return new Claim(true, mine, false);
            }
            if (instances.alive(Instances.ownerOf(holder))) {
                return new Claim(false, holder, false);
            }
            if (Long.valueOf(1).equals(redis.eval(TAKE_OVER, List.of(key), List.of(holder, mine, Long.toString(ttlMillis))))) {
                LOG.warn("claim taken over kind={} id={} from={} (that instance stopped beating) by={}", kind, id, holder, mine);
                return new Claim(true, mine, true);
            }
        }
        String holder = redis.get(key);
        return new Claim(false, holder == null ? "?" : holder, false);
    }

    /** Lets the claim go, if this owner still holds it. */
    public void release(String kind, String id, String token) {
        redis.eval(RELEASE, List.of(key(kind, id)), List.of(instances.id() + "/" + token));
    }

    /**
     * The work is done: later copies of its message are dropped ({@link #isDone}); the claim goes. The mark
     * is written before the claim is released, so a copy that takes the claim next sees it.
     */
    public void done(String kind, String id, String token, long ttlSeconds) {
        redis.set("camelcast:done:" + kind + ":" + id, instances.id(), SetParams.setParams().ex(ttlSeconds));
        release(kind, id, token);
    }

    public boolean isDone(String kind, String id) {
        return redis.exists("camelcast:done:" + kind + ":" + id);
    }

    /** Who holds {@code kind/id} now (null: nobody). */
    public String holder(String kind, String id) {
        return redis.get(key(kind, id));
    }
}
