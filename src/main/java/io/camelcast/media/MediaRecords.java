package io.camelcast.media;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Each answer upload's record in Redis: hash {@code camelcast:media:{id}} with the mentor, question, every
 * task's status ({@code task.<name>}, its attempts and error), the outputs' keys ({@code output.<kind>},
 * written only when a task is DONE, so a half-made output is never reported); and
 * {@code camelcast:media:active:{mentor}:{question}}, held from the upload until the last task ends (the
 * seed's "upload in progress" check).
 */
public final class MediaRecords {

    public static final String TRIM = "trim-upload";
    public static final String WEB = "transcoding-web";
    public static final String MOBILE = "transcoding-mobile";
    public static final String TRANSCRIBE = "transcribing";
    public static final String THUMBNAIL = "thumbnail";
    /** The tasks run after the optional trim, in parallel. */
    public static final List<String> PARALLEL = List.of(WEB, MOBILE, TRANSCRIBE, THUMBNAIL);

    public static final String QUEUED = "QUEUED";
    public static final String IN_PROGRESS = "IN_PROGRESS";
    public static final String DONE = "DONE";
    public static final String FAILED = "FAILED";

    private final UnifiedJedis redis;
    private final Clock clock;
    private final long activeSeconds;
    private final long keepSeconds;

    public MediaRecords(UnifiedJedis redis, Clock clock, long activeSeconds, long keepSeconds) {
        this.redis = redis;
        this.clock = clock;
        this.activeSeconds = activeSeconds;
        this.keepSeconds = keepSeconds;
    }

    static String key(String id) {
        return "camelcast:media:" + id;
    }

    static String activeKey(String mentor, String question) {
        return "camelcast:media:active:" + mentor + ":" + question;
    }

    /** The upload in progress for this question, or null. */
    public String active(String mentor, String question) {
        return redis.get(activeKey(mentor, question));
    }

    /** Takes the question for upload {@code id}; false when another upload holds it. */
    public boolean claim(String mentor, String question, String id) {
        return "OK".equals(redis.set(activeKey(mentor, question), id, SetParams.setParams().nx().ex(activeSeconds)));
    }

    public void release(String mentor, String question, String id) {
        String key = activeKey(mentor, question);
        if (id.equals(redis.get(key))) {
            redis.del(key);
        }
    }

    public void create(String id, String mentor, String question, String original, List<String> tasks, String trim) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", id);
        f.put("mentor", mentor);
        f.put("question", question);
        f.put("original", original);
        f.put("tasks", String.join(",", tasks));
        if (trim != null) {
            f.put("trim", trim);
        }
        String now = clock.instant().toString();
        f.put("created", now);
        f.put("updated", now);
        for (String t : tasks) {
            f.put("task." + t, QUEUED);
        }
        redis.hset(key(id), f);
        redis.expire(key(id), keepSeconds);
    }

    public void delete(String id) {
        redis.del(key(id));
    }

    /** The record's fields; empty when the id is unknown. */
    public Map<String, String> get(String id) {
        return redis.hgetAll(key(id));
    }

    public List<String> tasks(Map<String, String> record) {
        return List.of(record.getOrDefault("tasks", "").split(","));
    }

    /** Marks the task IN_PROGRESS (a replay of a failed one too) and returns its attempt number. */
    public int started(String id, String task) {
        redis.hset(key(id), Map.of("task." + task, IN_PROGRESS, "updated", clock.instant().toString()));
        redis.hdel(key(id), "task." + task + ".error");
        settle(id);
        return (int) redis.hincrBy(key(id), "task." + task + ".attempts", 1);
    }

    /** A task stopped with the runtime waits again: QUEUED, its message still on the queue. */
    public void requeued(String id, String task) {
        redis.hset(key(id), Map.of("task." + task, QUEUED, "updated", clock.instant().toString()));
        settle(id);
    }

    /** Marks the task DONE with its output (key) and returns the overall status now. */
    public String done(String id, String task, String outputKind, String outputKey) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("task." + task, DONE);
        f.put("updated", clock.instant().toString());
        if (outputKind != null) {
            f.put("output." + outputKind, outputKey);
        }
        redis.hset(key(id), f);
        return settle(id);
    }

    /** Marks the task FAILED with the reason; the whole upload is FAILED. */
    public String failed(String id, String task, String reason) {
        redis.hset(key(id), Map.of("task." + task, FAILED, "task." + task + ".error", reason,
                "updated", clock.instant().toString()));
        return settle(id);
    }

    /** DONE when every task is, FAILED when any failed; otherwise IN_PROGRESS. */
    static String overall(List<String> statuses) {
        if (statuses.contains(FAILED)) {
            return FAILED;
        }
        if (statuses.stream().allMatch(DONE::equals)) {
            return DONE;
        }
        return statuses.stream().allMatch(QUEUED::equals) ? QUEUED : IN_PROGRESS;
    }

    /**
     * The upload's status, from its tasks' (not stored: tasks finish side by side, and a stored copy written
     * from one task's read could be overwritten by a sibling that read earlier, leaving an upload IN_PROGRESS
     * for ever).
     */
    public String status(Map<String, String> record) {
        List<String> statuses = new ArrayList<>();
        for (String t : tasks(record)) {
            statuses.add(record.getOrDefault("task." + t, QUEUED));
        }
        return overall(statuses);
    }

    /**
     * The status after a task's change, read after that change was written: of tasks finishing together, the
     * last to write sees them all. A final status frees the question.
     */
    private String settle(String id) {
        Map<String, String> r = get(id);
        String status = status(r);
        if (DONE.equals(status) || FAILED.equals(status)) {
            release(r.get("mentor"), r.get("question"), id);
        }
        return status;
    }

    /** True once per upload and final status: the caller sends that status's notification. */
    public boolean firstToReport(String id, String status) {
        return redis.hsetnx(key(id), "notified." + status, clock.instant().toString()) == 1;
    }
}
