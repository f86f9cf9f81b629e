package io.camelcast.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpencastSimulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private OpencastSimulator opencast;
    private HttpServer media;
    private final byte[] fileA = bytes(3_000_000, 1);
    private final byte[] fileB = bytes(2_500_000, 2);

    @BeforeEach
    void start() throws Exception {
        opencast = new OpencastSimulator();
        opencast.start(0);
        media = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        media.createContext("/a.mp4", ex -> {
            ex.sendResponseHeaders(200, fileA.length);
            ex.getResponseBody().write(fileA);
            ex.close();
        });
        media.createContext("/b.mp4", ex -> {
            ex.sendResponseHeaders(200, fileB.length);
            ex.getResponseBody().write(fileB);
            ex.close();
        });
        media.start();
    }

    @AfterEach
    void stop() {
        opencast.close();
        media.stop(0);
    }

    @Test
    void digestChallengeThenAuthenticatedRequestAndWrongPasswordIsRefused() throws Exception {
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(uri("/series/20270112345.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
        String challenge = anonymous.headers().firstValue("WWW-Authenticate").orElse("");
        assertTrue(challenge.startsWith("Digest realm=\"Opencast\", qop=\"auth\", nonce=\""), challenge);
        assertEquals(200, send("GET", "/series/20270112345.json", null, null, OpencastSimulator.DEFAULT_PASSWORD).statusCode());
        assertEquals(401, send("GET", "/series/20270112345.json", null, null, "wrong").statusCode());
    }

    @Test
    void addMediaPackageDownloadsEveryMediaUriAndKeepsFieldsInOrder() throws Exception {
        String mp = UUID.randomUUID().toString();
        String base = "http://127.0.0.1:" + media.getAddress().getPort();
        List<String[]> fields = List.of(
                new String[] {"identifier", mp}, new String[] {"title", "Lecture 3"}, new String[] {"type", "L01"},
                new String[] {"isPartOf", "20270112345"}, new String[] {"source", "ZIP-abc=="},
                new String[] {"flavor", "multipart/chunked+source"}, new String[] {"mediaUri", base + "/a.mp4"},
                new String[] {"flavor", "multipart/chunked+source"}, new String[] {"mediaUri", base + "/b.mp4"});
        String boundary = "----sim" + UUID.randomUUID();
        HttpResponse<String> r = send("POST", "/ingest/addMediaPackage/DCE-production-zoom", multipart(boundary, fields),
                "multipart/form-data; boundary=" + boundary, OpencastSimulator.DEFAULT_PASSWORD);
        assertEquals(200, r.statusCode(), r.body());
        Matcher wf = Pattern.compile("<ns3:workflow [^>]*id=\"(\\d+)\"").matcher(r.body());
        assertTrue(wf.find(), r.body());
        assertTrue(r.body().contains("id=\"" + mp + "\""));

        JsonNode ingests = JSON.readTree(http.send(HttpRequest.newBuilder(uri("/_sim/ingests")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertEquals(1, ingests.size());
        JsonNode ingest = ingests.get(0);
        assertEquals(mp, ingest.get("mediapackageId").asText());
        assertEquals("DCE-production-zoom", ingest.get("workflow").asText());
        List<String> names = new ArrayList<>();
        ingest.get("fields").forEach(f -> names.add(f.get(0).asText()));
        assertEquals(List.of("identifier", "title", "type", "isPartOf", "source", "flavor", "mediaUri", "flavor", "mediaUri"), names);
        assertEquals(fileA.length, ingest.at("/media/0/bytes").asLong());
        assertEquals(sha256(fileA), ingest.at("/media/0/sha256").asText());
        assertEquals(sha256(fileB), ingest.at("/media/1/sha256").asText());
        assertEquals("multipart/chunked+source", ingest.at("/media/1/flavor").asText());

        HttpResponse<String> event = send("GET", "/api/events/" + mp, null, null, OpencastSimulator.DEFAULT_PASSWORD);
        assertEquals(200, event.statusCode());
        assertEquals("Lecture 3", JSON.readTree(event.body()).get("title").asText());
    }

    @Test
    void aMediaUriThatCannotBeDownloadedFailsTheIngest() throws Exception {
        String mp = UUID.randomUUID().toString();
        assertEquals(404, send("GET", "/api/events/" + mp, null, null, OpencastSimulator.DEFAULT_PASSWORD).statusCode());
        String form = "identifier=" + mp + "&flavor=" + enc("presenter/source") + "&mediaUri="
                + enc("http://127.0.0.1:" + media.getAddress().getPort() + "/missing.mp4");
        HttpResponse<String> r = send("POST", "/ingest/addMediaPackage/wf", form, "application/x-www-form-urlencoded",
                OpencastSimulator.DEFAULT_PASSWORD);
        assertEquals(500, r.statusCode());
        JsonNode ingest = JSON.readTree(http.send(HttpRequest.newBuilder(uri("/_sim/ingests")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).get(0);
        assertEquals("HTTP 404", ingest.at("/media/0/error").asText());
        assertEquals(404, send("GET", "/api/events/" + mp, null, null, OpencastSimulator.DEFAULT_PASSWORD).statusCode());
    }

    @Test
    void stepwiseIngestBuildsOneMediapackage() throws Exception {
        String pw = OpencastSimulator.DEFAULT_PASSWORD;
        String xml = send("POST", "/ingest/createMediaPackage", "", "application/x-www-form-urlencoded", pw).body();
        String id = OpencastSimulator.mediapackageId(xml);
        String base = "http://127.0.0.1:" + media.getAddress().getPort();
        send("POST", "/ingest/addTrack", "mediaPackage=" + enc(xml) + "&flavor=" + enc("presenter/source") + "&url=" + enc(base + "/a.mp4"),
                "application/x-www-form-urlencoded", pw);
        HttpResponse<String> done = send("POST", "/ingest/ingest/fast", "mediaPackage=" + enc(xml) + "&straightToPublishing=true",
                "application/x-www-form-urlencoded", pw);
        assertEquals(200, done.statusCode());
        List<Map<String, Object>> ingests = opencast.awaitIngests(1, Duration.ofSeconds(5));
        assertEquals(id, ingests.get(0).get("mediapackageId"));
        assertEquals("fast", ingests.get(0).get("workflow"));
        assertEquals((long) fileA.length, ((Number) ((List<Map<String, Object>>) ingests.get(0).get("media")).get(0).get("bytes")).longValue());
    }

    @Test
    void seriesRoundTripInDublinCoreJson() throws Exception {
        http.send(HttpRequest.newBuilder(uri("/_sim/series/S1")).POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"Physics\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode s = JSON.readTree(send("GET", "/series/S1.json", null, null, OpencastSimulator.DEFAULT_PASSWORD).body());
        assertEquals("Physics", s.at("/http:~1~1purl.org~1dc~1terms~1/title/0/value").asText());
        assertEquals("S1", s.at("/http:~1~1purl.org~1dc~1terms~1/identifier/0/value").asText());
        assertEquals(404, send("GET", "/series/nope.json", null, null, OpencastSimulator.DEFAULT_PASSWORD).statusCode());
    }

    @Test
    void userActionsPageByOffsetWithOpencastsQuirks() throws Exception {
        opencast.reset();
        ArrayNode list = JSON.createArrayNode();
        for (int i = 0; i < 23; i++) {
            list.addObject().put("id", i).put("mediapackageId", "mp").put("type", "HEARTBEAT")
                    .put("created", "2026-11-24T10:" + String.format("%02d", i) + ":00Z");
        }
        opencast.addActions(list);
        List<Integer> ids = new ArrayList<>();
        for (int offset = 0; ; offset += 5) {
            JsonNode actions = actions("20261124100000", "20261124110000", 5, offset);
            assertEquals(23, actions.get("total").asInt());
            if (!actions.has("action")) {
                break;
            }
            JsonNode a = actions.get("action");
            (a.isArray() ? a : JSON.createArrayNode().add(a)).forEach(x -> ids.add(x.get("id").asInt()));
        }
        assertEquals(23, ids.size());
        assertEquals(23, new HashSet<>(ids).size());
        assertTrue(actions("20261124100000", "20261124110000", 5, 20).get("action").isArray());
        assertTrue(actions("20261124102200", "20261124102230", 5, 0).get("action").isObject(), "one action is an object");
        assertTrue(!actions("20261124120000", "20261124130000", 5, 0).has("action"), "no action key when empty");
    }

    @Test
    void generatedActionsCoverTheWindowExactlyOnce() throws Exception {
        http.send(HttpRequest.newBuilder(uri("/_sim/actions/generate")).POST(HttpRequest.BodyPublishers.ofString(
                "{\"count\":1000,\"start\":\"2026-11-24T00:00:00Z\",\"end\":\"2026-11-25T00:00:00Z\",\"seed\":7}")).build(),
                HttpResponse.BodyHandlers.ofString());
        int seen = 0;
        for (String[] w : new String[][] {{"20261124000000", "20261124115959"}, {"20261124120000", "20261124235959"}}) {
            JsonNode page = actions(w[0], w[1], 1000, 0);
            seen += page.get("action").size();
            assertEquals(page.get("total").asInt(), page.get("action").size());
        }
        assertEquals(1000, seen, "two half-day windows split the thousand actions without overlap");
    }

    @Test
    void faultIsServedThenCleared() throws Exception {
        http.send(HttpRequest.newBuilder(uri("/_sim/faults")).POST(HttpRequest.BodyPublishers.ofString(
                "{\"status\":500,\"count\":1,\"path\":\"/ingest\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(500, http.send(HttpRequest.newBuilder(uri("/ingest/createMediaPackage")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(401, http.send(HttpRequest.newBuilder(uri("/ingest/createMediaPackage")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "back to normal: asks for credentials");
    }

    private JsonNode actions(String start, String end, int limit, int offset) throws Exception {
        return JSON.readTree(send("GET", "/usertracking/actions.json?start=" + start + "&end=" + end + "&limit=" + limit + "&offset=" + offset,
                null, null, OpencastSimulator.DEFAULT_PASSWORD).body()).get("actions");
    }

    /** A request with HTTP Digest: first the challenge, then the answer computed here, independently. */
    private HttpResponse<String> send(String method, String path, String body, String contentType, String password) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        HttpResponse<String> first = http.send(HttpRequest.newBuilder(uri(path)).method(method, publisher)
                .header("X-Requested-Auth", "Digest").build(), HttpResponse.BodyHandlers.ofString());
        if (first.statusCode() != 401) {
            return first;
        }
        String challenge = first.headers().firstValue("WWW-Authenticate").orElseThrow();
        String nonce = value(challenge, "nonce");
        String realm = value(challenge, "realm");
        String cnonce = "0a4f113b";
        String nc = "00000001";
        String ha1 = md5(OpencastSimulator.DEFAULT_USER + ":" + realm + ":" + password);
        String ha2 = md5(method + ":" + path);
        String response = md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
        String auth = "Digest username=\"" + OpencastSimulator.DEFAULT_USER + "\", realm=\"" + realm + "\", nonce=\"" + nonce
                + "\", uri=\"" + path + "\", qop=auth, nc=" + nc + ", cnonce=\"" + cnonce + "\", response=\"" + response + "\"";
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Authorization", auth)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String value(String header, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(header);
        return m.find() ? m.group(1) : null;
    }

    private URI uri(String path) {
        return URI.create(opencast.url() + path);
    }

    private static String multipart(String boundary, List<String[]> fields) {
        StringBuilder b = new StringBuilder();
        for (String[] f : fields) {
            b.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(f[0])
                    .append("\"\r\n\r\n").append(f[1]).append("\r\n");
        }
        return b.append("--").append(boundary).append("--\r\n").toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
