package io.camelcast.opencast;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelcast.messages.PublishedRecording;
import io.camelcast.store.RecordingStatus;
import java.io.IOException;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Follows the workflow Opencast started for an ingest until it ends (routes/opencast-workflow.yaml): reads
 * the External API's {@code GET /api/workflows/{id}?withoperations=true} (Opencast 13 to 16 alike; API
 * version 1.1.0 and later), moves the recording from {@code SENT_TO_OPENCAST} to {@code OPENCAST_SUCCEEDED}
 * or {@code OPENCAST_FAILED} with Opencast's reason (the failed operation), which raises
 * {@code recording.published} / {@code recording.failed}; gives up after
 * {@code camelcast.opencast.workflow-give-up-minutes} with OPENCAST_FAILED and a reason saying so.
 *
 * <p>Why a delayed queue message and not a timer: the check is a durable SQS message that each check puts
 * back with a delay ({@code DelaySeconds}) while the workflow runs, so a restart or a crash loses nothing
 * (the message comes back), two instances share the checks as competing consumers, and no instance keeps
 * state in memory. A copy of the message (a crash between the send and the delete) only means a second,
 * harmless check: the end is claimed once in Redis, so the state changes and the event is raised once.
 */
public final class WorkflowTracking {

    private static final Logger LOG = LoggerFactory.getLogger(WorkflowTracking.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** SQS delays a message at most 15 minutes; a longer interval is checked every 15 minutes. */
    static final long MAX_DELAY_SECONDS = 900;
    /** An end claimed by a check that then died is taken over after this long. */
    static final long END_CLAIM_STALE_MILLIS = 60_000;

    /** What a check found: the workflow still runs, or it ended (once per workflow: DONE for a later copy). */
    public static final String RUNNING = "RUNNING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";

    private final RecordingStatus status;
    private final UnifiedJedis redis;
    private final long pollSeconds;
    private final long giveUpMillis;
    private final Clock clock;

    public WorkflowTracking(RecordingStatus status, UnifiedJedis redis, long pollSeconds, long giveUpMinutes, Clock clock) {
        if (pollSeconds < 1) {
            throw new IllegalArgumentException("camelcast.opencast.workflow-poll-seconds must be at least 1, not " + pollSeconds);
        }
        this.status = status;
        this.redis = redis;
        this.pollSeconds = pollSeconds;
        this.giveUpMillis = giveUpMinutes * 60_000L;
        this.clock = clock;
    }

    /** The workflow's verdict: its state (RUNNING, SUCCEEDED, FAILED) and, for FAILED, Opencast's reason. */
    public record Verdict(String state, String reason) {
    }

    /**
     * The first check of an ingest just accepted (or of a copy of its message that found it ingested, after a
     * crash that may have come before its workflow was followed); null when there is no workflow to follow.
     */
    public String first(Delivery d) throws JsonProcessingException {
        if (d.getWorkflowId() == null || d.getWorkflowId().isBlank()) {
            if (!d.isIgnored()) {
                LOG.warn("recording workflow not followed zip_id={} mediapackage={}: Opencast's ingest answer named no workflow",
                        d.getZipId(), d.getMediapackageId());
            }
            return null;
        }
        // the recording's Zoom account travels on, so the clean-up after the publish uses that account's app
        return JSON.writeValueAsString(new WorkflowCheck(d.getZipId(), d.getUuid(), d.getMediapackageId(), d.getWorkflowId(),
                d.getMessage() == null ? null : d.getMessage().account(), clock.millis(), 0));
    }

    /** The queue message; refused (to the DLQ at once) when it is not a workflow check. */
    public WorkflowCheck read(String body) throws IOException {
        WorkflowCheck c = JSON.readValue(body, WorkflowCheck.class);
        if (c == null || blank(c.zipId()) || blank(c.workflowId())) {
            throw new IllegalArgumentException("not a workflow check message (no zip_id/workflow_id)");
        }
        return c;
    }

    /** The External API path of the check's workflow. */
    public String path(WorkflowCheck c) {
        return "/api/workflows/" + c.workflowId();
    }

    /** Seconds until the next check. */
    public long delaySeconds() {
        return Math.min(pollSeconds, MAX_DELAY_SECONDS);
    }

    /** The check put back on the queue for the next look. */
    public String again(WorkflowCheck c) throws JsonProcessingException {
        return JSON.writeValueAsString(c.next());
    }

    /** The Zoom clean-up's message for a recording whose workflow succeeded. */
    public String published(WorkflowCheck c) throws JsonProcessingException {
        return JSON.writeValueAsString(new PublishedRecording(c.zipId(), c.uuid(), c.mediapackageId(), c.workflowId(), c.account()));
    }

    /**
     * After {@code GET /api/workflows/{id}}: RUNNING (check again), or the end, which moves the status record.
     * 404 (Opencast does not know the workflow, e.g. removed) is followed like a running workflow until the
     * give-up time, which then says so.
     */
    public String checked(WorkflowCheck c, Integer code, String body) throws IOException {
        Verdict v;
        if (code != null && code == 404) {
            v = new Verdict(RUNNING, "not found in Opencast");
        } else if (code == null || code / 100 != 2) {
            throw new IOException("Opencast answered HTTP " + code + " for workflow " + c.workflowId());
        } else {
            v = verdict(JSON.readTree(body == null || body.isBlank() ? "{}" : body));
        }
        if (RUNNING.equals(v.state())) {
            long minutes = (clock.millis() - c.ingestedAt()) / 60_000;
            if (clock.millis() - c.ingestedAt() < giveUpMillis) {
                LOG.debug("recording workflow running zip_id={} workflow_id={} check={} {}", c.zipId(), c.workflowId(),
                        c.checks() + 1, v.reason());
                return RUNNING;
            }
            v = new Verdict(FAILED, "gave up following Opencast workflow " + c.workflowId() + " after " + minutes
                    + " minutes: " + (v.reason().isEmpty() ? "still running" : v.reason()));
        }
        return ended(c, v);
    }

    /** The end, once: the status record changes (and raises its event) only for the check that claims it. */
    private String ended(WorkflowCheck c, Verdict v) {
        String finalState = SUCCEEDED.equals(v.state()) ? RecordingStatus.OPENCAST_SUCCEEDED : RecordingStatus.OPENCAST_FAILED;
        String key = "camelcast:opencast:workflow-ended:" + c.workflowId();
        long now = clock.millis();
        boolean mine = "OK".equals(redis.set(key, Long.toString(now), SetParams.setParams().nx().ex(30L * 86_400)));
        if (!mine && !finalState.equals(status.state(c.zipId()))) {
            // the claimer may have died before it wrote the state: a stale claim is taken over
            String at = redis.get(key);
            mine = at == null || now - parse(at) > END_CLAIM_STALE_MILLIS;
        }
        if (mine) {
            status.set(c.zipId(), finalState, v.reason(), Map.of("mediapackage_id", nz(c.mediapackageId()),
                    "workflow_id", c.workflowId()));
            if (SUCCEEDED.equals(v.state())) {
                LOG.info("recording published zip_id={} mediapackage={} workflow_id={} state={} checks={}", c.zipId(),
                        c.mediapackageId(), c.workflowId(), finalState, c.checks() + 1);
            } else {
                LOG.warn("recording failed in Opencast zip_id={} mediapackage={} workflow_id={} state={} reason=\"{}\"",
                        c.zipId(), c.mediapackageId(), c.workflowId(), finalState, v.reason());
            }
        }
        // a copy of the check still hands a success on: the clean-up is idempotent, and the copy may be the one
        // that comes back after the claimer died between the state and the hand-over
        return v.state();
    }

    /**
     * Opencast's workflow instance as its verdict. The External API writes states in lower case
     * (instantiated, running, paused, stopped, failing, failed, succeeded); the workflow service's own JSON in
     * upper case: both are read. {@code failing} runs the error handler and ends in failed; {@code paused} waits
     * (for a person, or a hold) and is followed until the give-up time.
     */
    static Verdict verdict(JsonNode wf) {
        JsonNode w = wf.has("workflow") ? wf.get("workflow") : wf;
        String state = w.path("state").asText("").toLowerCase(Locale.ROOT);
        String id = w.path("identifier").asText(w.path("id").asText(""));
        return switch (state) {
            case "succeeded" -> new Verdict(SUCCEEDED, "");
            case "failed" -> new Verdict(FAILED, "Opencast workflow " + id + " failed" + failedOperation(w));
            case "stopped" -> new Verdict(FAILED, "Opencast workflow " + id + " was stopped");
            default -> new Verdict(RUNNING, state.isEmpty() ? "" : "still " + state + currentOperation(w));
        };
    }

    /** " at operation encode (Encoding video)", from the first operation in state failed; "" when none says. */
    private static String failedOperation(JsonNode w) {
        for (JsonNode op : operations(w)) {
            if ("failed".equalsIgnoreCase(op.path("state").asText())) {
                String name = op.path("operation").asText(op.path("id").asText(""));
                String description = op.path("description").asText("");
                return " at operation " + name + (description.isBlank() ? "" : " (" + description + ")");
            }
        }
        return "";
    }

    private static String currentOperation(JsonNode w) {
        for (JsonNode op : operations(w)) {
            String s = op.path("state").asText("").toLowerCase(Locale.ROOT);
            if (s.equals("running") || s.equals("paused")) {
                return " at operation " + op.path("operation").asText(op.path("id").asText(""));
            }
        }
        return "";
    }

    /** The External API's {@code operations} array, or the workflow service's {@code operations.operation}. */
    private static Iterable<JsonNode> operations(JsonNode w) {
        JsonNode ops = w.path("operations");
        if (ops.has("operation")) {
            ops = ops.get("operation");
        }
        return ops.isArray() ? ops : ops.isObject() ? java.util.List.of(ops) : java.util.List.of();
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
