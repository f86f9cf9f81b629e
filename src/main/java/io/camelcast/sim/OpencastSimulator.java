package io.camelcast.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    static final String REALM = "Opencast";

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(10)).build();
    private static final DateTimeFormatter OC_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final Pattern MP_ID = Pattern.compile("<(?:\\w+:)?mediapackage[^>]*\\bid=\"([^\"]+)\"");

    private volatile String user = DEFAULT_USER;
    private volatile String password = DEFAULT_PASSWORD;
    private final Set<String> nonces = ConcurrentHashMap.newKeySet();
    private final AtomicLong workflowIds = new AtomicLong(1000);
    private final List<Map<String, Object>> ingests = new CopyOnWriteArrayList<>();
    private final Map<String, Map<String, Object>> pending = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> series = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> episodes = new ConcurrentHashMap<>();
    private final List<ObjectNode> actions = new CopyOnWriteArrayList<>();
    private final List<ObjectNode> workflows = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile ObjectNode generator;

    public OpencastSimulator() {
        super("opencast");
        on("POST", "/ingest/addMediaPackage(?:/([^/]+))?", r -> secured(r, this::addMediaPackage));
        on("POST", "/ingest/createMediaPackage", r -> secured(r, this::createMediaPackage));
        on("POST", "/ingest/addDCCatalog", r -> secured(r, x -> addElement(x, "catalog")));
        on("POST", "/ingest/addTrack", r -> secured(r, x -> addElement(x, "track")));
        on("POST", "/ingest/addAttachment", r -> secured(r, x -> addElement(x, "attachment")));
        on("POST", "/ingest/ingest(?:/([^/]+))?", r -> secured(r, this::ingestStepwise));
        on("GET", "/api/events/([^/]+)", r -> secured(r, this::event));
        on("GET", "/series/([^/]+)\\.json", r -> secured(r, this::seriesJson));
        on("GET", "/search/episode\\.json", r -> secured(r, this::searchEpisode));
        on("GET", "/usertracking/actions\\.json", r -> secured(r, this::userActions));
        on("GET", "/workflow/instances\\.json", r -> secured(r, this::workflowInstances));
        // Opencast's health check (no authentication): the application/health+json draft it implements
        on("GET", "/info/health", r -> r.json(200, Map.of("status", "pass", "version", "1", "releaseId", "16",
                "serviceId", "simulator", "description", "Opencast node's health status")));
        on("GET", "/_sim/ingests", r -> r.json(200, ingests));
        on("GET", "/_sim/requests", r -> r.json(200, requests));
        on("POST", "/_sim/series/([^/]+)", r -> r.json(201, registerSeries(r.path(1), JSON.readTree(r.body()))));
        on("POST", "/_sim/episodes", r -> {
            JsonNode body = JSON.readTree(r.body());
            (body.isArray() ? body : JSON.createArrayNode().add(body)).forEach(e -> registerEpisode((ObjectNode) e));
            r.json(201, Map.of("episodes", episodes.size()));
        });
        on("POST", "/_sim/actions", r -> {
            addActions((ArrayNode) JSON.readTree(r.body()));
            r.json(201, Map.of("actions", actions.size()));
        });
        on("POST", "/_sim/actions/generate", r -> {
            generator = (ObjectNode) JSON.readTree(r.body());
            r.json(201, generator);
        });
        on("POST", "/_sim/workflows", r -> {
            JsonNode body = JSON.readTree(r.body());
            (body.isArray() ? body : JSON.createArrayNode().add(body)).forEach(w -> workflows.add((ObjectNode) w));
            r.json(201, Map.of("workflows", workflows.size()));
        });
        on("DELETE", "/_sim/state", r -> {
            reset();
            r.empty(204);
        });
        loadFixtures();
    }

    // ---- state -------------------------------------------------------------------------------

    public void setCredentials(String user, String password) {
        this.user = user;
        this.password = password;
    }

    public List<Map<String, Object>> ingests() {
        return List.copyOf(ingests);
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** Waits until at least {@code n} ingests arrived; returns them. */
    public List<Map<String, Object>> awaitIngests(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ingests.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return ingests();
    }

    /** Registers a series: Opencast's Dublin Core JSON as is, or {@code {title, ...}} turned into it. */
    public JsonNode registerSeries(String id, JsonNode body) {
        JsonNode catalog = body;
        if (!body.has("http://purl.org/dc/terms/")) {
            ObjectNode dc = JSON.createObjectNode();
            ObjectNode terms = dc.putObject("http://purl.org/dc/terms/");
            terms.putArray("identifier").addObject().put("value", id);
            body.fields().forEachRemaining(e -> terms.putArray(e.getKey()).addObject().put("value", e.getValue().asText()));
            catalog = dc;
        }
        series.put(id, catalog);
        return catalog;
    }

    public JsonNode registerSeries(String id, String title) {
        return registerSeries(id, JSON.createObjectNode().put("title", title));
    }

    /** Registers a search result episode: {id, title, start, duration (ms), series, seriestitle, ...}. */
    public void registerEpisode(ObjectNode episode) {
        episodes.put(episode.get("id").asText(), episode);
    }

    public void addActions(ArrayNode list) {
        list.forEach(a -> actions.add((ObjectNode) a));
    }

    public void reset() {
        ingests.clear();
        pending.clear();
        series.clear();
        episodes.clear();
        actions.clear();
        workflows.clear();
        requests.clear();
        generator = null;
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

    // ---- digest authentication -----------------------------------------------------------------

    private void secured(Request r, Handler handler) throws Exception {
        String q = r.uri().getRawQuery();
        requests.add(r.method() + " " + r.uri().getRawPath() + (q == null ? "" : "?" + q));
        String auth = r.header("Authorization");
        if (auth == null || !auth.startsWith("Digest ") || !digestValid(r.method(), parseDigest(auth.substring(7)))) {
            challenge(r);
            return;
        }
        handler.handle(r);
    }

    private void challenge(Request r) throws IOException {
        byte[] raw = new byte[16];
        new SecureRandom().nextBytes(raw);
        String nonce = HexFormat.of().formatHex(raw);
        nonces.add(nonce);
        r.setHeader("WWW-Authenticate", "Digest realm=\"" + REALM + "\", qop=\"auth\", nonce=\"" + nonce
                + "\", opaque=\"" + md5(REALM) + "\"");
        r.text(401, "Unauthorized");
    }

    static Map<String, String> parseDigest(String header) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|([^,\\s]*))").matcher(header);
        while (m.find()) {
            out.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
        }
        return out;
    }

    private boolean digestValid(String method, Map<String, String> d) {
        if (!user.equals(d.get("username")) || !REALM.equals(d.get("realm")) || !nonces.contains(d.get("nonce"))) {
            return false;
        }
        String ha1 = md5(user + ":" + REALM + ":" + password);
        String ha2 = md5(method + ":" + d.get("uri"));
        String expected = d.containsKey("qop")
                ? md5(ha1 + ":" + d.get("nonce") + ":" + d.get("nc") + ":" + d.get("cnonce") + ":" + d.get("qop") + ":" + ha2)
                : md5(ha1 + ":" + d.get("nonce") + ":" + ha2);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                String.valueOf(d.get("response")).getBytes(StandardCharsets.UTF_8));
    }

    static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- ingest --------------------------------------------------------------------------------

    private void addMediaPackage(Request r) throws Exception {
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

    private void createMediaPackage(Request r) throws IOException {
        String id = UUID.randomUUID().toString();
        Map<String, Object> mp = new LinkedHashMap<>();
        mp.put("mediapackageId", id);
        mp.put("fields", new ArrayList<List<String>>());
        mp.put("media", new ArrayList<Map<String, Object>>());
        pending.put(id, mp);
        r.xml(200, mediapackageXml(id));
    }

    @SuppressWarnings("unchecked")
    private void addElement(Request r, String kind) throws Exception {
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

    @SuppressWarnings("unchecked")
    private void ingestStepwise(Request r) throws Exception {
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

    // ---- read APIs -----------------------------------------------------------------------------

    private void event(Request r) throws IOException {
        String id = r.path(1);
        Map<String, Object> ingest = ingests.stream().filter(i -> id.equals(i.get("mediapackageId"))
                && !"FAILED".equals(i.get("state"))).reduce((a, b) -> b).orElse(null);
        if (ingest == null) {
            r.text(404, "Not Found");
            return;
        }
        @SuppressWarnings("unchecked")
        List<List<String>> fields = (List<List<String>>) ingest.get("fields");
        ObjectNode e = JSON.createObjectNode();
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

    private void seriesJson(Request r) throws IOException {
        JsonNode s = series.get(r.path(1));
        if (s == null) {
            r.text(404, "Not Found");
            return;
        }
        r.json(200, s);
    }

    private void searchEpisode(Request r) throws IOException {
        String id = r.query("id");
        ObjectNode e = id == null ? null : episodes.get(id);
        ObjectNode results = JSON.createObjectNode();
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
            mp.set("attachments", e.path("attachments").isMissingNode() ? JSON.createObjectNode() : e.get("attachments"));
        }
        r.json(200, results);
    }

    private void userActions(Request r) throws IOException {
        LocalDateTime start = time(r.query("start"), LocalDateTime.of(1970, 1, 1, 0, 0));
        LocalDateTime end = time(r.query("end"), LocalDateTime.of(2999, 1, 1, 0, 0));
        int limit = Math.max(1, intParam(r.query("limit"), 100));
        int offset = Math.max(0, intParam(r.query("offset"), 0));
        List<ObjectNode> page = new ArrayList<>();
        long total;
        ObjectNode gen = generator;
        if (gen != null) {
            total = generatedPage(gen, start, end, offset, limit, page);
        } else {
            List<ObjectNode> inWindow = actions.stream().filter(a -> {
                LocalDateTime created = LocalDateTime.ofInstant(Instant.parse(a.get("created").asText()), ZoneOffset.UTC);
                return !created.isBefore(start) && !created.isAfter(end);
            }).sorted((a, b) -> a.get("created").asText().compareTo(b.get("created").asText())).toList();
            total = inWindow.size();
            page.addAll(inWindow.subList(Math.min(offset, inWindow.size()), Math.min(inWindow.size(), offset + limit)));
        }
        ObjectNode out = JSON.createObjectNode();
        ObjectNode a = out.putObject("actions");
        a.put("total", total);
        a.put("offset", offset);
        a.put("limit", limit);
        // Opencast's JSON quirks: one action is an object, none means no "action" key at all
        if (page.size() == 1) {
            a.set("action", page.get(0));
        } else if (page.size() > 1) {
            ArrayNode arr = a.putArray("action");
            page.forEach(arr::add);
        }
        r.json(200, out);
    }

    /**
     * Actions computed on the fly from {count, start, end, mpids, seed}: action i is a pure function of
     * (seed, i), spread evenly over the generator's window, so 200,000 actions cost no memory.
     */
    private long generatedPage(ObjectNode gen, LocalDateTime from, LocalDateTime to, int offset, int limit, List<ObjectNode> page) {
        long count = gen.path("count").asLong(0);
        Instant gStart = Instant.parse(gen.path("start").asText("2026-01-01T00:00:00Z"));
        Instant gEnd = Instant.parse(gen.path("end").asText("2026-01-02T00:00:00Z"));
        long seed = gen.path("seed").asLong(1);
        List<String> mpids = new ArrayList<>();
        gen.path("mpids").forEach(m -> mpids.add(m.asText()));
        if (mpids.isEmpty()) {
            mpids.addAll(episodes.keySet());
        }
        if (mpids.isEmpty()) {
            mpids.add("mp-generated");
        }
        long span = Math.max(1, gEnd.getEpochSecond() - gStart.getEpochSecond());
        // action i is created at start + floor(i * span / count) seconds: the window [from, to] holds
        // exactly the indices lo..hi-1 below
        long fromSec = from.toEpochSecond(ZoneOffset.UTC) - gStart.getEpochSecond();
        long toSec = to.toEpochSecond(ZoneOffset.UTC) - gStart.getEpochSecond();
        long lo = Math.max(0, Math.min(count, Math.floorDiv(fromSec * count + span - 1, span)));
        long hi = Math.max(0, Math.min(count, Math.floorDiv((toSec + 1) * count + span - 1, span)));
        long total = Math.max(0, hi - lo);
        String[] types = {"FOOTPRINT", "HEARTBEAT", "PLAY", "PAUSE", "SEEK"};
        for (long i = lo + offset; i < hi && page.size() < limit; i++) {
            Random rnd = new Random(seed * 1_000_003L + i);
            ObjectNode a = JSON.createObjectNode();
            a.put("id", seed * 10_000_000L + i);
            a.put("mediapackageId", mpids.get((int) (i % mpids.size())));
            a.put("sessionId", "s-" + (i / 20));
            a.put("userId", "user" + rnd.nextInt(500));
            a.put("userIp", "10." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256)
                    + (rnd.nextInt(4) == 0 ? ", 172.16.0." + rnd.nextInt(256) : ""));
            a.put("userAgent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36");
            a.put("type", types[rnd.nextInt(types.length)]);
            int in = rnd.nextInt(3600);
            a.put("inpoint", in);
            a.put("outpoint", in + 30);
            a.put("length", 30);
            a.put("isPlaying", rnd.nextBoolean());
            a.put("created", gStart.plusSeconds(i * span / count).toString());
            page.add(a);
        }
        return total;
    }

    private void workflowInstances(Request r) throws IOException {
        String mp = r.query("mp");
        String state = r.query("state");
        String definition = r.query("workflowdefinition");
        List<ObjectNode> matching = workflows.stream()
                .filter(w -> mp == null || mp.equals(w.path("mediapackage").path("id").asText(w.path("mp").asText())))
                .filter(w -> state == null || state.equalsIgnoreCase(w.path("state").asText()))
                .filter(w -> definition == null || definition.equals(w.path("template").asText()))
                .toList();
        ObjectNode out = JSON.createObjectNode();
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

    // ---- helpers -------------------------------------------------------------------------------

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

    private static LocalDateTime time(String value, LocalDateTime fallback) {
        try {
            return value == null ? fallback : LocalDateTime.parse(value, OC_TIME);
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    private static int intParam(String s, int fallback) {
        try {
            return s == null ? fallback : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
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
