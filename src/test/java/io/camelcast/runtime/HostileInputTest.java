package io.camelcast.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.config.Settings;
import io.camelcast.sim.Simulators;
import io.camelcast.sim.ZoomSimulator;
import io.camelcast.store.AwsClients;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 10,000 generated malformed requests against the webhook, ingest and upload endpoints of a running
 * Camelcast: bad JSON, missing and wrong signatures, stale timestamps, download URLs outside the
 * allow-list, oversized bodies, wrong content types, path escapes, bad TUS headers, unknown ids, wrong
 * methods. Every answer must be a 4xx with a reason, no queue may hold a message afterwards, and the
 * process must still be healthy. Deterministic (fixed seed), so a failure can be replayed.
 */
class HostileInputTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String API_KEY = "hostile-test-api-key";
    static final int REQUESTS = 10_000;

    @TempDir
    static Path dir;
    static Simulators sims;
    static CamelcastRuntime runtime;
    static int port;
    static String secret;
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        sims = Simulators.start(0, 0, 0, 0);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path root = Files.createDirectories(dir.resolve("media"));
        Files.writeString(dir.resolve("outside.txt"), "secret");
        Path config = dir.resolve("camelcast.properties");
        Files.writeString(config, String.join("\n",
                "camelcast.data-dir=" + dir.resolve("state"),
                "camelcast.http.port=" + port,
                "camelcast.api-key=" + API_KEY,
                "camelcast.upload.root=" + root,
                "camelcast.upload.min-free-bytes=0",
                "camelcast.sqs.wait-seconds=1"), StandardCharsets.UTF_8);
        // the real Zoom hosts stay the allow-list: the forged URLs below point elsewhere
        Settings settings = sims.pointAt(Settings.load(config)).with("camelcast.zoom.download-hosts", "zoom.us,*.zoom.us");
        secret = settings.get("camelcast.zoom.webhook-secret");
        runtime = CamelcastRuntime.start(settings);
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
        if (sims != null) {
            sims.close();
        }
    }

    /** Vert.x refuses it before any route runs: the same JSON refusal and log line as the routes', no ERROR. */
    @Test
    void aBodyOverTheServersLimitIsRefusedWithItsReasonAndLogsNoError() throws Exception {
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen = new ch.qos.logback.core.read.ListAppender<>();
        seen.start();
        List<ch.qos.logback.classic.Logger> loggers = List.of((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.vertx"),
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.camelcast.runtime"));
        loggers.forEach(l -> l.addAppender(seen));
        try {
            HttpResponse<String> r = http.send(post("/zoom/webhook", new byte[(1 << 20) + 1], "Content-Type", "application/json"),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(413, r.statusCode());
            assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
            assertEquals("the body is larger than camelcast.http.max-body (1048576 bytes)",
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("message").asText(), r.body());
            List<String> lines = new ArrayList<>();
            synchronized (seen) {
                seen.list.forEach(e -> lines.add(e.getLevel() + " " + e.getFormattedMessage()));
            }
            assertTrue(lines.contains("INFO http refused status=413 method=POST path=/zoom/webhook reason=\"the body is larger than "
                    + "camelcast.http.max-body (1048576 bytes)\""), lines.toString());
            assertTrue(lines.stream().noneMatch(l -> l.startsWith("ERROR")), lines.toString());
        } finally {
            loggers.forEach(l -> l.detachAppender(seen));
        }
    }

    @Test
    void tenThousandMalformedRequestsGetA4xxEnqueueNothingAndTheProcessStaysUp() throws Exception {
        Random random = new Random(20261202);
        List<Supplier<HttpRequest>> kinds = kinds(random);
        Map<String, AtomicInteger> byStatus = new ConcurrentHashMap<>();
        Map<String, String> offenders = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            HttpRequest request;
            synchronized (random) {
                request = kinds.get(random.nextInt(kinds.size())).get();
            }
            sent.add(pool.submit(() -> {
                int status;
                String body;
                try {
                    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                    status = r.statusCode();
                    body = r.body();
                } catch (Exception e) {
                    status = -1;
                    body = e.toString();
                }
                byStatus.computeIfAbsent(Integer.toString(status), k -> new AtomicInteger()).incrementAndGet();
                if (status < 400 || status > 499) {
                    offenders.putIfAbsent(request.method() + " " + request.uri().getPath() + " -> " + status, body);
                }
                return null;
            }));
        }
        for (Future<?> f : sent) {
            f.get();
        }
        pool.shutdown();
        System.out.println("hostile requests by status: " + new TreeMap<>(byStatus));
        assertTrue(offenders.isEmpty(), "answers outside 4xx: " + offenders);
        assertEquals(REQUESTS, byStatus.values().stream().mapToInt(AtomicInteger::get).sum());

        // nothing enqueued anywhere, and the process is healthy
        try (SqsClient sqs = AwsClients.sqs(runtime.settings())) {
            for (String queue : Services.queues(runtime.settings())) {
                Map<String, Integer> counts = io.camelcast.FlowTests.queueCounts(sqs, queue);
                int total = counts.values().stream().mapToInt(Integer::intValue).sum();
                assertEquals(0, total, queue + " holds messages: " + counts);
            }
        }
        // nor waiting in the outbox in front of the download queue
        try (redis.clients.jedis.UnifiedJedis jedis = redis.clients.jedis.RedisClient.create(
                java.net.URI.create(runtime.settings().get("camelcast.redis.url")))) {
            String incoming = runtime.settings().get("camelcast.recording.incoming-queue");
            assertEquals(0, jedis.llen(io.camelcast.store.Outbox.key(incoming)), "outbox of " + incoming);
        }
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri("/observe/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());
    }

    /** Request generators, each malformed in its own way. */
    static List<Supplier<HttpRequest>> kinds(Random random) {
        List<Supplier<HttpRequest>> k = new ArrayList<>();
        for (String webhook : List.of("/zoom/webhook", "/zoom-upload")) {
            // not JSON, unsigned
            k.add(() -> post(webhook, garbage(random, 1 + random.nextInt(2000)), "Content-Type", "application/json"));
            // JSON, no signature
            k.add(() -> post(webhook, completed(random, "https://zoom.us/rec/download/x").toString(), "Content-Type", "application/json"));
            // wrong signature
            k.add(() -> signed(webhook, completed(random, "https://zoom.us/rec/download/x").toString(), "not-the-secret", now()));
            // stale timestamp, correctly signed
            k.add(() -> signed(webhook, completed(random, "https://zoom.us/rec/download/x").toString(), secret, now() - 3600));
            // signed, but a download URL outside the allow-list (internal addresses)
            k.add(() -> signed(webhook, completed(random, pick(random, "http://169.254.169.254/latest/meta-data/",
                    "http://127.0.0.1:6379/", "file:///etc/passwd", "http://localhost/rec", "https://zoom.us.evil.example/rec")).toString(),
                    secret, now()));
            // signed, required fields missing or of the wrong type
            k.add(() -> {
                ObjectNode e = completed(random, "https://zoom.us/rec/download/x");
                ObjectNode object = (ObjectNode) e.path("payload").path("object");
                object.remove(pick(random, "uuid", "id", "topic", "start_time", "host_id", "duration", "recording_files"));
                return signed(webhook, e.toString(), secret, now());
            });
            k.add(() -> {
                ObjectNode e = completed(random, "https://zoom.us/rec/download/x");
                ((ObjectNode) e.path("payload").path("object")).put("recording_files", "not a list");
                return signed(webhook, e.toString(), secret, now());
            });
            // signed, not JSON at all / JSON but not an object / no download token
            k.add(() -> signed(webhook, new String(garbage(random, 200), StandardCharsets.ISO_8859_1), secret, now()));
            k.add(() -> signed(webhook, pick(random, "[]", "42", "\"x\"", "null", "{\"event\": 7}"), secret, now()));
            k.add(() -> {
                ObjectNode e = completed(random, "https://zoom.us/rec/download/x");
                e.remove("download_token");
                return signed(webhook, e.toString(), secret, now());
            });
            // wrong method
            k.add(() -> HttpRequest.newBuilder(uri(webhook)).GET().build());
        }
        // oversized bodies (the HTTP server's limit, camelcast.http.max-body)
        k.add(() -> post("/custom-upload", new byte[2 << 20], "X-Api-Key", API_KEY, "Content-Type", "application/json"));
        k.add(() -> post("/zoom/webhook", new byte[(2 << 20) + random.nextInt(1000)], "Content-Type", "application/json"));
        // on-demand ingest: no key, wrong key, bad bodies
        k.add(() -> post("/ingest", "{\"uuid\": \"x\"}", "Content-Type", "application/json"));
        k.add(() -> post("/ingest", "{\"uuid\": \"x\"}", "X-Api-Key", "wrong-" + random.nextInt()));
        k.add(() -> post("/ingest", garbage(random, 300), "X-Api-Key", API_KEY));
        k.add(() -> post("/ingest", pick(random, "{}", "{\"uuid\": 5}", "{\"uuid\": \"\"}", "[]"), "X-Api-Key", API_KEY));
        // custom uploads: path escapes, bad bodies, no credentials
        k.add(() -> post("/custom-upload", "{\"path\": " + quote(pick(random, "../outside.txt", "/etc/passwd", "../../../../etc/shadow",
                "media/../../outside.txt", "/proc/self/environ", "", "nul\u0000l", "does-not-exist.mp4", "/")) + "}", "X-Api-Key", API_KEY));
        k.add(() -> post("/custom-upload", pick(random, "{}", "{\"path\": 1}", "{\"path\": \"x\", \"metadata\": [1]}",
                "{\"path\": \"x\", \"metadata\": {\"a\": {\"b\": 1}}}", "not json"), "X-Api-Key", API_KEY));
        k.add(() -> post("/custom-upload", "{\"path\": \"a.mp4\"}", "Authorization", "Bearer " + new String(garbage(random, 40),
                StandardCharsets.ISO_8859_1).replaceAll("[^A-Za-z0-9.]", "a")));
        // manual uploads of unknown or malformed ids
        k.add(() -> post("/manual-upload", "{\"id\": " + quote(pick(random, "0123456789abcdef0123456789abcdef", "../x", "", "%00",
                "zzzz")) + "}", "X-Api-Key", API_KEY));
        // TUS: bad creation headers, unknown uploads, wrong content types, no version, no credentials
        k.add(() -> tus("POST", "/files", pick(random, "-1", "abc", "99999999999999999999", "1e9", ""), null));
        k.add(() -> tus("POST", "/files", "100", "filename " + pick(random, "!!notbase64!!", "a b c", "YQ==,,x y z", "a%%")));
        k.add(() -> HttpRequest.newBuilder(uri("/files")).header("X-Api-Key", API_KEY).header("Upload-Length", "10")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        k.add(() -> HttpRequest.newBuilder(uri("/files")).header("Tus-Resumable", "1.0.0").header("Upload-Length", "10")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        k.add(() -> HttpRequest.newBuilder(uri("/files/" + hex(random))).header("Tus-Resumable", "1.0.0").header("X-Api-Key", API_KEY)
                .header("Upload-Offset", "0").header("Content-Type", pick(random, "application/offset+octet-stream", "text/plain"))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(garbage(random, 100))).build());
        k.add(() -> HttpRequest.newBuilder(uri("/files/" + pick(random, "..", "x", hex(random))))
                .header("Tus-Resumable", "1.0.0").header("X-Api-Key", API_KEY)
                .method(pick(random, "HEAD", "DELETE"), HttpRequest.BodyPublishers.noBody()).build());
        // status of unknown or malformed ids; wrong methods
        k.add(() -> HttpRequest.newBuilder(uri("/uploads/" + pick(random, hex(random), "x", "..", "%2e%2e")))
                .header("X-Api-Key", API_KEY).GET().build());
        k.add(() -> HttpRequest.newBuilder(uri("/uploads/" + hex(random))).GET().build());
        k.add(() -> HttpRequest.newBuilder(uri(pick(random, "/custom-upload", "/manual-upload", "/ingest"))).GET().build());
        // per-meeting series overrides: no key, wrong key, bad bodies, bad meeting ids, wrong methods
        k.add(() -> put("/schedule/meetings/" + (90_000_000_000L + random.nextInt(1000)), "{\"seriesId\": \"s\"}",
                pick(random, "", "wrong-" + random.nextInt())));
        k.add(() -> put("/schedule/meetings/" + (90_000_000_000L + random.nextInt(1000)), pick(random, "not json", "{}", "[]",
                "{\"seriesId\": 5}", "{\"seriesId\": \"\"}", "{\"seriesId\": \"a b\"}", "{\"seriesId\": null}", "",
                new String(garbage(random, 200), StandardCharsets.ISO_8859_1)), API_KEY));
        k.add(() -> put("/schedule/meetings/" + pick(random, "..", "a%20b", "%00", "x".repeat(65), "%3Cscript%3E"),
                "{\"seriesId\": \"s\"}", API_KEY));
        k.add(() -> HttpRequest.newBuilder(uri("/schedule/meetings/" + random.nextInt(1000)))
                .method(pick(random, "GET", "POST", "DELETE"), HttpRequest.BodyPublishers.noBody()).build());
        return k;
    }

    static ObjectNode completed(Random random, String downloadUrl) {
        ObjectNode e = JSON.createObjectNode();
        e.put("event", "recording.completed");
        e.put("event_ts", System.currentTimeMillis());
        e.put("download_token", "t" + random.nextInt());
        ObjectNode object = e.putObject("payload").putObject("object");
        object.put("uuid", "u" + random.nextInt() + "==");
        object.put("id", 90_000_000_000L + random.nextInt(1_000_000));
        object.put("host_id", "h");
        object.put("topic", "t");
        object.put("start_time", "2026-11-17T15:00:00Z");
        object.put("duration", 60);
        ObjectNode file = object.putArray("recording_files").addObject();
        file.put("id", "f" + random.nextInt());
        file.put("recording_start", "2026-11-17T15:00:00Z");
        file.put("recording_end", "2026-11-17T16:00:00Z");
        file.put("download_url", downloadUrl);
        file.put("file_type", "MP4");
        file.put("recording_type", "active_speaker");
        file.put("status", "completed");
        if (random.nextBoolean()) {
            e.put("unexpected_" + random.nextInt(100), "\u00e9\u4e2d\ud83d\ude00");
        }
        return e;
    }

    static HttpRequest signed(String path, String body, String key, long timestamp) {
        String ts = Long.toString(timestamp);
        return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .header("x-zm-request-timestamp", ts).header("x-zm-signature", ZoomSimulator.sign(key, ts, body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static HttpRequest post(String path, Object body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b.POST(body instanceof byte[] bytes ? HttpRequest.BodyPublishers.ofByteArray(bytes)
                : HttpRequest.BodyPublishers.ofString(String.valueOf(body))).build();
    }

    static HttpRequest put(String path, String body, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json");
        if (!key.isEmpty()) {
            b.header("X-Api-Key", key);
        }
        return b.PUT(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static HttpRequest tus(String method, String path, String length, String metadata) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Tus-Resumable", "1.0.0").header("X-Api-Key", API_KEY);
        if (length != null && !length.isEmpty()) {
            b.header("Upload-Length", length);
        }
        if (metadata != null) {
            b.header("Upload-Metadata", metadata);
        }
        return b.method(method, HttpRequest.BodyPublishers.noBody()).build();
    }

    static byte[] garbage(Random random, int size) {
        byte[] b = new byte[size];
        synchronized (random) {
            random.nextBytes(b);
        }
        return b;
    }

    static String hex(Random random) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(garbage(random, 12)).replaceAll("[^a-f0-9]", "0");
    }

    @SafeVarargs
    static <T> T pick(Random random, T... choices) {
        synchronized (random) {
            return choices[random.nextInt(choices.length)];
        }
    }

    static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static long now() {
        return Instant.now().getEpochSecond();
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
