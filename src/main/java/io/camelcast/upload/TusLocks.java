package io.camelcast.upload;

import io.camelcast.http.Refused;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * One writer per upload across the cluster, as tusd's lockers give it: a PATCH (or a termination) holds
 * {@code camelcast:tus-lock:{id}} in Redis for as long as it streams; a second one, on any instance, is
 * answered {@code 423 Locked}. The lock lives {@code ttl} and is renewed every third of that while its PATCH
 * runs, so a killed instance's lock is gone within {@code ttl} and the client resumes elsewhere. A PATCH whose
 * renewal failed (Redis gone, or the lock expired while the instance stalled) learns it from {@link Held#lost}
 * and commits nothing.
 */
final class TusLocks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TusLocks.class);

    /** Extends the lock only while it is still ours. */
    private static final String RENEW = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            return 0""";
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0""";

    private final UnifiedJedis redis;
    private final long ttlMillis;
    private final String instance;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService renewer;

    TusLocks(UnifiedJedis redis, long ttlMillis, String instance) {
        this.redis = redis;
        this.ttlMillis = ttlMillis;
        this.instance = instance;
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tus-lock-renewer");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, ttlMillis / 3);
        renewer.scheduleWithFixedDelay(this::renewAll, every, every, TimeUnit.MILLISECONDS);
    }

    /** A lock this instance holds on one upload. */
    final class Held implements AutoCloseable {
        final String id;
        final String token;
        volatile boolean lost;

        Held(String id, String token) {
            this.id = id;
            this.token = token;
        }

        /** The lock is still ours (checked again by the commit itself, atomically). */
        void check() {
            if (lost) {
                throw new Refused(409, "this upload's lock was lost while the PATCH ran; HEAD for the offset and resume");
            }
        }

        @Override
        public void close() {
            held.remove(id, this);
            try {
                redis.eval(RELEASE, List.of(key(id)), List.of(token));
            } catch (RuntimeException e) {
                LOG.warn("tus lock release failed id={}: {} (it expires on its own)", id, e.getMessage());
            }
        }
    }

    /** Takes the upload's lock, or 423 when another PATCH of it runs anywhere in the cluster. */
    Held acquire(String id) {
        String token = instance + ":" + UUID.randomUUID();
        String ok = redis.set(key(id), token, SetParams.setParams().nx().px(ttlMillis));
        if (!"OK".equals(ok)) {
            throw new Refused(423, "another request on this upload is in progress (a PATCH on this or another instance); "
                    + "retry after it ends, or within " + (ttlMillis / 1000) + " s if its instance stopped");
        }
        Held h = new Held(id, token);
        held.put(id, h);
        return h;
    }

    /** The lock key and its token, for a commit that must happen only while the lock is ours. */
    static String key(String id) {
        return "camelcast:tus-lock:" + id;
    }

    private void renewAll() {
        for (Held h : held.values()) {
            try {
                Object r = redis.eval(RENEW, List.of(key(h.id)), List.of(h.token, Long.toString(ttlMillis)));
                if (!Long.valueOf(1).equals(r)) {
                    h.lost = true;
                    held.remove(h.id, h);
                    LOG.warn("tus lock lost id={}: it expired before it was renewed", h.id);
                }
            } catch (RuntimeException e) {
                LOG.warn("tus lock renewal failed id={}: {}", h.id, e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        renewer.shutdownNow();
    }
}
