package io.camelcast.analytics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Opencast episodes by mediapackage id, cached in Redis ({@code camelcast:episode:{mpid}}, TTL
 * {@code camelcast.episodes.cache-ttl}, 900 s as the seed's deployment). A page of actions costs one
 * MGET; misses go to Opencast's search once each. An episode Opencast does not know is cached too (as
 * JSON null) so a page of actions on a deleted episode does not ask again for every action.
 * Hits and misses are Micrometer counters ({@code camelcast_episode_cache_hits_total} / {@code _misses_total}).
 */
public final class EpisodeCache {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "camelcast:episode:";

    private final UnifiedJedis redis;
    private final long ttlSeconds;
    private final Function<String, JsonNode> fetch;
    private final Supplier<MeterRegistry> meters;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private volatile Counter hitCounter;
    private volatile Counter missCounter;

    /**
     * @param fetch mpid → the search result object of that episode, or null when Opencast has none
     */
    public EpisodeCache(UnifiedJedis redis, long ttlSeconds, Function<String, JsonNode> fetch, Supplier<MeterRegistry> meters) {
        this.redis = redis;
        this.ttlSeconds = ttlSeconds;
        this.fetch = fetch;
        this.meters = meters;
    }

    /** Every episode of {@code mpids}: mpid → episode, or → null when Opencast has no such episode. */
    public Map<String, JsonNode> episodes(Collection<String> mpids) {
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(mpids));
        Map<String, JsonNode> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        List<String> cached = redis.mget(ids.stream().map(id -> PREFIX + id).toArray(String[]::new));
        for (int i = 0; i < ids.size(); i++) {
            String value = cached.get(i);
            if (value != null) {
                count(true);
                JsonNode ep = parse(value);
                out.put(ids.get(i), ep.isNull() ? null : ep);
                continue;
            }
            count(false);
            JsonNode ep = fetch.apply(ids.get(i));
            try {
                redis.set(PREFIX + ids.get(i), JSON.writeValueAsString(ep == null ? NullNode.instance : ep),
                        SetParams.setParams().ex(ttlSeconds));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            out.put(ids.get(i), ep);
        }
        return out;
    }

    /** Hits / (hits + misses) since start, for logs and the benchmark. */
    public double hitRatio() {
        long h = hits.get();
        long total = h + misses.get();
        return total == 0 ? 0 : (double) h / total;
    }

    private void count(boolean hit) {
        (hit ? hits : misses).incrementAndGet();
        if (hitCounter == null && meters != null && meters.get() != null) {
            MeterRegistry registry = meters.get();
            hitCounter = Counter.builder("camelcast.episode.cache.hits").description("episode lookups answered by Redis").register(registry);
            missCounter = Counter.builder("camelcast.episode.cache.misses").description("episode lookups sent to Opencast").register(registry);
        }
        if (hitCounter != null) {
            (hit ? hitCounter : missCounter).increment();
        }
    }

    private static JsonNode parse(String value) {
        try {
            return JSON.readTree(value);
        } catch (JsonProcessingException e) {
            return NullNode.instance;
        }
    }
}
