package io.camelcast.recording;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * The class schedule (Zoom meeting id → Opencast series and weekly events), one JSON value per Zoom
 * meeting in the Redis hash {@code camelcast:schedule}, in the seed's item shape. Written by
 * {@code camelcast schedule import} and by the fetch from {@code camelcast.schedule.url} (ScheduleFetch), read
 * by the fetch stage for every recording.
 * <p>
 * Where each meeting's row came from is kept beside it ({@code camelcast:schedule:origin}: {@code url} or
 * {@code file <name>}), the meetings of the last good fetch in {@code camelcast:schedule:fetched}, so the next
 * fetch replaces exactly those and leaves hand-imported meetings alone, and the source, time and last failure
 * of each in {@code camelcast:schedule:meta}. Per-meeting series overrides ({@code PUT /schedule/meetings/{id}})
 * are in {@code camelcast:schedule:overrides}; they win over the schedule's series.
 */
public final class ScheduleStore {

    private static final String KEY = "camelcast:schedule";
    private static final String FETCHED = KEY + ":fetched";
    private static final String ORIGIN = KEY + ":origin";
    private static final String META = KEY + ":meta";
    private static final String OVERRIDES = KEY + ":overrides";
    /**
     * One fetch's replacement in one step, so two instances fetching at once (both at start) or a reader in
     * between never see half a schedule: the previous fetch's meetings that the new one lacks go, the new
     * ones are written and become the fetched set. ARGV: source, time, then meeting id and JSON pairs.
     */
    private static final String REPLACE_FETCHED = "local new = {} "
            + "for i = 3, #ARGV, 2 do new[ARGV[i]] = true end "
            + "for _, old in ipairs(redis.call('SMEMBERS', KEYS[2])) do "
            + "  if not new[old] and redis.call('HGET', KEYS[3], old) == 'url' then "
            + "    redis.call('HDEL', KEYS[1], old) redis.call('HDEL', KEYS[3], old) end end "
            + "redis.call('DEL', KEYS[2]) "
            + "for i = 3, #ARGV, 2 do "
            + "  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) redis.call('HSET', KEYS[3], ARGV[i], 'url') "
            + "  redis.call('SADD', KEYS[2], ARGV[i]) end "
            + "redis.call('HSET', KEYS[4], 'fetch.source', ARGV[1], 'fetch.time', ARGV[2], 'fetch.meetings', tostring((#ARGV - 2) / 2)) "
            + "redis.call('HDEL', KEYS[4], 'fetch.error', 'fetch.error-time') "
            + "return (#ARGV - 2) / 2";
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

    /**
     * A hand import ({@code schedule import FILE}): its meetings are written (a meeting the last fetch also
     * had is now the file's, and a later fetch replaces it only if the sheet still lists it) and remembered as
     * the file's.
     */
    public int putImported(Map<String, Schedule> schedules, String file, Instant at) {
        for (Schedule s : schedules.values()) {
            put(s);
            redis.hset(ORIGIN, s.zoomSeriesId(), "file " + file);
            redis.srem(FETCHED, s.zoomSeriesId());
        }
        redis.hset(META, Map.of("import.source", file, "import.time", at.toString(),
                "import.meetings", Integer.toString(schedules.size())));
        return schedules.size();
    }

    /** A good fetch from {@code source} (the URL as logs may show it): replaces the previous fetch's meetings. */
    public int replaceFetched(Map<String, Schedule> schedules, String source, Instant at) {
        List<String> args = new ArrayList<>(List.of(source, at.toString()));
        for (Schedule s : schedules.values()) {
            args.add(s.zoomSeriesId());
            try {
                args.add(JSON.writeValueAsString(s));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        Object n = redis.eval(REPLACE_FETCHED, List.of(KEY, FETCHED, ORIGIN, META), args);
        return ((Number) n).intValue();
    }

    /** A fetch that failed: the schedule stays as it is; the reason is kept for {@code schedule list} and status. */
    public void fetchFailed(String source, String reason, Instant at) {
        redis.hset(META, Map.of("fetch.error", reason, "fetch.error-time", at.toString(), "fetch.error-source", source));
    }

    /**
     * Where the schedule in force came from: {@code fetch.source/time/meetings} of the last good fetch,
     * {@code fetch.error/error-time} of a failed one since, {@code import.source/time/meetings} of the last hand import.
     */
    public Map<String, String> sources() {
        return new java.util.TreeMap<>(redis.hgetAll(META));
    }

    /** Each meeting's origin: {@code url} or {@code file <name>} (none for rows stored before origins were kept). */
    public Map<String, String> origins() {
        return redis.hgetAll(ORIGIN);
    }

    /** The series every recording of {@code meetingId} goes to, whatever the schedule says. */
    public void setOverride(String meetingId, String seriesId) {
        redis.hset(OVERRIDES, meetingId, seriesId);
    }

    /** True when there was an override to clear. */
    public boolean clearOverride(String meetingId) {
        return redis.hdel(OVERRIDES, meetingId) > 0;
    }

    /** The override series of a meeting, or null. */
    public String override(String meetingId) {
        return redis.hget(OVERRIDES, String.valueOf(meetingId));
    }

    public Map<String, String> overrides() {
        return new java.util.TreeMap<>(redis.hgetAll(OVERRIDES));
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
