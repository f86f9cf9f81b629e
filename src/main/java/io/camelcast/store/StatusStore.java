package io.camelcast.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Status records: one Redis hash per item ({@code camelcast:status:{id}}) holding its current state
 * and fields, plus a list ({@code camelcast:status:{id}:history}) of every state it went through with
 * the time and a detail. Read by {@code GET /recordings/{id}}, {@code GET /uploads/{id}} and
 * {@code camelcast status ID}.
 */
public final class StatusStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final UnifiedJedis redis;
    private final Clock clock;

    public StatusStore(UnifiedJedis redis) {
        this(redis, Clock.systemUTC());
    }

    public StatusStore(UnifiedJedis redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    /**
     * Moves {@code id} to {@code state}, appending to its history. Returns nothing on purpose: routes call
     * it as a bean step and a return value would replace the message body.
     */
    public void record(String id, String state, String detail) {
        requireId(id);
        String now = clock.instant().toString();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", id);
        fields.put("state", state);
        fields.put("updated", now);
        if (detail != null && !detail.isEmpty()) {
            fields.put("detail", detail);
        }
        redis.hset(key(id), fields);
        redis.hsetnx(key(id), "created", now);
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("at", now);
        entry.put("state", state);
        if (detail != null && !detail.isEmpty()) {
            entry.put("detail", detail);
        }
        try {
            redis.rpush(key(id) + ":history", JSON.writeValueAsString(entry));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public void record(String id, String state) {
        record(id, state, null);
    }

    /** Sets extra fields (sizes, keys, guids) without changing the state. */
    public void put(String id, Map<String, String> fields) {
        requireId(id);
        if (!fields.isEmpty()) {
            redis.hset(key(id), fields);
        }
    }

    /** The record with its history, or null when the id is unknown. */
    public Map<String, Object> get(String id) {
        requireId(id);
        Map<String, String> fields = redis.hgetAll(key(id));
        if (fields.isEmpty()) {
            return null;
        }
        Map<String, Object> out = new TreeMap<>(fields);
        List<Object> history = new ArrayList<>();
        for (String line : redis.lrange(key(id) + ":history", 0, -1)) {
            try {
                history.add(JSON.readValue(line, Map.class));
            } catch (JsonProcessingException e) {
                history.add(line);
            }
        }
        out.put("history", history);
        return out;
    }

    /** One field of the record, or null. */
    public String field(String id, String name) {
        return redis.hget(key(id), name);
    }

    /** Removes fields (a cleared error) without changing the state. */
    public void remove(String id, String... names) {
        requireId(id);
        redis.hdel(key(id), names);
    }

    public String state(String id) {
        return redis.hget(key(id), "state");
    }

    private static String key(String id) {
        return "camelcast:status:" + id;
    }

    private static void requireId(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a status record needs an id");
        }
    }
}
