package io.camelcast.analytics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;

/**
 * {@code camelcast es setup}: the four composable index templates (modern versions of the seed's
 * {@code index_templates/}: keyword strings, boolean {@code is_live}/{@code live_stream}, geo_point
 * {@code geoip.location}, dates), each matching the index pattern configured for it, and, when
 * {@code camelcast.kibana.url} is set, the Kibana saved objects (data views, visualizations, a map and a
 * dashboard) through Kibana's import API.
 */
public final class EsSetup {

    static final List<String> TEMPLATES = List.of("useractions", "episodes", "meetings", "sessions");
    public static final String KIBANA_OBJECTS = "/elasticsearch/kibana/camelcast.ndjson";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RestClient client;
    private final IndexNames indexNames;

    public EsSetup(RestClient client, IndexNames indexNames) {
        this.client = client;
        this.indexNames = indexNames;
    }

    /** Installs (or replaces) the templates; returns template name → index pattern. */
    public Map<String, String> installTemplates() throws IOException {
        return installTemplates(null);
    }

    /** The dated index patterns (one index per day), which the retention policy applies to. */
    public List<String> datedPatterns() {
        List<String> out = new ArrayList<>();
        for (String p : List.of(indexNames.useractions(), indexNames.meetings(), indexNames.sessions())) {
            if (!IndexNames.wildcard(p).equals(p)) {
                out.add(IndexNames.wildcard(p));
            }
        }
        return out;
    }

    /**
     * As {@link #installTemplates()}; with {@code ilmPolicy} (Elasticsearch), the dated indices' templates name it
     * in {@code index.lifecycle.name}.
     */
    public Map<String, String> installTemplates(String ilmPolicy) throws IOException {
        Map<String, String> installed = new LinkedHashMap<>();
        for (String name : TEMPLATES) {
            ObjectNode template = template(name);
            String pattern = IndexNames.wildcard(switch (name) {
                case "useractions" -> indexNames.useractions();
                case "episodes" -> indexNames.episodes();
                case "meetings" -> indexNames.meetings();
                default -> indexNames.sessions();
            });
            template.putArray("index_patterns").add(pattern);
            if (ilmPolicy != null && datedPatterns().contains(pattern)) {
                template.with("template").with("settings").put("index.lifecycle.name", ilmPolicy);
            }
            Request r = new Request("PUT", "/_index_template/camelcast-" + name);
            r.setEntity(new NStringEntity(JSON.writeValueAsString(template), ContentType.APPLICATION_JSON));
            client.performRequest(r);
            installed.put("camelcast-" + name, pattern);
        }
        return installed;
    }

    static ObjectNode template(String name) {
        try (InputStream in = EsSetup.class.getResourceAsStream("/elasticsearch/templates/" + name + ".json")) {
            ObjectNode t = (ObjectNode) JSON.readTree(in);
            t.remove("_comment");
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kibana's saved-objects import (overwrite): returns Kibana's answer, or throws with its status. */
    public static String importKibanaObjects(String kibanaUrl, String user, String password) throws IOException, InterruptedException {
        byte[] objects;
        try (InputStream in = EsSetup.class.getResourceAsStream(KIBANA_OBJECTS)) {
            objects = in.readAllBytes();
        }
        String boundary = "camelcast-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"camelcast.ndjson\"\r\n"
                + "Content-Type: application/ndjson\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(kibanaUrl.replaceAll("/+$", "") + "/api/saved_objects/_import?overwrite=true"))
                .timeout(Duration.ofSeconds(60))
                .header("kbn-xsrf", "true")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArrays(List.of(head, objects, tail)));
        if (user != null && !user.isBlank()) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("Kibana answered HTTP " + r.statusCode() + " to the saved objects import: " + r.body());
        }
        // Kibana answers 200 even when objects fail (missing references, conflicts): read it
        var answer = JSON.readTree(r.body());
        if (!answer.path("success").asBoolean(false)) {
            throw new IOException("Kibana did not import the saved objects: " + answer.path("errors"));
        }
        return r.body();
    }

    /** The saved objects' ids and types (for the CLI's report). */
    public static List<String> kibanaObjects() throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream in = EsSetup.class.getResourceAsStream(KIBANA_OBJECTS)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    var o = JSON.readTree(line);
                    out.add(o.path("type").asText() + " " + o.path("id").asText());
                }
            }
        }
        return out;
    }
}
