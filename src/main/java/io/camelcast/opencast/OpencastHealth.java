package io.camelcast.opencast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Opencast's own health endpoint, {@code GET /info/health} (Opencast 8+, no authentication, the
 * {@code application/health+json} draft): the probe of the {@code opencast} readiness check. Opencast
 * answering 5xx, timing out, closing the connection or saying {@code "status": "fail"} is DOWN; the
 * recording flow keeps retrying meanwhile, health only tells the operator why ingests wait.
 */
public final class OpencastHealth {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final URI uri;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    public OpencastHealth(String opencastUrl) {
        this.uri = URI.create(opencastUrl.replaceAll("/+$", "") + "/info/health");
    }

    /** Returns when Opencast says it is well; throws with the reason otherwise. */
    public void check() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("GET /info/health answered HTTP " + r.statusCode());
        }
        String status = status(r.body());
        if ("fail".equalsIgnoreCase(status)) {
            throw new IOException("Opencast reports status fail");
        }
    }

    /** The {@code status} field ("pass", "warn" or "fail"), or null when the body has none. */
    static String status(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n == null || !n.path("status").isTextual() ? null : n.path("status").asText();
        } catch (IOException e) {
            return null;
        }
    }
}
