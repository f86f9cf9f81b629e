package io.camelcast.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.sim.SimServer.Request;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Opencast simulator's ingest service ({@code addMediaPackage} and the step-wise API), which
 * downloads every media URL it is given as Opencast does, and the External API's
 * {@code GET /api/events/{id}} over what was ingested. Keeps each mediapackage received, with its
 * fields in order and each URL's byte count and SHA-256, so a test can see a broken URL fail.
 */
final class OpencastIngest {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(10)).build();
    private static final Pattern MP_ID = Pattern.compile("<(?:\\w+:)?mediapackage[^>]*\\bid=\"([^\"]+)\"");

    private final AtomicLong workflowIds = new AtomicLong(1000);
    private final List<Map<String, Object>> ingests = new CopyOnWriteArrayList<>();
    private final Map<String, Map<String, Object>> pending = new ConcurrentHashMap<>();
    /** Runs the workflow an accepted ingest starts. */
    private final OpencastWorkflows workflows;

    OpencastIngest(OpencastWorkflows workflows) {
        this.workflows = workflows;
    }

    List<Map<String, Object>> list() {
        return List.copyOf(ingests);
    }

    int count() {
        return ingests.size();
    }

    void clear() {
        ingests.clear();
        pending.clear();
    }

    /** {@code POST /ingest/addMediaPackage[/{workflow}]}: one request with every element. */
    void addMediaPackage(Request r) throws Exception {
        List<String[]> fields = Forms.parse(r.header("Content-Type"), r.body());
        String workflow = r.path(1) != null ? r.path(1) : value(fields, "workflowDefinitionId", "default");
        String mpId = value(fields, "identifier", UUID.randomUUID().toString());
        List<Map<String, Object>> media = new ArrayList<>();
        String flavor = null;
        for (String[] f : fields) {
            switch (f[0]) {
                case "flavor" -> flavor = f[1];
                case "mediaUri", "attachmentUri", "catalogUri" -> media.add(download(f[1], flavor, f[0]));
                default -> { }
            }
        }
        finishIngest(r, mpId, workflow, fields, media);
    }

    void createMediaPackage(Request r) throws IOException {
        String id = UUID.randomUUID().toString();
        Map<String, Object> mp = new LinkedHashMap<>();
        mp.put("mediapackageId", id);
        mp.put("fields", new ArrayList<List<String>>());
        mp.put("media", new ArrayList<Map<String, Object>>());
        pending.put(id, mp);
        r.xml(200, mediapackageXml(id));
    }

    /** {@code POST /ingest/addDCCatalog}, {@code addTrack}, {@code addAttachment} to a created mediapackage. */
    @SuppressWarnings("unchecked")
    void addElement(Request r, String kind) throws Exception {
        List<String[]> fields = Forms.parse(r.header("Content-Type"), r.body());
        String id = mediapackageId(value(fields, "mediaPackage", ""));
        Map<String, Object> mp = id == null ? null : pending.get(id);
        if (mp == null) {
            r.text(400, "unknown or missing mediaPackage");
            return;
        }
        List<List<String>> kept = (List<List<String>>) mp.get("fields");
        for (String[] f : fields) {
            if (!"mediaPackage".equals(f[0])) {
                kept.add(List.of(f[0], f[1]));
            }
        }
        String url = value(fields, "url", null);
        if (url != null) {
            ((List<Map<String, Object>>) mp.get("media")).add(download(url, value(fields, "flavor", null), kind));
        } else if ("catalog".equals(kind) && value(fields, "dublinCore", null) != null) {
            byte[] dc = value(fields, "dublinCore", "").getBytes(StandardCharsets.UTF_8);
            ((List<Map<String, Object>>) mp.get("media")).add(Map.of("uri", "inline:dublinCore", "kind", kind,
                    "flavor", value(fields, "flavor", "dublincore/episode"), "bytes", dc.length, "sha256", sha256(dc)));
        }
        r.xml(200, mediapackageXml(id));
    }

    /** {@code POST /ingest/ingest[/{workflow}]}: ends a step-wise ingest. */
    @SuppressWarnings("unchecked")
    void ingestStepwise(Request r) throws Exception {
        List<String[]> fields = Forms.parse(r.header("Content-Type"), r.body());
        String id = mediapackageId(value(fields, "mediaPackage", ""));
        Map<String, Object> mp = id == null ? null : pending.remove(id);
        if (mp == null) {
            r.text(400, "unknown or missing mediaPackage");
            return;
        }
        List<String[]> all = new ArrayList<>();
        ((List<List<String>>) mp.get("fields")).forEach(f -> all.add(new String[] {f.get(0), f.get(1)}));
        fields.stream().filter(f -> !"mediaPackage".equals(f[0])).forEach(all::add);
        String workflow = r.path(1) != null ? r.path(1) : value(fields, "workflowDefinitionId", "default");
        finishIngest(r, id, workflow, all, (List<Map<String, Object>>) mp.get("media"));
    }

    private void finishIngest(Request r, String mpId, String workflow, List<String[]> fields,
                              List<Map<String, Object>> media) throws IOException {
        long workflowId = workflowIds.incrementAndGet();
        Map<String, Object> ingest = new LinkedHashMap<>();
        ingest.put("mediapackageId", mpId);
        ingest.put("workflow", workflow);
        ingest.put("workflowId", workflowId);
        ingest.put("fields", fields.stream().map(f -> List.of(f[0], f[1])).toList());
        ingest.put("media", media);
        ingest.put("receivedAt", Instant.now().toString());
        boolean failed = media.stream().anyMatch(m -> m.containsKey("error"));
        ingest.put("state", failed ? "FAILED" : "RUNNING");
        ingests.add(ingest);
        if (failed) {
            // Opencast answers 500 when it cannot fetch an element of the mediapackage
            r.text(500, "failed to ingest mediapackage " + mpId + ": a media URL could not be downloaded");
            return;
        }
        workflows.started(workflowId, mpId, workflow);
        r.xml(200, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                + "<ns3:workflow xmlns:ns3=\"http://workflow.opencastproject.org\" id=\"" + workflowId + "\" state=\"RUNNING\">"
                + "<ns3:template>" + escape(workflow) + "</ns3:template>"
                + mediapackageXml(mpId) + "</ns3:workflow>");
    }

    /** Fetches a media URL as Opencast's ingest service does, streaming: byte count and SHA-256 only. */
    private Map<String, Object> download(String uri, String flavor, String kind) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uri", uri);
        m.put("kind", kind);
        if (flavor != null) {
            m.put("flavor", flavor);
        }
        try {
            HttpResponse<InputStream> response = CLIENT.send(HttpRequest.newBuilder(URI.create(uri))
                    .timeout(Duration.ofMinutes(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() / 100 != 2) {
                    m.put("error", "HTTP " + response.statusCode());
                    return m;
                }
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[64 * 1024];
                long bytes = 0;
                int n;
                while ((n = in.read(buf)) > 0) {
                    sha.update(buf, 0, n);
                    bytes += n;
                }
                m.put("bytes", bytes);
                m.put("sha256", HexFormat.of().formatHex(sha.digest()));
            }
        } catch (Exception e) {
            m.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return m;
    }

    /** The last ingest of that mediapackage that did not fail (the event), or null. */
    Map<String, Object> latest(String id) {
        return ingests.stream().filter(i -> id.equals(i.get("mediapackageId"))
                && !"FAILED".equals(i.get("state"))).reduce((a, b) -> b).orElse(null);
    }

    /** {@code GET /api/events/{id}}: the last ingest of that mediapackage that did not fail. */
    void event(Request r) throws IOException {
        String id = r.path(1);
        Map<String, Object> ingest = latest(id);
        if (ingest == null) {
            r.text(404, "Not Found");
            return;
        }
        @SuppressWarnings("unchecked")
        List<List<String>> fields = (List<List<String>>) ingest.get("fields");
        ObjectNode e = SimServer.JSON.createObjectNode();
        e.put("identifier", id);
        e.put("title", field(fields, "title"));
        e.put("is_part_of", field(fields, "isPartOf"));
        e.put("series", field(fields, "isPartOf"));
        e.put("created", field(fields, "created"));
        e.put("start", field(fields, "created"));
        e.put("processing_state", "SUCCEEDED");
        e.put("status", "EVENTS.EVENTS.STATUS.PROCESSED");
        r.json(200, e);
    }

    private static String mediapackageXml(String id) {
        return "<ns2:mediapackage xmlns:ns2=\"http://mediapackage.opencastproject.org\" id=\"" + escape(id)
                + "\" start=\"" + Instant.now() + "\"><ns2:media/><ns2:metadata/><ns2:attachments/></ns2:mediapackage>";
    }

    static String mediapackageId(String xml) {
        Matcher m = MP_ID.matcher(xml);
        return m.find() ? m.group(1) : null;
    }

    private static String value(List<String[]> fields, String name, String fallback) {
        return fields.stream().filter(f -> f[0].equals(name)).map(f -> f[1]).findFirst().orElse(fallback);
    }

    private static String field(List<List<String>> fields, String name) {
        return fields.stream().filter(f -> f.get(0).equals(name)).map(f -> f.get(1)).findFirst().orElse(null);
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;");
    }
}
