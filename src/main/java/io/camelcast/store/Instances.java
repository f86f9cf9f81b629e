package io.camelcast.store;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.UUID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * The instances of one cluster (every process on the same Redis). Each has an id, readable by an operator
 * ({@code host-pid-xxxx}), and a heartbeat key {@code camelcast:instance:{id}} that it writes every
 * {@code camelcast.cluster.heartbeat-ms} and that expires {@code camelcast.cluster.instance-ttl-ms} after
 * the last beat. Whoever finds work claimed by another instance asks whether that instance is alive: a live
 * owner is still working (look again soon), a dead one (killed, cut off) left its claim behind (take over).
 */
public final class Instances {

    private static final String PREFIX = "camelcast:instance:";

    private final UnifiedJedis redis;
    private final String id;
    private final long ttlMillis;
    private volatile boolean beating;

    public Instances(UnifiedJedis redis, String id, long ttlMillis) {
        if (id.contains("/")) {
            throw new IllegalArgumentException("an instance id cannot contain '/': " + id);
        }
        this.redis = redis;
        this.id = id;
        this.ttlMillis = Math.max(1000, ttlMillis);
    }

    /** {@code host-pid-xxxx}: unique per process start, and says where to look. */
    public static String newId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "host";
        }
        return (host.replaceAll("[^A-Za-z0-9.-]", "") + "-" + ManagementFactory.getRuntimeMXBean().getPid() + "-"
                + UUID.randomUUID().toString().substring(0, 4));
    }

    public String id() {
        return id;
    }

    /** This instance is alive for another TTL. */
    public void beat() {
        redis.set(PREFIX + id, Long.toString(System.currentTimeMillis()), SetParams.setParams().px(ttlMillis));
        beating = true;
    }

    /** Beats now unless it already did: whatever this instance claims must name an instance others see alive. */
    public void ensureBeating() {
        if (!beating) {
            beat();
        }
    }

    /** Whether {@code instance} beat within its TTL (this instance always is). */
    public boolean alive(String instance) {
        return id.equals(instance) || redis.exists(PREFIX + instance);
    }

    /** A clean stop: others need not wait for the heartbeat to expire. */
    public void leave() {
        redis.del(PREFIX + id);
    }

    /** The instance part of a claim or marker value {@code instance/token}. */
    public static String ownerOf(String value) {
        int slash = value == null ? -1 : value.indexOf('/');
        return slash < 0 ? value : value.substring(0, slash);
    }
}
