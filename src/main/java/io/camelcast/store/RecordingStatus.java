package io.camelcast.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;

/**
 * The recording flow's status records, with the seed's states and rules (zoom-recording-ingester
 * {@code utils/status.py}), kept in Redis for {@code camelcast.recording.status-days} (7, as the seed).
 *
 * <p>One hash per ingest attempt ({@code zip_id}: {@code auto-ingest-{uuid}} or {@code on-demand-{uuid4}})
 * at {@code camelcast:status:{zip_id}} (the layout {@code camelcast status ID} reads) with a history list,
 * plus three indexes the queries need: by update time (a sorted set), by Zoom meeting id and by recording
 * uuid (sets).
 *
 * <p>Rules kept from the seed: only a record that started with its meeting id and origin is updated
 * (later updates carry just the state); a meeting may only move to RECORDING_PROCESSING from a
 * recording state, and never back from it.
 */
public final class RecordingStatus {

    /** The seed\'s timestamps: {@code 2026-11-17T15:00:00Z}, UTC. */
    public static final java.time.format.DateTimeFormatter TIMESTAMP =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd\'T\'HH:mm:ss\'Z\'").withZone(java.time.ZoneOffset.UTC);

    public static final String ON_DEMAND_RECEIVED = "ON_DEMAND_RECEIVED";
    public static final String WEBHOOK_RECEIVED = "WEBHOOK_RECEIVED";
    public static final String WEBHOOK_FAILED = "WEBHOOK_FAILED";
    public static final String SENT_TO_DOWNLOADER = "SENT_TO_DOWNLOADER";
    public static final String OC_SERIES_FOUND = "OC_SERIES_FOUND";
    public static final String IGNORED = "IGNORED";
    public static final String DOWNLOADER_FAILED = "DOWNLOADER_FAILED";
    public static final String SENT_TO_UPLOADER = "SENT_TO_UPLOADER";
    public static final String UPLOADER_RECEIVED = "UPLOADER_RECEIVED";
    public static final String SENT_TO_OPENCAST = "SENT_TO_OPENCAST";
    public static final String UPLOADER_FAILED = "UPLOADER_FAILED";
    /** Not the seed's: staged for the archive / Bunny Stream targets (see GET /uploads/{id}). */
    public static final String SENT_TO_UPLOADS = "SENT_TO_UPLOADS";
    /** Not the seed's: the workflow Opencast started for the ingest ended (routes/opencast-workflow.yaml). */
    public static final String OPENCAST_SUCCEEDED = "OPENCAST_SUCCEEDED";
    public static final String OPENCAST_FAILED = "OPENCAST_FAILED";

    public static final String RECORDING_IN_PROGRESS = "RECORDING_IN_PROGRESS";
    public static final String RECORDING_PAUSED = "RECORDING_PAUSED";
    public static final String RECORDING_STOPPED = "RECORDING_STOPPED";
    public static final String RECORDING_PROCESSING = "RECORDING_PROCESSING";

    private static final Set<String> ZOOM_STATES = Set.of(RECORDING_IN_PROGRESS, RECORDING_PAUSED,
            RECORDING_STOPPED, RECORDING_PROCESSING);
    private static final Set<String> PAUSE_RESUME_EVENTS = Set.of("recording.started", "recording.resumed",
            "recording.paused", "recording.stopped");
    private static final Set<String> RECORDING_STATES = Set.of(RECORDING_IN_PROGRESS, RECORDING_PAUSED, RECORDING_STOPPED);
    /** Fields a caller may set besides the state (the seed's optional attributes). */
    private static final List<String> OPTIONAL = List.of("meeting_id", "recording_id", "recording_start_time",
            "topic", "origin", "oc_series_id", "mediapackage_id", "workflow_id", "account", "files_skipped");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BY_TIME = "camelcast:recordings:by-time";
    private static final long SECONDS_PER_HOUR = 3600;

    /** States a recording does not leave by itself: each raises an operator event once (notifications). */
    public static final Set<String> FINAL_STATES = Set.of(SENT_TO_OPENCAST, WEBHOOK_FAILED, DOWNLOADER_FAILED, UPLOADER_FAILED,
            OPENCAST_SUCCEEDED, OPENCAST_FAILED);

    /** Told of a record that reached a final state: its zip_id and its fields after the change. */
    public interface FinalStateListener {
        void reached(String zipId, Map<String, String> record);
    }

    private final UnifiedJedis redis;
    private final long ttlSeconds;
    private final Clock clock;
    private volatile FinalStateListener listener;

    public RecordingStatus(UnifiedJedis redis, int days, Clock clock) {
        this.redis = redis;
        this.ttlSeconds = days * 86_400L;
        this.clock = clock;
    }

    /** Who hears of final states (the runtime's notifier); set once at start. */
    public void onFinalState(FinalStateListener listener) {
        this.listener = listener;
    }

    public boolean exists(String zipId) {
        return redis.exists(key(zipId));
    }

    public String state(String zipId) {
        return redis.hget(key(zipId), "state");
    }

    /** One field of the record (e.g. files_skipped), or null. */
    public String field(String zipId, String name) {
        return redis.hget(key(zipId), name);
    }

    /** Moves {@code zipId} to {@code state} (no reason: the seed clears the last reason on every update). */
    public boolean set(String zipId, String state) {
        return set(zipId, state, "", Map.of());
    }

    public boolean set(String zipId, String state, String reason) {
        return set(zipId, state, reason, Map.of());
    }

    /**
     * Moves {@code zipId} to {@code state}. Returns false (and changes nothing) when the seed's rules say
     * the update does not apply. {@code fields} may hold any of meeting_id, recording_id,
     * recording_start_time, topic, origin, oc_series_id, mediapackage_id, workflow_id, account.
     */
    public boolean set(String zipId, String state, String reason, Map<String, String> fields) {
        return setInOrder(zipId, List.of(new Step(state, reason, fields)), null);
    }

    /** One state change for {@link #setInOrder}. */
    public record Step(String state, String reason, Map<String, String> fields) {
        public Step(String state, Map<String, String> fields) {
            this(state, "", fields);
        }
    }

    /**
     * Several state changes in a row with one read and one write round trip; {@code alsoWrite} adds its
     * own commands to that write (the intake's outbox entry, so the status is written before the message
     * can be forwarded). Each step follows the rules of {@link #set(String, String, String, Map)}; returns
     * whether any applied. {@code alsoWrite} runs either way.
     */
    public boolean setInOrder(String zipId, List<Step> steps, Consumer<AbstractPipeline> alsoWrite) {
        if (zipId == null || zipId.isBlank()) {
            throw new IllegalArgumentException("a status record needs a zip_id");
        }
        String key = key(zipId);
        Map<String, String> current = new HashMap<>(redis.hgetAll(key));
        Instant now = clock.instant();
        boolean any = false;
        List<Map<String, String>> reached = new ArrayList<>();
        // one round trip for the dozen writes per state: Redis latency was most of a webhook's time
        try (AbstractPipeline p = redis.pipelined()) {
            for (Step step : steps) {
                Map<String, String> update = update(zipId, current, step.state(), step.reason(), step.fields(), now);
                if (update == null) {
                    continue;
                }
                boolean changed = !step.state().equals(current.get("state"));
                write(p, key, zipId, current, update, step.state(), step.reason(), now);
                current.putAll(update);
                any = true;
                if (changed && FINAL_STATES.contains(step.state())) {
                    reached.add(new HashMap<>(current));
                }
            }
            if (alsoWrite != null) {
                alsoWrite.accept(p);
            }
            p.sync();
        }
        FinalStateListener l = listener;
        if (l != null) {
            for (Map<String, String> record : reached) {
                try {
                    l.reached(zipId, record);
                } catch (RuntimeException e) {
                    // telling the operator never fails the flow that changed the state
                    org.slf4j.LoggerFactory.getLogger(RecordingStatus.class).warn("final state listener failed item={}: {}",
                            zipId, e.toString());
                }
            }
        }
        return any;
    }

    /** The fields a state change writes, or null when the seed's rules say it does not apply. */
    private static Map<String, String> update(String zipId, Map<String, String> current, String state, String reason,
                                              Map<String, String> fields, Instant now) {
        boolean tracked = current.containsKey("meeting_id") && current.containsKey("origin");
        boolean carriesIdentity = notBlank(fields.get("meeting_id")) && notBlank(fields.get("origin"));
        if (!carriesIdentity && !tracked) {
            return null;
        }
        if (carriesIdentity && RECORDING_PROCESSING.equals(state) && !RECORDING_STATES.contains(current.get("state"))) {
            return null;
        }
        if (carriesIdentity && ZOOM_STATES.contains(state) && !RECORDING_PROCESSING.equals(state)
                && RECORDING_PROCESSING.equals(current.get("state"))) {
            return null;
        }
        Map<String, String> update = new LinkedHashMap<>();
        update.put("id", zipId);
        update.put("zip_id", zipId);
        update.put("state", state);
        update.put("updated", now.toString());
        update.put("update_epoch", Long.toString(now.getEpochSecond()));
        update.put("reason", reason == null ? "" : reason);
        if (WEBHOOK_RECEIVED.equals(state) || ON_DEMAND_RECEIVED.equals(state)) {
            update.put("ingest_request_time", TIMESTAMP.format(now));
        }
        for (String f : OPTIONAL) {
            if (notBlank(fields.get(f))) {
                update.put(f, fields.get(f));
            }
        }
        return update;
    }

    private void write(AbstractPipeline p, String key, String zipId, Map<String, String> current,
                       Map<String, String> update, String state, String reason, Instant now) {
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("at", now.toString());
        entry.put("state", state);
        if (reason != null && !reason.isEmpty()) {
            entry.put("reason", reason);
        }
        String meetingId = update.containsKey("meeting_id") ? update.get("meeting_id") : current.get("meeting_id");
        String recordingId = update.containsKey("recording_id") ? update.get("recording_id") : current.get("recording_id");
        p.hset(key, update);
        p.hsetnx(key, "created", now.toString());
        p.rpush(key + ":history", json(entry));
        p.expire(key, ttlSeconds);
        p.expire(key + ":history", ttlSeconds);
        p.zadd(BY_TIME, now.getEpochSecond(), zipId);
        p.zremrangeByScore(BY_TIME, 0, now.getEpochSecond() - ttlSeconds);
        if (notBlank(meetingId)) {
            p.sadd("camelcast:recordings:by-meeting:" + meetingId, zipId);
            p.expire("camelcast:recordings:by-meeting:" + meetingId, ttlSeconds);
        }
        if (notBlank(recordingId)) {
            p.sadd("camelcast:recordings:by-uuid:" + recordingId, zipId);
            p.expire("camelcast:recordings:by-uuid:" + recordingId, ttlSeconds);
        }
    }

    /** Records a recording.started/paused/resumed/stopped time for the pause/resume merge (kept 120 days, as the seed). */
    public void addEvent(String zoomUuid, String event, long timestampMillis) {
        if (!PAUSE_RESUME_EVENTS.contains(event) || timestampMillis <= 0) {
            return;
        }
        String key = "camelcast:recording-events:" + zoomUuid;
        redis.rpush(key, json(Map.of("event", event, "timestamp", timestampMillis / 1000)));
        redis.expire(key, 120 * 86_400L);
    }

    public List<RecordingEvent> events(String zoomUuid) {
        List<RecordingEvent> out = new ArrayList<>();
        for (String line : redis.lrange("camelcast:recording-events:" + zoomUuid, 0, -1)) {
            try {
                Map<?, ?> m = JSON.readValue(line, Map.class);
                out.add(new RecordingEvent((String) m.get("event"), ((Number) m.get("timestamp")).longValue()));
            } catch (JsonProcessingException | RuntimeException e) {
                // a damaged entry costs one pause/resume boundary, not the ingest
            }
        }
        return out;
    }

    /**
     * {@code GET /status?meeting_id=N} or {@code ?seconds=N}: {@code {"records": ...}} as the seed's
     * status_query; a missing or non-numeric parameter is a 400 with the seed's message.
     */
    public Map<String, Object> query(String meetingId, String seconds) {
        Object records;
        if (meetingId != null && !meetingId.isEmpty()) {
            if (!meetingId.chars().allMatch(Character::isDigit)) {
                throw new io.camelcast.http.Refused(400, "Invalid meeting_id: " + meetingId);
            }
            records = byMeeting(meetingId);
        } else if (seconds != null && !seconds.isEmpty()) {
            if (!seconds.chars().allMatch(Character::isDigit)) {
                throw new io.camelcast.http.Refused(400, "Invalid request seconds: " + seconds);
            }
            try {
                records = bySeconds(Long.parseLong(seconds));
            } catch (IllegalArgumentException e) {
                throw new io.camelcast.http.Refused(400, e.getMessage());
            }
        } else {
            throw new io.camelcast.http.Refused(400, "Missing identifier in query params. Must include one of 'meeting_id', 'seconds'");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("records", records);
        return out;
    }

    /** {@code GET /recordings/{uuid}}; 404 when the recording is unknown (or older than the retention). */
    public Map<String, Object> recording(String uuid) {
        Map<String, Object> r = uuid == null || uuid.isBlank() ? null : byRecording(uuid);
        if (r == null) {
            throw new io.camelcast.http.Refused(404, "no recording with uuid '" + uuid + "' in the last "
                    + ttlSeconds / 86_400 + " days");
        }
        return r;
    }

    /** {@code GET /status?meeting_id=}: the seed's meeting object, or null when nothing is recorded. */
    public Map<String, Object> byMeeting(String meetingId) {
        List<Map<String, String>> items = load(redis.smembers("camelcast:recordings:by-meeting:" + meetingId));
        List<Map<String, Object>> meetings = format(items);
        return meetings.isEmpty() ? null : meetings.get(0);
    }

    /** {@code GET /status?seconds=}: every record updated in the last {@code seconds} (at most an hour, as the seed). */
    public Map<String, Object> bySeconds(long seconds) {
        if (seconds > SECONDS_PER_HOUR) {
            throw new IllegalArgumentException("Invalid number of seconds. Seconds must be <= " + SECONDS_PER_HOUR);
        }
        long now = clock.instant().getEpochSecond();
        List<Map<String, String>> items = load(redis.zrangeByScore(BY_TIME, now - seconds, Double.POSITIVE_INFINITY));
        return Map.of("meetings", format(items));
    }

    /** {@code GET /recordings/{uuid}}: every ingest attempt of one Zoom recording with its full history, or null. */
    public Map<String, Object> byRecording(String uuid) {
        List<Map<String, String>> items = load(redis.smembers("camelcast:recordings:by-uuid:" + uuid));
        if (items.isEmpty()) {
            return null;
        }
        items.sort(Comparator.comparing(i -> i.getOrDefault("created", "")));
        Map<String, String> first = items.get(0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("recording_id", uuid);
        out.put("meeting_id", asNumber(first.get("meeting_id")));
        out.put("topic", first.get("topic"));
        out.put("start_time", first.get("recording_start_time"));
        // the Zoom account (camelcast.zoom.accounts.<name>) the recording was received from
        if (first.containsKey("account")) {
            out.put("account", first.get("account"));
        }
        // the recording's state: its latest ingest attempt's
        Map<String, String> latest = items.get(items.size() - 1);
        out.put("state", latest.get("state"));
        out.put("reason", latest.getOrDefault("reason", ""));
        List<Map<String, Object>> attempts = new ArrayList<>();
        for (Map<String, String> item : items) {
            Map<String, Object> a = new LinkedHashMap<>(zipIngest(item));
            a.put("zip_id", item.get("zip_id"));
            for (String f : List.of("mediapackage_id", "workflow_id", "account")) {
                if (item.containsKey(f)) {
                    a.put(f, item.get(f));
                }
            }
            List<Object> history = new ArrayList<>();
            for (String line : redis.lrange(key(item.get("zip_id")) + ":history", 0, -1)) {
                history.add(parse(line));
            }
            a.put("history", history);
            attempts.add(a);
        }
        out.put("zip_ingests", attempts);
        return out;
    }

    private List<Map<String, String>> load(Iterable<String> zipIds) {
        List<Map<String, String>> items = new ArrayList<>();
        for (String zipId : zipIds) {
            Map<String, String> item = redis.hgetAll(key(zipId));
            if (item.containsKey("meeting_id") && item.containsKey("recording_id")) {
                items.add(item);
            }
        }
        return items;
    }

    /** The seed's format_status_records: meetings → recordings → zip_ingests. */
    private static List<Map<String, Object>> format(List<Map<String, String>> items) {
        items.sort(Comparator.comparing(i -> i.getOrDefault("update_epoch", "0")));
        Map<String, Map<String, Object>> meetings = new LinkedHashMap<>();
        for (Map<String, String> item : items) {
            String mid = item.get("meeting_id");
            Map<String, Object> meeting = meetings.computeIfAbsent(mid, k -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("meeting_id", asNumber(mid));
                m.put("topic", item.get("topic"));
                m.put("recordings", new LinkedHashMap<String, Map<String, Object>>());
                return m;
            });
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> recordings = (Map<String, Map<String, Object>>) meeting.get("recordings");
            Map<String, Object> recording = recordings.computeIfAbsent(item.get("recording_id"), k -> {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("recording_id", k);
                r.put("start_time", item.get("recording_start_time"));
                r.put("zip_ingests", new ArrayList<Map<String, Object>>());
                return r;
            });
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> ingests = (List<Map<String, Object>>) recording.get("zip_ingests");
            ingests.add(zipIngest(item));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> m : meetings.values()) {
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> recordings = (Map<String, Map<String, Object>>) m.get("recordings");
            m.put("recordings", new ArrayList<>(recordings.values()));
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> zipIngest(Map<String, String> item) {
        Map<String, Object> z = new LinkedHashMap<>();
        z.put("last_updated", TIMESTAMP.format(Instant.ofEpochSecond(Long.parseLong(item.getOrDefault("update_epoch", "0")))));
        z.put("status", item.get("state"));
        z.put("origin", item.get("origin"));
        for (String f : List.of("reason", "ingest_request_time", "oc_series_id")) {
            if (item.containsKey(f)) {
                z.put(f, item.get(f));
            }
        }
        return z;
    }

    private static Object asNumber(String v) {
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return v;
        }
    }

    private static Object parse(String line) {
        try {
            return JSON.readValue(line, Map.class);
        } catch (JsonProcessingException e) {
            return line;
        }
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static String key(String zipId) {
        return "camelcast:status:" + zipId;
    }
}
