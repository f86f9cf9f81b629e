package io.camelcast.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for Kibana's saved-objects API (Kibana cannot run here), written from its documentation:
 * {@code POST /api/saved_objects/_import} (multipart {@code file}, {@code kbn-xsrf} required, NDJSON one
 * object per line, references must resolve to an object in the file or already saved, {@code overwrite})
 * answering {@code {success, successCount, errors}}, and {@code GET /api/saved_objects/_find?type=}.
 */
public final class KibanaSimulator extends SimServer {

    private final Map<String, JsonNode> objects = new LinkedHashMap<>();

    public KibanaSimulator() {
        super("kibana");
        on("POST", "/api/saved_objects/_import", this::importObjects);
        on("GET", "/api/saved_objects/_find", this::find);
    }

    /** Saved objects by "type:id". */
    public synchronized Map<String, JsonNode> objects() {
        return new LinkedHashMap<>(objects);
    }

    private synchronized void importObjects(Request r) throws Exception {
        if (r.header("kbn-xsrf") == null) {
            r.json(400, Map.of("statusCode", 400, "error", "Bad Request", "message", "Request must contain a kbn-xsrf header."));
            return;
        }
        String ndjson = null;
        for (String[] f : Forms.parse(r.header("Content-Type"), r.body(), true)) {
            if ("file".equals(f[0])) {
                ndjson = f[1];
            }
        }
        if (ndjson == null) {
            r.json(400, Map.of("statusCode", 400, "error", "Bad Request", "message", "[request body.file]: expected value of type [Stream]"));
            return;
        }
        boolean overwrite = "true".equals(r.query("overwrite"));
        Map<String, JsonNode> incoming = new LinkedHashMap<>();
        for (String line : ndjson.split("\n")) {
            if (!line.isBlank()) {
                JsonNode o = JSON.readTree(line.getBytes(StandardCharsets.UTF_8));
                incoming.put(o.path("type").asText() + ":" + o.path("id").asText(), o);
            }
        }
        ArrayNode errors = JSON.createArrayNode();
        int success = 0;
        for (Map.Entry<String, JsonNode> e : incoming.entrySet()) {
            JsonNode o = e.getValue();
            for (JsonNode ref : o.path("references")) {
                String key = ref.path("type").asText() + ":" + ref.path("id").asText();
                if (!incoming.containsKey(key) && !objects.containsKey(key)) {
                    ObjectNode err = errors.addObject().put("id", o.path("id").asText()).put("type", o.path("type").asText());
                    err.putObject("error").put("type", "missing_references").putArray("references").addObject()
                            .put("type", ref.path("type").asText()).put("id", ref.path("id").asText());
                }
            }
            if (objects.containsKey(e.getKey()) && !overwrite) {
                errors.addObject().put("id", o.path("id").asText()).put("type", o.path("type").asText())
                        .putObject("error").put("type", "conflict");
            }
        }
        if (errors.isEmpty()) {
            objects.putAll(incoming);
            success = incoming.size();
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("success", errors.isEmpty());
        out.put("successCount", success);
        if (!errors.isEmpty()) {
            out.set("errors", errors);
        }
        r.json(200, out);
    }

    private synchronized void find(Request r) throws Exception {
        String type = r.query("type");
        List<JsonNode> found = objects.values().stream().filter(o -> type == null || type.equals(o.path("type").asText())).toList();
        r.json(200, Map.of("page", 1, "per_page", found.size(), "total", found.size(), "saved_objects", found));
    }
}
