package io.camelcast.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.sim.SimServer.Request;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Opencast simulator's workflow service: {@code GET /workflow/instances.json} over workflow instances a
 * test registered, filtered by mediapackage, state and definition as Opencast's workflow service does; and
 * the workflow each ingest starts, which runs its operations for {@code durationMs} and then succeeds, or
 * fails at one operation when {@code POST /_sim/workflows/outcome {"state":"FAILED","count":N}} said so.
 * Those are read as the External API shows them ({@code GET /api/workflows/{id}?withoperations=true}:
 * {@code state} lower case, each operation with its own {@code state}; Opencast 13 to 16 answer the same).
 */
final class OpencastWorkflows {

    /** The operations of the simulated workflow, in order, as Opencast's schedule-and-upload runs them. */
    static final List<String[]> OPERATIONS = List.of(
            new String[] {"defaults", "Applying default configuration values"},
            new String[] {"inspect", "Inspecting audio and video streams"},
            new String[] {"encode", "Encoding video"},
            new String[] {"publish-engage", "Publishing to Engage"},
            new String[] {"snapshot", "Archiving"},
            new String[] {"cleanup", "Cleaning up"});
    static final String DEFAULT_FAILING_OPERATION = "encode";

    private final List<ObjectNode> workflows = new CopyOnWriteArrayList<>();
    private final Map<Long, Started> started = new ConcurrentHashMap<>();
    private volatile long durationMs = 3000;
    private int failNext;
    private String failAt = DEFAULT_FAILING_OPERATION;

    /** A workflow an ingest started: when, and at which operation it fails (null: it succeeds). */
    record Started(long id, String mediapackageId, String definition, Instant at, long durationMs, String failsAt) {
    }

    /** Adds one workflow instance, or each of an array of them. */
    void add(JsonNode body) {
        (body.isArray() ? body : SimServer.JSON.createArrayNode().add(body)).forEach(w -> workflows.add((ObjectNode) w));
    }

    int count() {
        return workflows.size();
    }

    void clear() {
        workflows.clear();
        started.clear();
        synchronized (this) {
            failNext = 0;
            failAt = DEFAULT_FAILING_OPERATION;
        }
        durationMs = 3000;
    }

    /** How long each workflow started from now on runs before it ends. */
    void setDuration(Duration d) {
        durationMs = Math.max(0, d.toMillis());
    }

    /** The next {@code count} workflows end in {@code state} (FAILED at {@code operation}, or SUCCEEDED). */
    synchronized void outcome(String state, int count, String operation) {
        if ("FAILED".equalsIgnoreCase(state)) {
            failNext = Math.max(0, count);
            failAt = operation == null || operation.isBlank() ? DEFAULT_FAILING_OPERATION : operation;
        } else {
            failNext = 0;
        }
    }

    /** {@code POST /_sim/workflows/outcome {"state","count","operation"?}}. */
    void outcome(Request r) throws IOException {
        JsonNode b = SimServer.JSON.readTree(r.body());
        String state = b.path("state").asText("");
        if (!"FAILED".equalsIgnoreCase(state) && !"SUCCEEDED".equalsIgnoreCase(state)) {
            r.json(400, Map.of("message", "state must be FAILED or SUCCEEDED"));
            return;
        }
        outcome(state, b.path("count").asInt(1), b.path("operation").asText(null));
        r.json(200, Map.of("state", state.toUpperCase(Locale.ROOT), "count", b.path("count").asInt(1)));
    }

    /** {@code POST /_sim/workflows/timing {"durationMs"}}. */
    void timing(Request r) throws IOException {
        setDuration(Duration.ofMillis(SimServer.JSON.readTree(r.body()).path("durationMs").asLong(3000)));
        r.json(200, Map.of("durationMs", durationMs));
    }

    /** An ingest started workflow {@code id} over {@code mediapackageId}. */
    void started(long id, String mediapackageId, String definition) {
        String failsAt = null;
        synchronized (this) {
            if (failNext > 0) {
                failNext--;
                failsAt = failAt;
            }
        }
        started.put(id, new Started(id, mediapackageId, definition, Instant.now(), durationMs, failsAt));
    }

    /** Workflow {@code id} as the External API shows it now (with its operations), or an empty object. */
    ObjectNode instanceNow(long id) {
        Started w = started.get(id);
        return w == null ? SimServer.JSON.createObjectNode() : instance(w, true, Instant.now());
    }

    /** {@code GET /api/workflows/{id}[?withoperations=true]}: the External API's workflow instance. */
    void workflow(Request r) throws IOException {
        Started w;
        try {
            w = started.get(Long.parseLong(r.path(1)));
        } catch (NumberFormatException e) {
            w = null;
        }
        if (w == null) {
            r.text(404, "Not Found");
            return;
        }
        r.json(200, instance(w, "true".equalsIgnoreCase(r.query("withoperations")), Instant.now()));
    }

    /** The instance at {@code now}: operations run one after the other over the workflow's duration. */
    static ObjectNode instance(Started w, boolean withOperations, Instant now) {
        int n = OPERATIONS.size();
        int failIndex = -1;
        for (int i = 0; w.failsAt() != null && i < n; i++) {
            if (OPERATIONS.get(i)[0].equals(w.failsAt())) {
                failIndex = i;
            }
        }
        if (w.failsAt() != null && failIndex < 0) {
            failIndex = 2;
        }
        long elapsed = Duration.between(w.at(), now).toMillis();
        // how many operations have ended by now
        int done = w.durationMs() <= 0 ? n : (int) Math.min(n, elapsed * n / w.durationMs());
        String state;
        if (failIndex >= 0 && done > failIndex) {
            state = "failed";
        } else if (done >= n) {
            state = "succeeded";
        } else {
            state = "running";
        }
        ObjectNode o = SimServer.JSON.createObjectNode();
        o.put("identifier", w.id());
        o.put("title", "Schedule and upload");
        o.put("description", "Process the recording and publish it");
        o.putArray("tags").add("upload").add("schedule");
        o.put("configuration_panel", "");
        o.put("state", state);
        o.put("workflow_definition_identifier", w.definition());
        o.put("event_identifier", w.mediapackageId());
        o.put("creator", "Opencast Project Administrator");
        if (withOperations) {
            ArrayNode ops = o.putArray("operations");
            long step = Math.max(1, w.durationMs() / n);
            for (int i = 0; i < n; i++) {
                ObjectNode op = ops.addObject();
                op.put("identifier", w.id() * 100 + i + 1);
                op.put("operation", OPERATIONS.get(i)[0]);
                op.put("description", OPERATIONS.get(i)[1]);
                String opState;
                if (failIndex >= 0 && i > failIndex && done > failIndex) {
                    opState = "instantiated"; // never run: the workflow failed before it
                } else if (failIndex == i && done > i) {
                    opState = "failed";
                } else if (i < done) {
                    opState = "succeeded";
                } else if (i == done) {
                    opState = "running";
                } else {
                    opState = "instantiated";
                }
                op.put("state", opState);
                op.put("time_in_queue", 0);
                op.put("host", "http://localhost:8080");
                op.put("if", "");
                op.put("fail_workflow_on_error", true);
                op.put("error_handler_workflow", "partial-error");
                op.put("retry_strategy", "none");
                op.put("max_attempts", 1);
                op.put("failed_attempts", "failed".equals(opState) ? 1 : 0);
                op.putObject("configuration");
                if (!"instantiated".equals(opState)) {
                    op.put("start", w.at().plusMillis(step * i).toString());
                }
                if ("succeeded".equals(opState) || "failed".equals(opState)) {
                    op.put("completion", w.at().plusMillis(step * (i + 1)).toString());
                }
            }
        }
        return o;
    }

    void workflowInstances(Request r) throws IOException {
        String mp = r.query("mp");
        String state = r.query("state");
        String definition = r.query("workflowdefinition");
        List<ObjectNode> matching = workflows.stream()
                .filter(w -> mp == null || mp.equals(w.path("mediapackage").path("id").asText(w.path("mp").asText())))
                .filter(w -> state == null || state.equalsIgnoreCase(w.path("state").asText()))
                .filter(w -> definition == null || definition.equals(w.path("template").asText()))
                .toList();
        ObjectNode out = SimServer.JSON.createObjectNode();
        ObjectNode wf = out.putObject("workflows");
        wf.put("totalCount", matching.size());
        wf.put("startPage", 0);
        wf.put("count", matching.size());
        if (matching.size() == 1) {
            wf.set("workflow", matching.get(0));
        } else if (!matching.isEmpty()) {
            ArrayNode arr = wf.putArray("workflow");
            matching.forEach(arr::add);
        }
        r.json(200, out);
    }
}
