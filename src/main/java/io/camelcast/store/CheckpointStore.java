package io.camelcast.store;

import redis.clients.jedis.UnifiedJedis;

/**
 * Named checkpoints ({@code camelcast:checkpoint:{name}}) for harvests and backfills: where the
 * next run starts. A flow advances its checkpoint only after everything before it was delivered.
 */
public final class CheckpointStore {

    private final UnifiedJedis redis;

    public CheckpointStore(UnifiedJedis redis) {
        this.redis = redis;
    }

    /** The saved value, or null when this checkpoint was never written. */
    public String get(String name) {
        return redis.get(key(name));
    }

    public void put(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("checkpoint " + name + " needs a value");
        }
        redis.set(key(name), value);
    }

    /**
     * Moves the checkpoint only forward: values compare as strings, which holds for the
     * fixed-width timestamps (ISO-8601 UTC, YYYYMMDDHHmmss) checkpoints hold. Returns the value now saved.
     */
    public String advance(String name, String value) {
        String current = get(name);
        if (current == null || value.compareTo(current) > 0) {
            put(name, value);
            return value;
        }
        return current;
    }

    private static String key(String name) {
        return "camelcast:checkpoint:" + name;
    }
}
