package io.camelcast.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelcast.config.Settings;
import io.camelcast.sim.Simulators;
import io.camelcast.sim.ZoomSimulator;
import io.camelcast.store.Outbox;
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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Coverage-guided fuzzing (Jazzer) of the HTTP endpoints of a running Camelcast: the Zoom webhooks, the
 * on-demand ingest, custom uploads and the TUS server. Jazzer instruments our own classes (the
 * verifier, intake, TUS and path checks the routes call) and mutates the requests towards new branches;
 * each request goes through the real HTTP stack and routes.
 *
 * <p>What every answer must satisfy: no 5xx and no dropped connection; a webhook without our signature
 * or outside the replay window is 401; a missing or wrong API key is 401; anything refused (4xx)
 * leaves the download outbox and the upload queue as they were; a custom upload is accepted only for
 * the one file inside the upload root. Health is UP at the end.
 *
 * <p>{@code mvn verify} runs it in fuzzing mode for {@code maxDuration} in a JVM of its own (surefire
 * execution {@code fuzz}, {@code JAZZER_FUZZ=1}: Jazzer fuzzes one test per JVM); elsewhere it replays
 * the empty input and any saved findings under {@code EndpointFuzzTestInputs}.
 */
class EndpointFuzzTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String API_KEY = "fuzz-test-api-key";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static final Map<String, AtomicLong> ANSWERS = new TreeMap<>();

    static Path dir;
    static Simulators sims;
    static CamelcastRuntime runtime;
    static UnifiedJedis redis;
    static String secret;
    static String outbox;
    static int port;
    static String tusUpload;
    static volatile boolean fuzzing;
    static final String MEDIA_SECRET = "fuzz-media-jwt-secret";
    static boolean readyHook;

    /**
     * The runtime talks to its embedded stores and the simulators on loopback; a connection anywhere else
     * made while handling a fuzzed request is a finding (server-side request forgery). Jazzer's policy is
     * one for the whole JVM, so it also covers the runtime's own threads.
     */
    static void allowLoopbackOnly() {
        BugDetectors.allowNetworkConnections((host, port) -> host.equals("localhost") || host.startsWith("127."));
    }

    /** Started on the first input, after Jazzer's agent is in place, so our classes load instrumented. */
    static synchronized void start() throws Exception {
        if (runtime != null) {
            return;
        }
        dir = Files.createTempDirectory("camelcast-fuzz");
        sims = Simulators.start(0, 0, 0, 0);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path root = Files.createDirectories(dir.resolve("media"));
        Files.writeString(root.resolve("lecture.mp4"), "a lecture");
        Files.writeString(dir.resolve("outside.mp4"), "not for upload");
        Files.createSymbolicLink(root.resolve("escape.mp4"), dir.resolve("outside.mp4"));
        Settings settings = sims.pointAt(Settings.load(null))
                .with("camelcast.data-dir", dir.resolve("state").toString())
                .with("camelcast.http.port", Integer.toString(port))
                .with("camelcast.api-key", API_KEY)
                .with("camelcast.upload.root", root.toString())
                .with("camelcast.upload.auto-enqueue", "false")
                .with("camelcast.upload.min-free-bytes", "0")
                .with("camelcast.upload.max-size", "1048576")
                // accepted work is not carried out while the fuzzer runs: only intake is under test
                .with("camelcast.recording.webhook-delay", "900")
                .with("camelcast.media.jwt-secret", MEDIA_SECRET)
                .with("camelcast.outbox.quiet-ms", "3600000")
                .with("camelcast.outbox.lead-seconds", "0")
                .with("camelcast.zoom.download-hosts", "zoom.us,*.zoom.us");
        secret = settings.get("camelcast.zoom.webhook-secret");
        runtime = CamelcastRuntime.start(settings);
        redis = RedisClient.create(URI.create(runtime.settings().get("camelcast.redis.url")));
        outbox = Outbox.key(runtime.settings().get("camelcast.recording.incoming-queue"));
        HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/files")).header("Tus-Resumable", "1.0.0")
                .header("X-Api-Key", API_KEY).header("Upload-Length", "64").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(201, created.statusCode(), created.body());
        tusUpload = URI.create(created.headers().firstValue("Location").orElseThrow()).getPath();
    }

    @AfterAll
    static void stop() throws Exception {
        if (System.getenv("JAZZER_FUZZ") != null) {
            long requests = ANSWERS.values().stream().mapToLong(AtomicLong::get).sum();
            assertTrue(runtime != null && requests >= 100, "the fuzzer sent only " + requests + " requests to a running runtime");
        }
        if (runtime != null) {
            HttpResponse<String> health = send(HttpRequest.newBuilder(uri("/observe/health")).build());
            System.out.println("fuzzed requests by endpoint and answer: " + ANSWERS);
            assertEquals(200, health.statusCode(), "the process stays healthy: " + health.body());
            redis.close();
            runtime.close();
            sims.close();
        }
    }

    @FuzzTest(maxDuration = "45s")
    @DictionaryEntries({"{\"event\":\"", "recording.completed", "endpoint.url_validation", "on.demand.ingest", "recording.started",
            "\"payload\":{\"object\":{", "\"uuid\":\"", "\"recording_files\":[{", "\"download_url\":\"https://zoom.us/rec/download/",
            "\"download_token\":\"", "\"file_type\":\"MP4\"", "\"recording_type\":\"shared_screen\"", "\"plainToken\":\"",
            "\"start_time\":\"2026-11-17T15:00:00Z\"", "\"duration\":", "\"host_id\":\"", "\"topic\":\"", "\"id\":",
            "\"path\":\"", "lecture.mp4", "../", "escape.mp4", "\"metadata\":{", "filename ", "application/offset+octet-stream",
            "sha1 ", "sha256 ", "md5 ", "1.0.0", "{\"seriesId\":\""})
    void everyAnswerIsDeliberateAndRefusalsEnqueueNothing(FuzzedDataProvider data) throws Exception {
        allowLoopbackOnly();
        if (System.getenv("JAZZER_FUZZ") != null && !fuzzing) {
            // the replay of the empty input that comes before fuzzing: starting the runtime now would leave
            // its threads connecting (SQS polls, Redis) while Jazzer resets the network policy to "deny
            // all" as fuzzing starts, and that connection is reported as a finding. The fuzzer's own first
            // input is the empty one.
            if (!readyHook) {
                readyHook = true;
                com.code_intelligence.jazzer.api.Jazzer.onFuzzTargetReady(() -> {
                    allowLoopbackOnly();
                    fuzzing = true;
                });
            }
            return;
        }
        start();
        long outboxBefore = redis.llen(outbox);
        long uploadsBefore = queuedUploads();
        switch (data.consumeInt(0, 6)) {
            case 0 -> webhook(data, outboxBefore, uploadsBefore);
            case 1 -> ingest(data, outboxBefore, uploadsBefore);
            case 2 -> customUpload(data, outboxBefore, uploadsBefore);
            case 3 -> tusCreate(data, outboxBefore, uploadsBefore);
            case 4 -> scheduleOverride(data, outboxBefore, uploadsBefore);
            case 5 -> mediaAnswer(data);
            default -> tusPatch(data, outboxBefore, uploadsBefore);
        }
    }

    /**
     * POST /media/upload/answer (seed 004): a fuzzed multipart answer (the JSON part, the video's bytes) with a
     * mentor's good token, a forged one or none; whatever is refused leaves no media record behind.
     */
    private void mediaAnswer(FuzzedDataProvider data) throws Exception {
        int auth = data.consumeInt(0, 2);
        String body = data.consumeString(300);
        byte[] video = data.consumeRemainingAsBytes();
        String token = switch (auth) {
            case 0 -> com.auth0.jwt.JWT.create().withClaim("id", "fuzz").withClaim("role", "USER")
                    .withClaim("mentorIds", java.util.List.of("fuzz-mentor")).withExpiresAt(java.time.Instant.now().plusSeconds(600))
                    .sign(com.auth0.jwt.algorithms.Algorithm.HMAC256(MEDIA_SECRET));
            case 1 -> com.auth0.jwt.JWT.create().withClaim("id", "fuzz").withClaim("role", "ADMIN")
                    .withExpiresAt(java.time.Instant.now().plusSeconds(600)).sign(com.auth0.jwt.algorithms.Algorithm.HMAC256("forged"));
            default -> null;
        };
        String boundary = "fuzz" + Long.toHexString(System.nanoTime());
        java.io.ByteArrayOutputStream form = new java.io.ByteArrayOutputStream();
        form.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\n" + body + "\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"video\"; filename=\"a.mp4\"\r\nContent-Type: video/mp4\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        form.write(video);
        form.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/media/upload/answer"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.toByteArray()));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        java.util.Set<String> before = redis.keys("camelcast:media:*");
        int status = answer("/media/upload/answer", b.build());
        if (auth != 0) {
            assertEquals(401, status, "/media/upload/answer without a good token");
        }
        if (status != 200) {
            assertEquals(before, redis.keys("camelcast:media:*"), "a refused answer upload (" + status + ") left a media record");
        }
    }

    /** PUT /schedule/meetings/{id}: stored only when answered 200, and then exactly the seriesId sent. */
    private void scheduleOverride(FuzzedDataProvider data, long outboxBefore, long uploadsBefore) throws Exception {
        boolean key = data.consumeBoolean();
        String meeting = data.consumeString(70);
        String body = data.consumeRemainingAsString();
        String path = "/schedule/meetings/" + java.net.URLEncoder.encode(meeting, StandardCharsets.UTF_8).replace("+", "%20");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        header(b, "X-Api-Key", key ? API_KEY : "wrong-key");
        String before = redis.hget("camelcast:schedule:overrides", meeting);
        int status = answer("/schedule/meetings", b.build());
        if (!key) {
            // an id that is no path segment of its own (empty, dot segments, an encoded slash) finds no route: 404
            boolean plainId = meeting.matches("[A-Za-z0-9_-]+");
            assertTrue(status == 401 || (status == 404 && !plainId), "/schedule/meetings without the API key answered " + status);
        }
        String after = redis.hget("camelcast:schedule:overrides", meeting);
        if (status == 200) {
            assertEquals(JSON.readTree(body).path("seriesId").asText(), after, "the override stored is the one sent");
            redis.hdel("camelcast:schedule:overrides", meeting);
        } else {
            assertEquals(before, after, "a refused override stores nothing");
        }
        refusedLeavesQueuesAlone("/schedule/meetings", status, outboxBefore, uploadsBefore);
    }

    private void webhook(FuzzedDataProvider data, long outboxBefore, long uploadsBefore) throws Exception {
        String path = data.consumeBoolean() ? "/zoom/webhook" : "/zoom-upload";
        boolean signed = data.consumeBoolean();
        long now = Instant.now().getEpochSecond();
        long skew = data.consumeBoolean() ? 0 : data.consumeLong(-100_000, 100_000);
        String ts = data.consumeBoolean() ? Long.toString(now + skew) : data.consumeString(16);
        String contentType = data.consumeBoolean() ? "application/json" : data.consumeString(40);
        String body = data.consumeRemainingAsString();
        String signature = signed ? ZoomSimulator.sign(secret, ts, body) : data.consumeString(80);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        header(b, "Content-Type", contentType);
        header(b, "x-zm-request-timestamp", ts);
        header(b, "x-zm-signature", signature);
        int status = answer(path, b.build());
        boolean inWindow = ts.trim().matches("\\d{1,12}") && Math.abs(Long.parseLong(ts.trim()) - now) <= 300;
        if (!signed || !inWindow) {
            // a signature made over other bytes or a stale or unreadable timestamp: refused, whatever the body
            if (status != 401 && status != 413) {
                fail(path + " answered " + status + " to an unsigned or stale request");
            }
        } else if (status == 200 && isEvent(body, "recording.completed")) {
            assertTrue(redis.llen(outbox) <= outboxBefore + 1, "one accepted webhook, at most one outbox entry");
            return;
        }
        refusedLeavesQueuesAlone(path, status, outboxBefore, uploadsBefore);
    }

    private void ingest(FuzzedDataProvider data, long outboxBefore, long uploadsBefore) throws Exception {
        boolean key = data.consumeBoolean();
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/ingest"))
                .POST(HttpRequest.BodyPublishers.ofString(data.consumeRemainingAsString(), StandardCharsets.UTF_8));
        header(b, "X-Api-Key", key ? API_KEY : "wrong-key");
        int status = answer("/ingest", b.build());
        if (!key) {
            assertEquals(401, status, "/ingest without the API key");
        }
        // no recording is registered with the Zoom simulator, so nothing can be accepted
        refusedLeavesQueuesAlone("/ingest", status, outboxBefore, uploadsBefore);
    }

    private void customUpload(FuzzedDataProvider data, long outboxBefore, long uploadsBefore) throws Exception {
        boolean json = data.consumeBoolean();
        String pathValue = data.consumeString(200);
        String body = json ? JSON.createObjectNode().put("path", pathValue).toString() : data.consumeRemainingAsString();
        int status = answer("/custom-upload", HttpRequest.newBuilder(uri("/custom-upload")).header("X-Api-Key", API_KEY)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
        if (status / 100 == 2) {
            Path real = dir.resolve("media").resolve(pathValue).toRealPath();
            assertTrue(json && real.equals(dir.resolve("media").resolve("lecture.mp4").toRealPath()),
                    "only the file inside the upload root is taken, not " + pathValue);
            return;
        }
        refusedLeavesQueuesAlone("/custom-upload", status, outboxBefore, uploadsBefore);
    }

    private void tusCreate(FuzzedDataProvider data, long outboxBefore, long uploadsBefore) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/files")).header("X-Api-Key", API_KEY);
        header(b, "Tus-Resumable", data.consumeBoolean() ? "1.0.0" : data.consumeString(10));
        header(b, "Upload-Length", data.consumeString(24));
        header(b, "Upload-Metadata", data.consumeString(300));
        if (data.consumeBoolean()) {
            header(b, "Content-Type", "application/offset+octet-stream");
        }
        int status = answer("/files", b.POST(HttpRequest.BodyPublishers.ofByteArray(data.consumeRemainingAsBytes())).build());
        if (status != 201) {
            refusedLeavesQueuesAlone("/files", status, outboxBefore, uploadsBefore);
        }
    }

    private void tusPatch(FuzzedDataProvider data, long outboxBefore, long uploadsBefore) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(data.consumeBoolean() ? tusUpload : "/files/" + data.consumeString(40)))
                .header("X-Api-Key", API_KEY).header("Tus-Resumable", "1.0.0");
        header(b, "Upload-Offset", data.consumeString(24));
        header(b, "Content-Type", data.consumeBoolean() ? "application/offset+octet-stream" : data.consumeString(40));
        if (data.consumeBoolean()) {
            header(b, "Upload-Checksum", data.consumeString(80));
        }
        int status = answer("PATCH /files", b.method("PATCH", HttpRequest.BodyPublishers.ofByteArray(data.consumeRemainingAsBytes())).build());
        if (status != 204) {
            refusedLeavesQueuesAlone("PATCH /files", status, outboxBefore, uploadsBefore);
        }
    }

    /** Every answer other than a deliberate one is a finding: a 5xx, a dropped connection, a 3xx. */
    private static int answer(String endpoint, HttpRequest request) throws Exception {
        int status;
        try {
            status = send(request).statusCode();
        } catch (java.io.IOException e) {
            fail(endpoint + ": no answer (" + e + ")");
            return -1;
        }
        synchronized (ANSWERS) {
            ANSWERS.computeIfAbsent(endpoint + " " + status, k -> new AtomicLong()).incrementAndGet();
        }
        if (status >= 500 || status < 200 || status / 100 == 3) {
            fail(endpoint + " answered " + status);
        }
        return status;
    }

    private static void refusedLeavesQueuesAlone(String endpoint, int status, long outboxBefore, long uploadsBefore) throws Exception {
        if (status / 100 == 2 && status != 204) {
            return;
        }
        assertEquals(outboxBefore, redis.llen(outbox), endpoint + " answered " + status + " but the download outbox changed");
        assertEquals(uploadsBefore, queuedUploads(), endpoint + " answered " + status + " but an upload was queued");
    }

    /** Upload items queued so far (the intake's duplicate guard keeps a key per queued item). */
    private static long queuedUploads() {
        return redis.keys("camelcast:idem:upload-intake:*").size();
    }

    private static boolean isEvent(String body, String event) {
        try {
            JsonNode n = JSON.readTree(body);
            return n != null && event.equals(n.path("event").asText());
        } catch (Exception e) {
            return false;
        }
    }

    /** Header values the HTTP client refuses to send (control characters) are left out, as a proxy would drop them. */
    private static void header(HttpRequest.Builder b, String name, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        try {
            b.header(name, value);
        } catch (IllegalArgumentException notSendable) {
            // java.net.http refuses CR, LF and other control characters in header values
        }
    }

    static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static URI uri(String path) {
        try {
            return URI.create("http://127.0.0.1:" + port + (path.startsWith("/") ? path : "/" + path));
        } catch (IllegalArgumentException e) {
            // a fuzzed id that is not a URI path segment: send it percent-encoded
            return URI.create("http://127.0.0.1:" + port + "/files/" + java.net.URLEncoder.encode(path.substring("/files/".length()),
                    StandardCharsets.UTF_8));
        }
    }
}
