package io.camelcast.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * {@code es setup}'s index lifecycle: the dated analytics indices (useractions, meetings, sessions: one index
 * per day) are deleted {@code camelcast.es.retention-days} after they were created. Elasticsearch gets an ILM
 * policy ({@code PUT _ilm/policy/camelcast-retention}) that the index templates name in
 * {@code index.lifecycle.name}; OpenSearch, which has no ILM, gets the Index State Management equivalent
 * ({@code _plugins/_ism/policies/camelcast-retention}) whose {@code ism_template} attaches it to new indices of
 * the same patterns. The episodes index is one index for all time and is never given the policy.
 */
public final class RetentionPolicy {

    public static final String NAME = "camelcast-retention";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What was installed: the engine kind and a line for the CLI. */
    public record Result(boolean opensearch, boolean installed, String report) {
    }

    private final RestClient client;

    public RetentionPolicy(RestClient client) {
        this.client = client;
    }

    /** True when the engine is OpenSearch ({@code GET /} says {@code version.distribution: opensearch}). */
    public boolean isOpenSearch() throws IOException {
        JsonNode root = JSON.readTree(client.performRequest(new Request("GET", "/")).getEntity().getContent());
        return "opensearch".equals(root.path("version").path("distribution").asText());
    }

    /** Installs (or replaces) the policy for {@code patterns}, deleting indices {@code days} after creation. */
    public Result install(int days, List<String> patterns) throws IOException {
        if (days <= 0) {
            return new Result(false, false, "retention: camelcast.es.retention-days is " + days + ": indices are kept forever");
        }
        if (!isOpenSearch()) {
            put("/_ilm/policy/" + NAME, ilm(days));
            return new Result(false, true, "retention: ILM policy " + NAME + " deletes " + String.join(", ", patterns)
                    + " indices " + days + " days after creation");
        }
        String path = "/_plugins/_ism/policies/" + NAME;
        try {
            String query = "";
            try {
                JsonNode existing = JSON.readTree(client.performRequest(new Request("GET", path)).getEntity().getContent());
                query = "?if_seq_no=" + existing.path("_seq_no").asLong() + "&if_primary_term=" + existing.path("_primary_term").asLong();
            } catch (ResponseException e) {
                if (e.getResponse().getStatusLine().getStatusCode() != 404 || noIsm(e)) {
                    throw e;
                }
            }
            put(path + query, ism(days, patterns));
        } catch (ResponseException e) {
            if (noIsm(e)) {
                return new Result(true, false, "retention: this OpenSearch has no Index State Management plugin"
                        + " (opensearch-index-management): indices are kept; delete old ones yourself or install the plugin");
            }
            throw e;
        }
        return new Result(true, true, "retention: ISM policy " + NAME + " deletes " + String.join(", ", patterns)
                + " indices " + days + " days after creation");
    }

    /** An engine without the plugin answers "no handler found for uri" (400) or 404 without an ISM error type. */
    private static boolean noIsm(ResponseException e) {
        String body;
        try {
            body = new String(e.getResponse().getEntity().getContent().readAllBytes());
        } catch (IOException | RuntimeException x) {
            body = "";
        }
        return body.contains("no handler found") || (e.getResponse().getStatusLine().getStatusCode() == 404 && !body.contains("policy"));
    }

    private void put(String path, ObjectNode body) throws IOException {
        Request r = new Request("PUT", path);
        r.setEntity(new NStringEntity(JSON.writeValueAsString(body), ContentType.APPLICATION_JSON));
        Response ignored = client.performRequest(r);
    }

    /** Elasticsearch ILM: a hot phase, then delete at {@code days}. */
    static ObjectNode ilm(int days) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode phases = root.putObject("policy").putObject("phases");
        phases.putObject("hot").put("min_age", "0ms").putObject("actions");
        ObjectNode delete = phases.putObject("delete");
        delete.put("min_age", days + "d");
        delete.putObject("actions").putObject("delete");
        return root;
    }

    /** OpenSearch ISM: hot, then delete once the index is {@code days} old; attached to new indices of the patterns. */
    static ObjectNode ism(int days, List<String> patterns) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode policy = root.putObject("policy");
        policy.put("description", "Camelcast analytics: delete daily indices after " + days + " days (camelcast.es.retention-days)");
        policy.put("default_state", "hot");
        ArrayNode states = policy.putArray("states");
        ObjectNode hot = states.addObject();
        hot.put("name", "hot");
        hot.putArray("actions");
        hot.putArray("transitions").addObject().put("state_name", "delete").putObject("conditions").put("min_index_age", days + "d");
        ObjectNode delete = states.addObject();
        delete.put("name", "delete");
        delete.putArray("actions").addObject().putObject("delete");
        delete.putArray("transitions");
        ObjectNode template = policy.putArray("ism_template").addObject();
        ArrayNode p = template.putArray("index_patterns");
        patterns.forEach(p::add);
        template.put("priority", 100);
        return root;
    }
}
