package io.camelcast.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.sim.SimServer.Request;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Opencast simulator's {@code GET /workflow/instances.json} over workflow instances a test
 * registered, filtered by mediapackage, state and definition as Opencast's workflow service does.
 */
final class OpencastWorkflows {

    private final List<ObjectNode> workflows = new CopyOnWriteArrayList<>();

    /** Adds one workflow instance, or each of an array of them. */
    void add(JsonNode body) {
        (body.isArray() ? body : SimServer.JSON.createArrayNode().add(body)).forEach(w -> workflows.add((ObjectNode) w));
    }

    int count() {
        return workflows.size();
    }

    void clear() {
        workflows.clear();
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
