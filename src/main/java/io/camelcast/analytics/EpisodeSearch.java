package io.camelcast.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Reads Opencast's {@code search/episode.json} answer: {@code search-results.result} is one object, a
 * list, or absent (no such episode). Returns the result whose mediapackage is {@code mpid}, or null.
 */
public final class EpisodeSearch {

    private static final ObjectMapper JSON = new ObjectMapper();

    public JsonNode result(String mpid, String body) throws IOException {
        JsonNode result = JSON.readTree(body == null || body.isBlank() ? "{}" : body).path("search-results").path("result");
        if (result.isObject()) {
            return matches(result, mpid) ? result : null;
        }
        for (JsonNode r : result) {
            if (matches(r, mpid)) {
                return r;
            }
        }
        return null;
    }

    private static boolean matches(JsonNode r, String mpid) {
        return mpid.equals(r.path("id").asText()) || mpid.equals(r.path("mediapackage").path("id").asText());
    }
}
