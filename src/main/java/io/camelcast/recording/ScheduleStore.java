package io.camelcast.recording;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * The class schedule (Zoom meeting id → Opencast series and weekly events), one JSON value per Zoom
 * meeting in the Redis hash {@code camelcast:schedule}, in the seed's item shape. Written by
 * {@code camelcast schedule import}, read by the fetch stage for every recording.
 */
public final class ScheduleStore {

    private static final String KEY = "camelcast:schedule";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UnifiedJedis redis;

    public ScheduleStore(UnifiedJedis redis) {
        this.redis = redis;
    }

    /** Stores every schedule of an import; a meeting already present is replaced, as the seed's put_item. */
    public int putAll(Map<String, Schedule> schedules) {
        for (Schedule s : schedules.values()) {
            put(s);
        }
        return schedules.size();
    }

    public void put(Schedule schedule) {
        try {
            redis.hset(KEY, schedule.zoomSeriesId(), JSON.writeValueAsString(schedule));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The schedule of a Zoom meeting id, or null. */
    public Schedule get(String zoomSeriesId) {
        String json = redis.hget(KEY, String.valueOf(zoomSeriesId));
        return json == null ? null : read(json);
    }

    public List<Schedule> list() {
        List<Schedule> out = new ArrayList<>();
        redis.hgetAll(KEY).values().forEach(v -> out.add(read(v)));
        out.sort(Comparator.comparing(Schedule::courseCode, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(Schedule::zoomSeriesId));
        return out;
    }

    private static Schedule read(String json) {
        try {
            return JSON.readValue(json, Schedule.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("damaged schedule entry in Redis: " + e.getOriginalMessage(), e);
        }
    }
}
