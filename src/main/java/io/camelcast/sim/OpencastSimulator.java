package io.camelcast.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stateful stand-in for an Opencast admin + engage node, written from Opencast's REST
 * documentation: HTTP Digest authentication, the ingest service ({@code addMediaPackage} as the Zoom
 * ingester uses it and the step-wise API), which downloads every media URL it is given as Opencast
 * does, the External API's events, series, search, usertracking and workflow endpoints.
 *
 * <p>{@code GET /_sim/ingests} shows every mediapackage received, with its fields in received order
 * and each media URL's byte count and SHA-256, so a test can see a broken presigned URL fail.
 */
public final class OpencastSimulator extends SimServer {

    public static final String DEFAULT_USER = "opencast_system_account";
    public static final String DEFAULT_PASSWORD = "CHANGE_ME";

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final OpencastDigestAuth auth;
    private final OpencastWorkflows workflows = new OpencastWorkflows();
    private final OpencastIngest ingest = new OpencastIngest(workflows);
    private final OpencastCatalog catalog = new OpencastCatalog();
    private final OpencastUsertracking usertracking;
    private final OpencastTracks tracks = new OpencastTracks(ingest::latest);

    public OpencastSimulator() {
        super("opencast");
        auth = new OpencastDigestAuth(this::track);
        usertracking = new OpencastUsertracking(catalog::episodeIds);
        on("POST", "/ingest/addMediaPackage(?:/([^/]+))?", r -> auth.secured(r, ingest::addMediaPackage));
        on("POST", "/ingest/createMediaPackage", r -> auth.secured(r, ingest::createMediaPackage));
        on("POST", "/ingest/addDCCatalog", r -> auth.secured(r, x -> ingest.addElement(x, "catalog")));
        on("POST", "/ingest/addTrack", r -> auth.secured(r, x -> ingest.addElement(x, "track")));
        on("POST", "/ingest/addAttachment", r -> auth.secured(r, x -> ingest.addElement(x, "attachment")));
        on("POST", "/ingest/ingest(?:/([^/]+))?", r -> auth.secured(r, ingest::ingestStepwise));
        on("GET", "/api/events/([^/]+)", r -> auth.secured(r, ingest::event));
        on("POST", "/api/events/([^/]+)/track", r -> auth.secured(r, tracks::addTrack));
        on("GET", "/series/([^/]+)\\.json", r -> auth.secured(r, catalog::seriesJson));
        on("GET", "/search/episode\\.json", r -> auth.secured(r, catalog::searchEpisode));
        on("GET", "/usertracking/actions\\.json", r -> auth.secured(r, usertracking::userActions));
        on("GET", "/workflow/instances\\.json", r -> auth.secured(r, workflows::workflowInstances));
        // the External API's workflow instance: each ingest's workflow runs for a while, then ends
        on("GET", "/api/workflows/([^/]+)", r -> auth.secured(r, workflows::workflow));
        on("POST", "/_sim/workflows/outcome", workflows::outcome);
        on("POST", "/_sim/workflows/timing", workflows::timing);
        // Opencast's health check (no authentication): the application/health+json draft it implements
        on("GET", "/info/health", r -> r.json(200, Map.of("status", "pass", "version", "1", "releaseId", "16",
                "serviceId", "simulator", "description", "Opencast node's health status")));
        on("GET", "/_sim/ingests", r -> r.json(200, ingest.list()));
        on("GET", "/_sim/requests", r -> r.json(200, requests));
        on("POST", "/_sim/series/([^/]+)", r -> r.json(201, registerSeries(r.path(1), JSON.readTree(r.body()))));
        on("POST", "/_sim/episodes", r -> {
            JsonNode body = JSON.readTree(r.body());
            (body.isArray() ? body : JSON.createArrayNode().add(body)).forEach(e -> registerEpisode((ObjectNode) e));
            r.json(201, Map.of("episodes", catalog.episodeCount()));
        });
        on("POST", "/_sim/actions", r -> {
            addActions((ArrayNode) JSON.readTree(r.body()));
            r.json(201, Map.of("actions", usertracking.count()));
        });
        on("POST", "/_sim/actions/generate", r -> {
            ObjectNode generator = (ObjectNode) JSON.readTree(r.body());
            usertracking.generate(generator);
            r.json(201, generator);
        });
        on("POST", "/_sim/workflows", r -> {
            workflows.add(JSON.readTree(r.body()));
            r.json(201, Map.of("workflows", workflows.count()));
        });
        on("DELETE", "/_sim/state", r -> {
            reset();
            r.empty(204);
        });
        loadFixtures();
    }

    // ---- state -------------------------------------------------------------------------------

    public void setCredentials(String user, String password) {
        auth.setCredentials(user, password);
    }

    public List<Map<String, Object>> ingests() {
        return ingest.list();
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** Waits until at least {@code n} ingests arrived; returns them. */
    public List<Map<String, Object>> awaitIngests(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ingest.count() < n && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return ingests();
    }

    /** Registers a series: Opencast's Dublin Core JSON as is, or {@code {title, ...}} turned into it. */
    public JsonNode registerSeries(String id, JsonNode body) {
        return catalog.registerSeries(id, body);
    }

    public JsonNode registerSeries(String id, String title) {
        return registerSeries(id, JSON.createObjectNode().put("title", title));
    }

    /** Registers a search result episode: {id, title, start, duration (ms), series, seriestitle, ...}. */
    public void registerEpisode(ObjectNode episode) {
        catalog.registerEpisode(episode);
    }

    public void addActions(ArrayNode list) {
        usertracking.addActions(list);
    }

    /** The next {@code count} workflows an ingest starts end FAILED at {@code operation} (null: encode). */
    public void failNextWorkflows(int count, String operation) {
        workflows.outcome("FAILED", count, operation);
    }

    /** How long each workflow an ingest starts from now on runs before it ends (3 s unless changed). */
    public void setWorkflowDuration(Duration duration) {
        workflows.setDuration(duration);
    }

    public void reset() {
        ingest.clear();
        catalog.clear();
        usertracking.clear();
        workflows.clear();
        requests.clear();
        faults().clear();
    }

    private void loadFixtures() {
        try (InputStream in = getClass().getResourceAsStream("/sim/opencast/fixtures.json")) {
            if (in == null) {
                return;
            }
            JsonNode f = JSON.readTree(in);
            f.path("series").fields().forEachRemaining(e -> registerSeries(e.getKey(), e.getValue()));
            f.path("episodes").forEach(e -> registerEpisode((ObjectNode) e));
            if (f.has("actions")) {
                addActions((ArrayNode) f.get("actions"));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the Opencast simulator fixtures", e);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private void track(Request r) {
        String q = r.uri().getRawQuery();
        requests.add(r.method() + " " + r.uri().getRawPath() + (q == null ? "" : "?" + q));
    }

    static String mediapackageId(String xml) {
        return OpencastIngest.mediapackageId(xml);
    }
}
