package io.camelcast.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.sim.SimServer.Request;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Opencast simulator's registered metadata: series ({@code GET /series/{id}.json}, which delivery
 * checks before an ingest) and published episodes ({@code GET /search/episode.json}, which analytics
 * reads). Tests and the fixtures register them; nothing here is derived from ingests.
 */
final class OpencastCatalog {

    private final Map<String, JsonNode> series = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> episodes = new ConcurrentHashMap<>();

    /** See {@link OpencastSimulator#registerSeries(String, JsonNode)}. */
    JsonNode registerSeries(String id, JsonNode body) {
        JsonNode catalog = body;
        if (!body.has("http://purl.org/dc/terms/")) {
            ObjectNode dc = SimServer.JSON.createObjectNode();
            ObjectNode terms = dc.putObject("http://purl.org/dc/terms/");
            terms.putArray("identifier").addObject().put("value", id);
            body.fields().forEachRemaining(e -> terms.putArray(e.getKey()).addObject().put("value", e.getValue().asText()));
            catalog = dc;
        }
        series.put(id, catalog);
        return catalog;
    }

    void registerEpisode(ObjectNode episode) {
        episodes.put(episode.get("id").asText(), episode);
    }

    int episodeCount() {
        return episodes.size();
    }

    /** The registered episodes' ids (mediapackage ids). */
    List<String> episodeIds() {
        return List.copyOf(episodes.keySet());
    }

    void clear() {
        series.clear();
        episodes.clear();
    }

    void seriesJson(Request r) throws IOException {
        JsonNode s = series.get(r.path(1));
        if (s == null) {
            r.text(404, "Not Found");
            return;
        }
        r.json(200, s);
    }

    void searchEpisode(Request r) throws IOException {
        String id = r.query("id");
        ObjectNode e = id == null ? null : episodes.get(id);
        ObjectNode results = SimServer.JSON.createObjectNode();
        ObjectNode sr = results.putObject("search-results");
        sr.put("offset", 0);
        sr.put("limit", 1);
        sr.put("total", e == null ? 0 : 1);
        sr.put("searchTime", 1);
        if (e != null) {
            ObjectNode result = sr.putObject("result");
            result.put("id", id);
            result.put("org", "mh_default_org");
            result.put("mediaType", "AudioVisual");
            result.put("dcTitle", e.path("title").asText());
            result.put("dcCreated", e.path("start").asText());
            result.put("dcIsPartOf", e.path("series").asText());
            result.put("dcExtent", e.path("duration").asLong());
            result.put("dcSpatial", e.path("spatial").asText(""));
            result.put("dcDescription", e.path("description").asText(""));
            result.put("dcContributor", e.path("contributor").asText(""));
            ObjectNode mp = result.putObject("mediapackage");
            mp.put("id", id);
            mp.put("title", e.path("title").asText());
            mp.put("start", e.path("start").asText());
            mp.put("duration", e.path("duration").asLong());
            mp.put("series", e.path("series").asText());
            mp.put("seriestitle", e.path("seriestitle").asText());
            mp.putObject("creators").putArray("creator").add(e.path("creator").asText("Instructor"));
            mp.set("attachments", e.path("attachments").isMissingNode() ? SimServer.JSON.createObjectNode() : e.get("attachments"));
        }
        r.json(200, results);
    }
}
