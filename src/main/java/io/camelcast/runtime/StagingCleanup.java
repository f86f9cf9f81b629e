package io.camelcast.runtime;

import io.camelcast.dlq.DeadLetterQueues;
import io.camelcast.store.RecordingStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The daily staging clean-up (routes/staging-cleanup.yaml): deletes staged recording media whose work ended
 * more than {@code camelcast.recording.staging-days} ago, as the seed's 7-day bucket lifecycle did, but never
 * media still in flight or named by a dead letter.
 *
 * <p>A staged object belongs to the Zoom recording in its {@code uuid} metadata. It is deleted only when every
 * status record of that recording ({@code camelcast:recordings:by-uuid:{uuid}}) is in a final state
 * ({@link RecordingStatus#FINAL_STATES}, or {@code IGNORED}) last changed before the cut-off, or sent on to the
 * upload flow ({@code SENT_TO_UPLOADS}) whose items for it ({@code kind=upload}, metadata {@code zip_id}) are all
 * {@code DONE} or {@code FAILED} before the cut-off; when no fetch claim is held for it; and when no letter in any
 * DLQ mentions its uuid or key. A recording whose status records have expired ({@code camelcast.recording.status-days},
 * refreshed on every change) has been idle at least that long and counts as ended. An object without a {@code uuid}
 * is an upload's staged bytes when its name (up to the first dot: {@code uploads/tus/{id}}, {@code .info},
 * {@code .part}, {@code uploads/custom/{id}}) is an upload item with a status record ({@code kind=upload}): it goes
 * once that item is {@code DONE} or {@code FAILED} before the cut-off and no dead letter names it. Anything else
 * (the plumbing probe, a checkpoint, a TUS upload still being received, which has no item yet and which the upload
 * flow's own janitor expires) is never touched. Each deletion is logged; counters
 * {@code camelcast_staging_cleanup_objects_total} and {@code camelcast_staging_cleanup_bytes_total} count them.
 */
public final class StagingCleanup {

    private static final Logger LOG = LoggerFactory.getLogger(StagingCleanup.class);
    private static final Set<String> ENDED = Set.of("IGNORED");

    private final S3Client s3;
    private final List<String> buckets;
    private final UnifiedJedis redis;
    private final DeadLetterQueues dlq;
    private final List<String> queues;
    private final int days;
    private final Clock clock;
    private final Supplier<MeterRegistry> meters;

    public StagingCleanup(S3Client s3, List<String> buckets, UnifiedJedis redis, DeadLetterQueues dlq, List<String> queues, int days,
                          Clock clock, Supplier<MeterRegistry> meters) {
        this.s3 = s3;
        this.buckets = buckets.stream().distinct().toList();
        this.redis = redis;
        this.dlq = dlq;
        this.queues = queues;
        this.days = days;
        this.clock = clock;
        this.meters = meters;
    }

    /** One run; returns {@code {deleted, bytes, kept}} for the log and the tests. */
    public Map<String, Object> run() {
        Instant cutoff = clock.instant().minus(Duration.ofDays(days));
        String letters = deadLetters();
        Map<String, List<String[]>> uploads = uploadsByZipId();
        long deleted = 0;
        long bytes = 0;
        long kept = 0;
        for (String bucket : buckets) {
            String token = null;
            do {
                String t = token;
                var page = s3.listObjectsV2(b -> b.bucket(bucket).continuationToken(t));
                for (S3Object o : page.contents()) {
                    if (o.lastModified().isAfter(cutoff)) {
                        continue;
                    }
                    HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(o.key()));
                    String uuid = head.metadata().get("uuid");
                    String why;
                    String owner;
                    if (uuid != null && !uuid.isBlank()) {
                        owner = uuid;
                        why = keep(uuid, o.key(), cutoff, letters, uploads);
                    } else {
                        // an upload's staged bytes (uploads/tus/{id}, its .info and .part, uploads/custom/{id}): named by its id
                        String id = uploadId(o.key());
                        Map<String, String> item = id == null ? Map.of() : redis.hgetAll("camelcast:status:" + id);
                        if (!"upload".equals(item.get("kind"))) {
                            continue; // not an item's media (a probe, a checkpoint, an upload still being received)
                        }
                        owner = id;
                        why = letters.contains(id) ? "named by a dead letter" : uploadEnded(item.get("state"), item.get("updated"), cutoff);
                    }
                    if (why != null) {
                        kept++;
                        LOG.debug("staging cleanup keeps key={} item={}: {}", o.key(), owner, why);
                        continue;
                    }
                    s3.deleteObject(b -> b.bucket(bucket).key(o.key()));
                    deleted++;
                    bytes += o.size();
                    LOG.info("staging cleanup freed key={} item={} bytes={}", o.key(), owner, o.size());
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        }
        MeterRegistry registry = meters.get();
        if (registry != null) {
            Counter.builder("camelcast.staging.cleanup.objects").description("Staged objects deleted by the clean-up")
                    .register(registry).increment(deleted);
            Counter.builder("camelcast.staging.cleanup.bytes").description("Bytes of staged objects deleted by the clean-up")
                    .register(registry).increment(bytes);
        }
        LOG.info("staging cleanup done buckets={} deleted={} bytes={} kept={} (work ended before {})", buckets, deleted, bytes, kept, cutoff);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deleted", deleted);
        out.put("bytes", bytes);
        out.put("kept", kept);
        return out;
    }

    /** Why the object must stay, or null when it may go. */
    String keep(String uuid, String key, Instant cutoff, String letters, Map<String, List<String[]>> uploads) {
        if (letters.contains(uuid) || letters.contains(key)) {
            return "named by a dead letter";
        }
        for (String zipId : redis.smembers("camelcast:recordings:by-uuid:" + uuid)) {
            Map<String, String> r = redis.hgetAll("camelcast:status:" + zipId);
            if (r.isEmpty()) {
                continue; // expired: idle for camelcast.recording.status-days
            }
            if (redis.exists("camelcast:claim:fetch:" + zipId)) {
                return zipId + " is being fetched";
            }
            String why = ended(r.get("state"), r.get("updated"), cutoff, uploads.getOrDefault(zipId, List.of()));
            if (why != null) {
                return zipId + " " + why;
            }
        }
        return null;
    }

    /** Null when a record in {@code state}, last changed at {@code updated}, ended before the cut-off. */
    static String ended(String state, String updated, Instant cutoff, List<String[]> uploadItems) {
        if (state == null) {
            return "has no state";
        }
        if (!before(updated, cutoff)) {
            return "changed after the cut-off";
        }
        if (RecordingStatus.SENT_TO_UPLOADS.equals(state)) {
            for (String[] item : uploadItems) {
                if (!("DONE".equals(item[0]) || "FAILED".equals(item[0])) || !before(item[1], cutoff)) {
                    return "has an upload still going (" + item[0] + ")";
                }
            }
            return null;
        }
        return RecordingStatus.FINAL_STATES.contains(state) || ENDED.contains(state) ? null : "is in flight (" + state + ")";
    }

    /** Null when an upload item in {@code state}, last changed at {@code updated}, ended (DONE or FAILED) before the cut-off. */
    static String uploadEnded(String state, String updated, Instant cutoff) {
        if (!"DONE".equals(state) && !"FAILED".equals(state)) {
            return "upload is in flight (" + state + ")";
        }
        return before(updated, cutoff) ? null : "upload ended after the cut-off";
    }

    /** {@code uploads/tus/abc.info} → {@code abc}: the last path segment up to its first dot. */
    static String uploadId(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        int dot = name.indexOf('.');
        String id = dot < 0 ? name : name.substring(0, dot);
        return id.isBlank() ? null : id;
    }

    private static boolean before(String time, Instant cutoff) {
        try {
            return time != null && !Instant.parse(time).isAfter(cutoff);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Every letter of every DLQ, as one text to search (a daily run: a few hundred letters at most). */
    private String deadLetters() {
        StringBuilder b = new StringBuilder();
        for (String q : queues) {
            try {
                dlq.list(q).forEach(e -> b.append(e.rawBody()).append('\n'));
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot read " + DeadLetterQueues.dlqName(q) + ": nothing is deleted while a DLQ cannot be checked", e);
            }
        }
        return b.toString();
    }

    /** zip_id → its upload items' [state, updated], from the upload status records (kind=upload). */
    private Map<String, List<String[]>> uploadsByZipId() {
        Map<String, List<String[]>> out = new HashMap<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams match = new ScanParams().match("camelcast:status:*").count(500);
        do {
            ScanResult<String> page = redis.scan(cursor, match);
            for (String key : page.getResult()) {
                if (key.endsWith(":history")) {
                    continue;
                }
                try {
                    List<String> f = redis.hmget(key, "kind", "metadata", "state", "updated");
                    if ("upload".equals(f.get(0)) && f.get(1) != null) {
                        String zipId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(f.get(1)).path("zip_id").asText("");
                        if (!zipId.isEmpty()) {
                            out.computeIfAbsent(zipId, k -> new ArrayList<>()).add(new String[] {f.get(2), f.get(3)});
                        }
                    }
                } catch (Exception e) {
                    // not a hash, or not JSON metadata: not an upload item
                }
            }
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        return out;
    }
}
