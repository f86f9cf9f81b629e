package io.camelcast.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.camelcast.FlowTests;
import io.camelcast.config.Settings;
import io.camelcast.sim.Simulators;
import io.camelcast.store.AwsClients;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * CORS (camelcast.http.cors-origins) on the running server: preflights from an allowed and a foreign origin,
 * the headers on real answers of /ingest, TUS and the upload endpoints, and a page on an allowed origin that
 * uploads a file with tus-js-client through a real headless Chromium (while the same page on a foreign origin
 * fails in the browser). The upload is checked where a user would: its status record and the archive object.
 */
class CorsFlowTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String API_KEY = "cors-test-api-key";
    static final int BROWSER_FILE_SIZE = 6 << 20;
    static final List<String> ENDPOINTS = List.of("/ingest", "/files", "/files/", "/files/some-upload-id", "/zoom-upload", "/manual-upload",
            "/custom-upload", "/uploads/some-upload-id");

    @TempDir
    static Path dir;
    static Simulators sims;
    static CamelcastRuntime runtime;
    static int port;
    static HttpServer allowedPages;
    static HttpServer foreignPages;
    static String allowed;
    static String foreign;
    static S3Client s3;
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        allowedPages = pages();
        foreignPages = pages();
        allowed = "http://127.0.0.1:" + allowedPages.getAddress().getPort();
        foreign = "http://127.0.0.1:" + foreignPages.getAddress().getPort();
        sims = Simulators.start(0, 0);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("camelcast.properties");
        Files.writeString(config, String.join("\n",
                "camelcast.data-dir=" + dir.resolve("state"),
                "camelcast.http.port=" + port,
                "camelcast.api-key=" + API_KEY,
                // an allowed origin as an operator may write it (a trailing slash), and one more
                "camelcast.http.cors-origins=https://lms.example.edu, " + allowed + "/",
                "camelcast.targets.tus=archive",
                "camelcast.sqs.wait-seconds=1",
                "camelcast.recording.webhook-delay=0"), StandardCharsets.UTF_8);
        runtime = CamelcastRuntime.start(sims.pointAt(Settings.load(config)));
        s3 = AwsClients.s3(runtime.settings());
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (runtime != null) {
            runtime.close();
        }
        if (sims != null) {
            sims.close();
        }
        for (HttpServer s : new HttpServer[] {allowedPages, foreignPages}) {
            if (s != null) {
                s.stop(0);
            }
        }
    }

    @Test
    void aPreflightFromAnAllowedOriginIsGrantedWithoutTheApiKey() throws Exception {
        for (String path : ENDPOINTS) {
            HttpResponse<String> r = preflight(path, allowed, "POST",
                    "tus-resumable,upload-length,upload-metadata,upload-offset,content-type,x-api-key");
            assertTrue(r.statusCode() == 204 || r.statusCode() == 200, path + ": " + r.statusCode() + " " + r.body());
            assertEquals(allowed, header(r, "Access-Control-Allow-Origin"), path);
            assertTrue(header(r, "Vary").contains("Origin"), path);
            List<String> methods = list(header(r, "Access-Control-Allow-Methods"));
            assertTrue(methods.containsAll(List.of("post", "patch", "head", "delete", "get")), path + ": " + methods);
            List<String> headers = list(header(r, "Access-Control-Allow-Headers"));
            assertTrue(headers.containsAll(List.of("tus-resumable", "upload-length", "upload-offset", "upload-metadata",
                    "upload-checksum", "upload-defer-length", "upload-concat", "content-type", "authorization", "x-api-key",
                    "x-http-method-override", "x-requested-with")), path + ": " + headers);
        }
    }

    @Test
    void aPreflightFromAForeignOriginGetsNoGrant() throws Exception {
        for (String path : ENDPOINTS) {
            HttpResponse<String> r = preflight(path, foreign, "PATCH", "tus-resumable,upload-offset,content-type");
            assertEquals(403, r.statusCode(), path + ": " + r.body());
            assertTrue(r.body().contains("origin not allowed"), r.body());
            assertTrue(r.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), path);
            assertTrue(r.headers().firstValue("Access-Control-Allow-Methods").isEmpty(), path);
            assertTrue(r.headers().firstValue("Access-Control-Allow-Headers").isEmpty(), path);
        }
        // nor does a look-alike of an allowed origin
        HttpResponse<String> lookAlike = preflight("/files", "https://lms.example.edu.evil.test", "POST", "tus-resumable");
        assertTrue(lookAlike.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }

    @Test
    void realAnswersCarryTheOriginAndExposeTheTusHeaders() throws Exception {
        HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/files")).header("Origin", allowed)
                .header("Tus-Resumable", "1.0.0").header("Upload-Length", "10").header("X-Api-Key", API_KEY)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(allowed, header(created, "Access-Control-Allow-Origin"));
        assertTrue(header(created, "Vary").contains("Origin"));
        assertTrue(list(header(created, "Access-Control-Expose-Headers")).containsAll(List.of("upload-offset", "location",
                "tus-resumable", "upload-length", "upload-metadata", "upload-expires", "tus-version", "tus-extension",
                "tus-max-size")), header(created, "Access-Control-Expose-Headers"));
        String location = header(created, "Location");

        HttpResponse<String> head = send(HttpRequest.newBuilder(URI.create(location)).header("Origin", allowed)
                .header("Tus-Resumable", "1.0.0").header("X-Api-Key", API_KEY).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.statusCode());
        assertEquals(allowed, header(head, "Access-Control-Allow-Origin"));

        // a refusal is readable by the page too: it says why
        HttpResponse<String> refused = send(HttpRequest.newBuilder(uri("/ingest")).header("Origin", allowed)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertEquals(401, refused.statusCode());
        assertEquals(allowed, header(refused, "Access-Control-Allow-Origin"));
        HttpResponse<String> status = send(HttpRequest.newBuilder(uri("/uploads/no-such-upload")).header("Origin", allowed)
                .header("X-Api-Key", API_KEY));
        assertEquals(allowed, header(status, "Access-Control-Allow-Origin"), "GET /uploads/{id}: " + status.statusCode());

        // a foreign origin: the request is served as before, with no grant the browser would honour
        HttpResponse<String> foreignCreate = send(HttpRequest.newBuilder(uri("/files")).header("Origin", foreign)
                .header("Tus-Resumable", "1.0.0").header("Upload-Length", "10").header("X-Api-Key", API_KEY)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(201, foreignCreate.statusCode());
        assertTrue(foreignCreate.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        assertTrue(foreignCreate.headers().firstValue("Access-Control-Expose-Headers").isEmpty());

        // no Origin (curl, the TUS Java client): no CORS headers; endpoints outside the list: none either
        HttpResponse<String> plain = send(HttpRequest.newBuilder(uri("/files")).header("Tus-Resumable", "1.0.0")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertEquals(204, plain.statusCode());
        assertTrue(plain.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        assertEquals("1.0.0", header(plain, "Tus-Version"), "TUS's own OPTIONS still answers");
        HttpResponse<String> other = send(HttpRequest.newBuilder(uri("/status")).header("Origin", allowed).header("X-Api-Key", API_KEY));
        assertEquals(200, other.statusCode());
        assertTrue(other.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), "/status is not for pages");
    }

    @Test
    void aPageOnAnAllowedOriginUploadsThroughAHeadlessBrowserAndAForeignOneCannot() throws Exception {
        String chromium = chromium();
        Path js = Path.of("src/test/js").toAbsolutePath();
        io.camelcast.FlowTests.npmCi(js, "playwright-core");
        List<String> cmd = new ArrayList<>(List.of("node", js.resolve("cors-browser.mjs").toString(), chromium,
                "http://127.0.0.1:" + port + "/files/", API_KEY, Integer.toString(BROWSER_FILE_SIZE),
                "allowed=" + allowed + "/page.html", "foreign=" + foreign + "/page.html"));
        Process node = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(120, TimeUnit.SECONDS), "the browser run ends");
        assertEquals(0, node.exitValue(), out);
        JsonNode result = JSON.readTree(out.lines().filter(l -> l.startsWith("{")).reduce((x, y) -> y).orElseThrow(() -> new AssertionError(out)));

        JsonNode ok = result.path("allowed");
        assertTrue(ok.path("ok").asBoolean(), "the allowed origin's upload: " + ok);
        String sha = sha256OfPageBytes(BROWSER_FILE_SIZE);
        assertEquals(sha, ok.path("sha256").asText(), "the page made the bytes this test expects");
        String id = ok.path("url").asText().replaceAll(".*/", "");
        JsonNode status = awaitDone(id);
        assertEquals(sha, status.path("sha256").asText(), status.toString());
        String key = status.path("steps").path("archive").path("key").asText();
        assertEquals(sha, objectSha("camelcast-archive", key), "the archive holds the browser's bytes");

        JsonNode refused = result.path("foreign");
        assertFalse(refused.path("ok").asBoolean(), "a page on a foreign origin cannot upload: " + refused);
        assertTrue(refused.path("console").toString().contains("CORS"), "the browser blamed CORS: " + refused);
    }

    // ---- helpers -----------------------------------------------------------------------------------

    /** The system's Chromium; outside CI a machine without one skips the browser case, in CI it must be there. */
    static String chromium() {
        for (String candidate : new String[] {System.getenv("CAMELCAST_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
            if (candidate != null && Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        String why = "no Chromium (apt-get install -y chromium, or set CAMELCAST_CHROMIUM)";
        if (System.getenv("CI") == null) {
            Assumptions.abort("skipped outside CI: " + why);
        }
        fail("CI must run the headless-browser CORS upload: " + why);
        return null;
    }

    /** A page server on its own port (its own origin): the upload page and tus-js-client's browser bundle. */
    static HttpServer pages() throws Exception {
        Path js = Path.of("src/test/js").toAbsolutePath();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Path file = switch (exchange.getRequestURI().getPath()) {
                case "/page.html" -> js.resolve("cors-page.html");
                case "/tus.min.js" -> js.resolve("node_modules/tus-js-client/dist/tus.min.js");
                default -> null;
            };
            if (file == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                byte[] body = Files.readAllBytes(file);
                exchange.getResponseHeaders().set("Content-Type", file.toString().endsWith(".html") ? "text/html; charset=utf-8"
                        : "text/javascript; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        return server;
    }

    static String sha256OfPageBytes(int size) throws Exception {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ((i * 31 + (i >> 8)) & 0xff);
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static String objectSha(String bucket, String key) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    static JsonNode awaitDone(String id) throws Exception {
        JsonNode[] last = new JsonNode[1];
        FlowTests.awaitTrue(() -> {
            try {
                HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/uploads/" + id)).header("X-Api-Key", API_KEY));
                last[0] = r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
                return last[0] != null && "DONE".equals(last[0].path("state").asText());
            } catch (Exception e) {
                return false;
            }
        }, "upload " + id + " DONE (last seen: " + last[0] + ")");
        return last[0];
    }

    static HttpResponse<String> preflight(String path, String origin, String method, String headers) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Origin", origin).header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", headers).method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String header(HttpResponse<?> r, String name) {
        assertTrue(r.headers().allValues(name).size() <= 1, "one " + name + ": " + r.headers().allValues(name));
        return r.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name + " in " + r.headers().map()));
    }

    static List<String> list(String header) {
        return List.of(header.toLowerCase(Locale.ROOT).split("\\s*,\\s*"));
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
