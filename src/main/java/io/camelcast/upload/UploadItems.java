package io.camelcast.upload;

import io.camelcast.config.UploadTargets;

import io.camelcast.messages.UploadItem;

import io.camelcast.store.ItemFields;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.http.Refused;
import io.camelcast.store.StatusStore;
import io.camelcast.store.WorkClaims;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An upload's life from the queue's point of view: made from a finished TUS upload, a custom path or a
 * staged Zoom recording; its steps (each target, then Bunny's encoding when waited for, then the site
 * notification); which step is next; and its status record ({@code GET /uploads/{id}}, {@code camelcast
 * status ID}), kept in the shared status store with one state per step:
 * {@code step.archive = DONE}, {@code tries.bunny = 2}, {@code error.notify = ...}.
 */
public final class UploadItems implements ItemFields {

    private static final Logger LOG = LoggerFactory.getLogger(UploadItems.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The longest delay SQS takes; longer waits hop through the queue. */
    static final long MAX_SQS_DELAY = 900;

    public static final String QUEUED = "QUEUED";
    public static final String RUNNING = "RUNNING";
    public static final String RETRYING = "RETRYING";
    public static final String WAITING = "WAITING";
    public static final String DONE = "DONE";
    public static final String FAILED = "FAILED";

    private final StatusStore status;
    private final UploadTargets targets;
    private final TusUploads tus;
    private final LocalFiles localFiles;
    private final S3Client staging;
    private final boolean waitForEncoding;
    private final boolean notify;
    private final boolean deleteCustomFiles;
    private final boolean cleanStaging;
    private final Clock clock;
    private final WorkClaims claims;
    private final long recheckSeconds;
    private final StagingParts stagingParts;
    private final long partSize;
    /** Where custom uploads are staged, beside TUS uploads' {@code uploads/tus/}. */
    static final String CUSTOM_PREFIX = "uploads/custom/";

    /**
     * @param claims         one worker per upload across the cluster ({@code upload} claims)
     * @param recheckSeconds how soon a copy that found another live instance working on the upload looks again
     */
    public UploadItems(StatusStore status, UploadTargets targets, TusUploads tus, LocalFiles localFiles,
                       S3Client staging, boolean waitForEncoding,
                       boolean notify, boolean deleteCustomFiles, boolean cleanStaging, Clock clock,
                       WorkClaims claims, long recheckSeconds, StagingParts stagingParts, long partSize) {
        this.stagingParts = stagingParts;
        this.partSize = partSize;
        this.claims = claims;
        this.recheckSeconds = recheckSeconds;
        this.status = status;
        this.targets = targets;
        this.tus = tus;
        this.localFiles = localFiles;
        this.staging = staging;
        this.waitForEncoding = waitForEncoding;
        this.notify = notify;
        this.deleteCustomFiles = deleteCustomFiles;
        this.cleanStaging = cleanStaging;
        this.clock = clock;
    }

    // ---- sources ---------------------------------------------------------------------------------

    /** A finished TUS upload. */
    public UploadItem fromTus(TusUploads.Upload u) {
        if (!u.complete()) {
            throw new Refused(409, "upload " + u.id() + " is not finished: " + u.offset() + " of " + u.length() + " bytes");
        }
        UploadItem item = new UploadItem();
        item.id = u.id();
        item.source = "tus";
        // the bytes are in the staging bucket, where any instance reads them
        item.bucket = u.bucket();
        item.key = u.key();
        item.sha256 = u.sha256();
        item.size = u.length();
        item.metadata.putAll(u.metadata());
        item.name = item.metadata.getOrDefault("filename", item.metadata.getOrDefault("name", u.id()));
        item.targets = new ArrayList<>(targets.forSource("tus"));
        item.received = clock.instant().toString();
        return item;
    }

    /**
     * Finished TUS uploads that never made it onto the queue (the queue was down when the last PATCH
     * came): the janitor queues them, so a client that saw its upload complete never loses it.
     */
    public List<UploadItem> stranded() throws IOException {
        List<UploadItem> out = new ArrayList<>();
        for (TusUploads.Upload u : tus.finished()) {
            if (get(u.id(), "kind") == null) {
                LOG.warn("tus upload finished but never queued id={}: queuing it now", u.id());
                out.add(fromTus(u));
            }
        }
        return out;
    }

    /** {@code POST /manual-upload {"id": ..., "metadata": {...}}}: a finished TUS upload, the seed's hop. */
    public UploadItem manual(byte[] body) {
        JsonNode req = json(body);
        String id = req.path("id").asText(req.path("upload_id").asText(""));
        if (id.isEmpty()) {
            throw new Refused(400, "id (the TUS upload's id) is required");
        }
        UploadItem item = fromTus(tus.get(id));
        item.metadata.putAll(metadata(req));
        return item;
    }

    /**
     * {@code POST /custom-upload {"path": ..., "metadata": {...}}}: a file on this server, copied into the staging
     * bucket in the request (with its SHA-256), so whichever instance takes the item reads it from there. The
     * request answers once the copy is done; a copy that fails is a 503 and nothing is queued.
     */
    public UploadItem custom(byte[] body) throws IOException {
        JsonNode req = json(body);
        if (!req.path("path").isTextual()) {
            throw new Refused(400, "path is required");
        }
        Path file = localFiles.resolve(req.path("path").asText());
        UploadItem item = new UploadItem();
        item.id = UUID.randomUUID().toString().replace("-", "");
        item.source = "custom";
        item.path = file.toString();
        item.bucket = stagingParts.bucket();
        item.key = CUSTOM_PREFIX + item.id;
        long started = System.nanoTime();
        StagingParts.Stored stored;
        try (var in = Files.newInputStream(file)) {
            stored = stagingParts.stream(item.key, in, (int) partSize);
        }
        item.size = stored.size();
        item.sha256 = stored.sha256();
        LOG.info("custom upload staged id={} path=\"{}\" key={} bytes={} ms={}", item.id, file, item.key, item.size,
                (System.nanoTime() - started) / 1_000_000);
        item.metadata.putAll(metadata(req));
        item.name = item.metadata.getOrDefault("filename", file.getFileName().toString());
        item.targets = new ArrayList<>(targets.forSource("custom"));
        item.received = clock.instant().toString();
        return item;
    }

    /** The first status of a new item (inside the duplicate guard); returns the queue message. */
    public String queued(UploadItem item) throws JsonProcessingException {
        List<String> steps = steps(item);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("kind", "upload");
        fields.put("source", item.source);
        fields.put("name", item.name);
        fields.put("size", Long.toString(item.size));
        fields.put("targets", String.join(",", item.targets));
        fields.put("steps", String.join(",", steps));
        fields.put("metadata", JSON.writeValueAsString(item.metadata));
        if (item.sha256 != null) {
            fields.put("sha256", item.sha256);
        }
        for (String step : steps) {
            fields.put("step." + step, "PENDING");
        }
        status.put(item.id, fields);
        status.record(item.id, QUEUED, "from " + item.source);
        LOG.info("upload queued id={} source={} name=\"{}\" bytes={} steps={}", item.id, item.source, item.name, item.size,
                String.join(",", steps));
        return message(item);
    }

    /**
     * A custom upload is staged and queued: with {@code camelcast.upload.delete-custom-files} its local file goes now
     * (never before both), on the instance that has it.
     */
    public void customQueued(UploadItem item) throws IOException {
        if (deleteCustomFiles && "custom".equals(item.source) && item.path != null && item.key != null) {
            Files.deleteIfExists(Path.of(item.path));
            LOG.info("custom upload file removed id={} path=\"{}\" (staged as {})", item.id, item.path, item.key);
        }
    }

    // ---- running -----------------------------------------------------------------------------------

    /** Reads a queue message; the item's next step is set (null: nothing left). */
    public UploadItem start(String body) throws JsonProcessingException {
        UploadItem item = JSON.readValue(body, UploadItem.class);
        if (item.id == null || item.source == null) {
            throw new IllegalArgumentException("not an upload message (no id/source)");
        }
        if (item.notBefore != null) {
            long wait = Duration.between(clock.instant(), Instant.parse(item.notBefore)).toSeconds();
            if (wait > 0) {
                // a delay longer than SQS's 15 minutes: one more hop through the queue
                item.waitSeconds = wait;
                return item;
            }
        }
        if (!claim(item)) {
            return item;
        }
        item.next = nextStep(item);
        if (item.next != null) {
            status.record(item.id, RUNNING, item.next);
        }
        return item;
    }

    /**
     * One worker per upload in the cluster: a copy of the message of an upload that is DONE is dropped; one
     * that another live instance is working on goes back on the queue for {@code recheckSeconds} (that
     * instance's own message stays in flight until it is done and returns if the instance dies). A claim
     * left by a dead instance is taken over.
     */
    boolean claim(UploadItem item) {
        if (DONE.equals(get(item.id, "state"))) {
            item.skipped = true;
            LOG.info("upload skipped id={}: a copy of the message of an upload already done", item.id);
            return false;
        }
        WorkClaims.Claim c = claims.claim("upload", item.id, item.token);
        if (!c.owned()) {
            item.skipped = true;
            item.waitSeconds = recheckSeconds;
            LOG.info("upload skipped id={}: instance {} is working on it now; looking again in {} s", item.id,
                    c.holderInstance(), recheckSeconds);
            return false;
        }
        return true;
    }

    /** The item's turn is over (done, waiting, retrying or dead): the claim goes. */
    public void release(UploadItem item) {
        if (item != null && !item.skipped) {
            claims.release("upload", item.id, item.token);
        }
    }

    /** The step just run succeeded: the next one, or null. */
    public void stepDone(UploadItem item, Map<String, String> details) {
        Map<String, String> fields = new LinkedHashMap<>(details == null ? Map.of() : details);
        fields.put("step." + item.next, DONE);
        status.put(item.id, fields);
        status.remove(item.id, "error." + item.next);
        LOG.info("upload step done id={} step={}", item.id, item.next);
        item.attempt = 0;
        item.next = nextStep(item);
    }

    public void stepDone(UploadItem item) {
        stepDone(item, Map.of());
    }

    /** The archive step succeeded: what the archive holds goes into the status. */
    public void archiveDone(UploadItem item, ArchiveUpload.Archived a) {
        stepDone(item, archived(item, a));
    }

    Map<String, String> archived(UploadItem item, ArchiveUpload.Archived a) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("archive.bucket", a.bucket());
        f.put("archive.key", a.key());
        f.put("archive.etag", a.etag());
        f.put("archive.parts", Integer.toString(a.parts()));
        f.put("sha256", item.sha256 != null ? item.sha256 : a.sha256());
        if (item.sha256 != null && !item.sha256.equals(a.sha256())) {
            throw new IllegalStateException("the archived bytes of " + item.id + " hash to " + a.sha256()
                    + ", staging said " + item.sha256);
        }
        return f;
    }

    /** A waiting step (Bunny encoding): the message goes round again after {@code waitSeconds}. */
    public String waitMessage(UploadItem item) throws JsonProcessingException {
        if (item.next != null) {
            status.record(item.id, WAITING, item.next + " (next look in " + item.waitSeconds + " s)");
        }
        item.notBefore = clock.instant().plusSeconds(item.waitSeconds).toString();
        return message(item);
    }

    /** SQS's DelaySeconds for the item's next hop. */
    public long delaySeconds(UploadItem item) {
        long s = item.retryInSeconds > 0 ? item.retryInSeconds : item.waitSeconds;
        return Math.max(0, Math.min(MAX_SQS_DELAY, s));
    }

    /** All steps done: DONE, then the temporary files (never before). */
    public void finish(UploadItem item) throws IOException {
        status.record(item.id, DONE);
        LOG.info("upload done id={} source={} bytes={}", item.id, item.source, item.size);
        if ("tus".equals(item.source)) {
            tus.release(item.id);
        } else if ("custom".equals(item.source) && item.key != null) {
            stagingParts.delete(item.key);
        } else if ("zoom-upload".equals(item.source) && cleanStaging && !item.targets.contains("opencast")) {
            staging.deleteObject(b -> b.bucket(item.bucket).key(item.key));
        }
    }

    /** Steps in order: the targets (the archive first: the copy of record), Bunny's encoding, the notification. */
    public List<String> steps(UploadItem item) {
        List<String> steps = new ArrayList<>();
        if (item.targets.contains("archive")) {
            steps.add("archive");
        }
        if (item.targets.contains("bunny")) {
            steps.add("bunny");
            if (waitForEncoding) {
                steps.add("bunny-encoded");
            }
        }
        if (notify) {
            steps.add("notify");
        }
        return steps;
    }

    String nextStep(UploadItem item) {
        for (String step : steps(item)) {
            if (!DONE.equals(get(item.id, "step." + step))) {
                return step;
            }
        }
        return null;
    }

    public String message(UploadItem item) throws JsonProcessingException {
        return JSON.writeValueAsString(item);
    }

    // ---- the status record ---------------------------------------------------------------------------

    @Override
    public String get(String itemId, String field) {
        return status.field(itemId, field);
    }

    @Override
    public void put(String itemId, Map<String, String> fields) {
        status.put(itemId, fields);
    }

    /** {@code GET /uploads/{id}}: the record as a user reads it, per step. 404 when unknown. */
    public String view(String id) throws JsonProcessingException {
        if (id == null || !id.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new Refused(404, "no such upload");
        }
        Map<String, Object> record = status.get(id);
        if (record == null || !"upload".equals(record.get("kind"))) {
            throw new Refused(404, "no such upload: " + id);
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("id", id);
        out.put("state", String.valueOf(record.get("state")));
        out.put("source", String.valueOf(record.get("source")));
        out.put("name", String.valueOf(record.get("name")));
        out.put("size", Long.parseLong(String.valueOf(record.getOrDefault("size", "0"))));
        if (record.get("sha256") != null) {
            out.put("sha256", String.valueOf(record.get("sha256")));
        }
        out.set("metadata", JSON.readTree(String.valueOf(record.getOrDefault("metadata", "{}"))));
        out.put("created", String.valueOf(record.get("created")));
        out.put("updated", String.valueOf(record.get("updated")));
        ObjectNode steps = out.putObject("steps");
        for (String step : String.valueOf(record.getOrDefault("steps", "")).split(",")) {
            if (step.isEmpty()) {
                continue;
            }
            ObjectNode s = steps.putObject(step);
            s.put("state", String.valueOf(record.getOrDefault("step." + step, "PENDING")));
            s.put("attempts", Integer.parseInt(String.valueOf(record.getOrDefault("tries." + step, "0"))));
            if (record.get("error." + step) != null) {
                s.put("last_error", String.valueOf(record.get("error." + step)));
            }
            String prefix = step.startsWith("bunny") ? "bunny." : step + ".";
            Map<String, Object> details = new TreeMap<>();
            record.forEach((k, v) -> {
                if (k.startsWith(prefix) && !k.endsWith("upload-id") && !k.equals("bunny.webhook-status")) {
                    details.put(k.substring(prefix.length()), v);
                }
            });
            if (step.equals("bunny-encoded")) {
                details.keySet().retainAll(List.of("encoded-at"));
            } else if (step.equals("bunny")) {
                details.remove("encoded-at");
            }
            details.forEach((k, v) -> s.put(k, String.valueOf(v)));
        }
        out.set("history", JSON.valueToTree(record.get("history")));
        return JSON.writeValueAsString(out);
    }

    private static JsonNode json(byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || !n.isObject()) {
                throw new Refused(400, "the body must be a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new Refused(400, "the body is not JSON: "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
    }

    private static Map<String, String> metadata(JsonNode req) {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode m = req.path("metadata");
        if (m.isMissingNode() || m.isNull()) {
            return out;
        }
        if (!m.isObject()) {
            throw new Refused(400, "metadata must be an object of strings");
        }
        m.fields().forEachRemaining(e -> {
            if (e.getValue().isContainerNode()) {
                throw new Refused(400, "metadata." + e.getKey() + " must be a string or a number");
            }
            out.put(e.getKey(), e.getValue().asText());
        });
        return out;
    }
}
