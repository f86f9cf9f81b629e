package io.camelcast.upload;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.FlowTests;
import io.camelcast.config.Settings;
import io.camelcast.runtime.CamelcastRuntime;
import io.camelcast.sim.Faults;
import io.camelcast.sim.Simulators;
import io.camelcast.store.AwsClients;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upload flow through the running routes: TUS (with tus-java-client), /custom-upload, /manual-upload
 * and /zoom-upload in; the archive bucket (the embedded S3, checked with the AWS SDK), the Bunny simulator
 * and the site simulator (the notification receiver) out; faults injected into the simulators.
 */
class UploadFlowTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String API_KEY = "upload-test-api-key";
    static final String JWT_SECRET = "upload-test-jwt-secret";

    @TempDir
    static Path dir;
    static Path root;
    static Simulators sims;
    static Settings settings;
    static CamelcastRuntime runtime;
    static Path config;
    static int port;
    static S3Client s3;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        sims = Simulators.start(0, 0, 0, 0);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        root = Files.createDirectories(dir.resolve("media"));
        config = dir.resolve("camelcast.properties");
        Files.writeString(config, String.join("\n",
                "camelcast.data-dir=" + dir.resolve("state"),
                "camelcast.http.port=" + port,
                "camelcast.api-key=" + API_KEY,
                "camelcast.upload.jwt-secret=" + JWT_SECRET,
                "camelcast.upload.root=" + root,
                "camelcast.upload.retry-delays=1s,1s,1s",
                "camelcast.upload.min-free-bytes=0",
                "camelcast.archive.part-size=5242880",
                // several PATCH requests per Bunny upload, so one can be cut
                "camelcast.bunny.request-bytes=1048576",
                "camelcast.sqs.wait-seconds=1",
                "camelcast.recording.webhook-delay=0",
                "camelcast.zoom.download-hosts=127.0.0.1"), StandardCharsets.UTF_8);
        settings = sims.pointAt(Settings.load(config));
        runtime = CamelcastRuntime.start(settings);
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
    }

    @BeforeEach
    void clearFaults() {
        sims.bunny().faults().clear();
        sims.site().faults().clear();
    }

    // ---- TUS -------------------------------------------------------------------------------------

    @Test
    void aTusUploadBrokenOffHalfWayResumesAfterARestartAndEndsArchivedInBunnyAndNotifiedOnce() throws Exception {
        Path file = randomFile("lecture.mp4", 12 << 20);
        TusClient client = tusClient(Map.of("X-Api-Key", API_KEY));
        TusUpload upload = new TusUpload(file.toFile());
        upload.setMetadata(Map.of("filename", "lecture.mp4", "filetype", "video/mp4", "title", "Week 4", "ace_id", "ace-4711"));
        TusUploader first = client.resumeOrCreateUpload(upload);
        first.setChunkSize(256 * 1024);
        first.setRequestPayloadSize(1 << 20);
        while (first.getOffset() < (6 << 20) && first.uploadChunk() > -1) {
            // half of it
        }
        first.finish();
        String id = first.getUploadURL().getPath().replaceAll(".*/", "");
        long half = first.getOffset();
        assertTrue(half >= 6 << 20 && half < 12 << 20, "stopped half way at " + half);

        // Camelcast restarts in the middle of the upload
        runtime.close();
        runtime = CamelcastRuntime.start(settings);
        s3.close();
        s3 = AwsClients.s3(runtime.settings());

        HttpResponse<String> head = http.send(HttpRequest.newBuilder(URI.create(base() + "/files/" + id))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Tus-Resumable", "1.0.0")
                .header("X-Api-Key", API_KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
        assertEquals(Long.toString(half), head.headers().firstValue("Upload-Offset").orElseThrow(), "the saved offset survived");

        TusUploader resumed = client.resumeOrCreateUpload(new TusUpload(file.toFile()) {{
            setMetadata(upload.getMetadata());
        }});
        assertEquals(half, resumed.getOffset(), "the client resumes where the server says");
        resumed.setRequestPayloadSize(4 << 20);
        while (resumed.uploadChunk() > -1) {
            // the rest
        }
        resumed.finish();

        JsonNode status = awaitState(id, "DONE");
        String sha = sha256(file);
        assertEquals(sha, status.path("sha256").asText());
        assertEquals("ace-4711", status.path("metadata").path("ace_id").asText());
        assertEquals("DONE", status.path("steps").path("archive").path("state").asText());
        assertEquals("DONE", status.path("steps").path("bunny").path("state").asText());
        assertEquals("DONE", status.path("steps").path("notify").path("state").asText());

        // the archive object, read back with the AWS SDK
        String key = status.path("steps").path("archive").path("key").asText();
        assertTrue(key.startsWith("tus/") && key.endsWith("/" + id + "/lecture.mp4"), key);
        assertEquals(sha, objectSha("camelcast-archive", key));
        assertEquals(1, status.path("steps").path("archive").path("parts").asInt(),
                "copied from staging inside the store (one CopyObject), not streamed through the instance");

        // the video in the Bunny simulator: same bytes
        String guid = status.path("steps").path("bunny").path("guid").asText();
        ObjectNode video = video(guid);
        assertEquals(12 << 20, video.path("storageSize").asLong());
        assertEquals(sha, video.path("sha256").asText());
        assertEquals("Week 4", video.path("title").asText());

        // exactly one notification, correctly signed, saying where everything is
        List<Map<String, Object>> notes = notifications(id);
        assertEquals(1, notes.size(), notes.toString());
        assertEquals(true, notes.get(0).get("valid_signature"));
        JsonNode body = JSON.valueToTree(notes.get(0).get("body"));
        assertEquals(key, body.path("archive").path("key").asText());
        assertEquals(guid, body.path("bunny").path("guid").asText());
        assertEquals(sha, body.path("sha256").asText());
        assertEquals(12 << 20, body.path("size").asLong());
        assertEquals("ace-4711", body.path("metadata").path("ace_id").asText());

        // the staged bytes are gone after success, and the TUS upload with it
        awaitTrue(() -> !stagingHas("uploads/tus/" + id), "the staging object removed");
        assertEquals(404, head(id).statusCode());

        // the CLI reads the same record
        String cli = cli("status", id);
        assertTrue(cli.contains("DONE") && cli.contains(key), cli);
    }

    @Test
    void aChunkWhoseChecksumDoesNotMatchIs460AndIsNotKept() throws Exception {
        HttpResponse<String> created = http.send(tus("POST", base() + "/files").header("Upload-Length", "10")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        String location = created.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(base() + "/files/"), location);
        byte[] data = "0123456789".getBytes(StandardCharsets.US_ASCII);
        String wrong = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest("something else".getBytes()));
        HttpResponse<String> mismatch = http.send(tus("PATCH", location).header("Upload-Offset", "0")
                .header("Content-Type", "application/offset+octet-stream").header("Upload-Checksum", "sha1 " + wrong)
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(460, mismatch.statusCode(), mismatch.body());
        String id = location.replaceAll(".*/", "");
        assertEquals("0", head(id).headers().firstValue("Upload-Offset").orElseThrow(), "the chunk was discarded");

        String right = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(data));
        HttpResponse<String> ok = http.send(tus("PATCH", location).header("Upload-Offset", "0")
                .header("Content-Type", "application/offset+octet-stream").header("Upload-Checksum", "sha1 " + right)
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, ok.statusCode(), ok.body());
        assertEquals("10", ok.headers().firstValue("Upload-Offset").orElseThrow());
        awaitState(id, "DONE");
    }

    @Test
    void tusAnswersItsCapabilitiesAndRefusesWhatItCannotTake() throws Exception {
        HttpResponse<String> options = http.send(HttpRequest.newBuilder(URI.create(base() + "/files"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, options.statusCode());
        assertEquals("1.0.0", options.headers().firstValue("Tus-Version").orElseThrow());
        assertTrue(options.headers().firstValue("Tus-Extension").orElseThrow().contains("checksum"));
        assertTrue(options.headers().firstValue("Tus-Checksum-Algorithm").orElseThrow().contains("sha1"));

        HttpResponse<String> noAuth = http.send(HttpRequest.newBuilder(URI.create(base() + "/files")).header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", "5").POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, noAuth.statusCode());
        HttpResponse<String> tooBig = http.send(tus("POST", base() + "/files").header("Upload-Length", Long.toString(Long.MAX_VALUE))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, tooBig.statusCode());
        HttpResponse<String> noVersion = http.send(HttpRequest.newBuilder(URI.create(base() + "/files")).header("X-Api-Key", API_KEY)
                .header("Upload-Length", "5").POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(412, noVersion.statusCode());

        HttpResponse<String> created = http.send(tus("POST", base() + "/files").header("Upload-Length", "4")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        String location = created.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> wrongOffset = http.send(tus("PATCH", location).header("Upload-Offset", "2")
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("ab")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(409, wrongOffset.statusCode());
        // a refused PATCH with a body larger than the socket buffers: the server drops the unread rest, so the JDK
        // client (which reads the answer only once it has sent everything) gets its 409, and the connection its next
        // request (it once waited for ever)
        HttpResponse<String> bigRefused = http.sendAsync(tus("PATCH", location).header("Upload-Offset", "3")
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[8 << 20])).build(), HttpResponse.BodyHandlers.ofString())
                .get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(409, bigRefused.statusCode(), bigRefused.body());
        assertEquals(200, head(location.replaceAll(".*/", "")).statusCode());
        HttpResponse<String> terminated = http.send(tus("DELETE", location).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, terminated.statusCode());
        assertEquals(404, head(location.replaceAll(".*/", "")).statusCode());
    }

    // ---- custom and manual uploads ----------------------------------------------------------------

    @Test
    void aPathOutsideTheUploadRootIs400AndNothingIsQueued() throws Exception {
        Path outside = Files.writeString(dir.resolve("secret.txt"), "not for upload");
        Files.createSymbolicLink(root.resolve("escape.mp4"), outside);
        long before = uploadRecords();
        for (String path : List.of("../secret.txt", outside.toString(), "escape.mp4", "no-such-file.mp4")) {
            HttpResponse<String> r = post("/custom-upload", "{\"path\": " + JSON.writeValueAsString(path) + "}", "X-Api-Key", API_KEY);
            assertEquals(400, r.statusCode(), path + ": " + r.body());
            assertTrue(JSON.readTree(r.body()).path("message").asText().length() > 5, r.body());
        }
        assertEquals(400, post("/custom-upload", "not json", "X-Api-Key", API_KEY).statusCode());
        Path inside = randomFile("talk.mp4", 64 * 1024);
        assertEquals(401, post("/custom-upload", "{\"path\": \"talk.mp4\"}", "X-Api-Key", "wrong").statusCode());
        assertEquals(401, post("/custom-upload", "{\"path\": \"talk.mp4\"}", "Authorization", "Bearer not-a-token").statusCode());
        assertEquals(before, uploadRecords(), "nothing was queued");

        // a site's HS256 token is as good as the API key
        String token = JWT.create().withSubject("ace-site").withExpiresAt(Instant.now().plusSeconds(60)).sign(Algorithm.HMAC256(JWT_SECRET));
        HttpResponse<String> ok = post("/custom-upload", "{\"path\": \"talk.mp4\", \"metadata\": {\"title\": \"Talk\"}}",
                "Authorization", "Bearer " + token);
        assertEquals(202, ok.statusCode(), ok.body());
        String id = JSON.readTree(ok.body()).path("id").asText();
        JsonNode status = awaitState(id, "DONE");
        assertEquals(sha256(inside), objectSha("camelcast-archive", status.path("steps").path("archive").path("key").asText()));
        assertTrue(Files.exists(inside), "the operator's file stays (camelcast.upload.delete-custom-files=false)");
        awaitTrue(() -> !stagingHas("uploads/custom/" + id), "the staged copy removed after DONE");
    }

    @Test
    void manualUploadTakesAFinishedTusUploadById() throws Exception {
        // /manual-upload for an unknown or unfinished upload is refused
        assertEquals(404, post("/manual-upload", "{\"id\": \"0123456789abcdef0123456789abcdef\"}", "X-Api-Key", API_KEY).statusCode());
        HttpResponse<String> created = http.send(tus("POST", base() + "/files").header("Upload-Length", "8")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        String id = created.headers().firstValue("Location").orElseThrow().replaceAll(".*/", "");
        assertEquals(409, post("/manual-upload", "{\"id\": \"" + id + "\"}", "X-Api-Key", API_KEY).statusCode());
        http.send(tus("PATCH", base() + "/files/" + id).header("Upload-Offset", "0")
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("12345678")).build(), HttpResponse.BodyHandlers.ofString());
        // the site's old hop still works and does not queue the upload twice
        HttpResponse<String> manual = post("/manual-upload", "{\"id\": \"" + id + "\", \"metadata\": {\"ace_id\": \"ace-9\"}}",
                "X-Api-Key", API_KEY);
        assertTrue(manual.statusCode() == 202 || manual.statusCode() == 404, manual.body());
        awaitState(id, "DONE");
        assertEquals(1, notifications(id).size());
    }

    // ---- faults -----------------------------------------------------------------------------------

    @Test
    void bunnyAnswering500TwiceStillEndsDoneWithOneNotification() throws Exception {
        sims.bunny().faults().add(new Faults.Fault(500, 2, 0, "/library/", "POST", null, null));
        randomFile("flaky.mp4", 256 * 1024);
        HttpResponse<String> r = post("/custom-upload", "{\"path\": \"flaky.mp4\"}", "X-Api-Key", API_KEY);
        assertEquals(202, r.statusCode(), r.body());
        String id = JSON.readTree(r.body()).path("id").asText();
        JsonNode status = awaitState(id, "DONE");
        assertEquals(2, status.path("steps").path("bunny").path("attempts").asInt(), status.toString());
        assertEquals(1, sims.bunny().videos().stream().filter(v -> v.path("guid").asText()
                .equals(status.path("steps").path("bunny").path("guid").asText())).count());
        assertEquals(1, notifications(id).size());
        assertFalse(status.path("steps").path("archive").has("attempts") && status.path("steps").path("archive").path("attempts").asInt() > 0,
                "the archive was not retried");
    }

    @Test
    void aBunnyUploadCutMidWayResumesAtBunnysOffsetIntoTheSameVideo() throws Exception {
        // the fourth PATCH to Bunny (tus-java-client POSTs with X-HTTP-Method-Override) loses its connection
        sims.bunny().faults().add(new Faults.Fault(0, 1, 0, "/tusupload/", "POST", null, "close", 3));
        Path file = randomFile("cut.mp4", 6 << 20);
        HttpResponse<String> r = post("/custom-upload", "{\"path\": \"cut.mp4\"}", "X-Api-Key", API_KEY);
        String id = JSON.readTree(r.body()).path("id").asText();
        JsonNode status = awaitState(id, "DONE");
        assertEquals(1, status.path("steps").path("bunny").path("attempts").asInt(), "one failed try, then the resume");
        ObjectNode video = video(status.path("steps").path("bunny").path("guid").asText());
        assertEquals(sha256(file), video.path("sha256").asText(), "the resumed upload holds the file's bytes, in order");
        assertEquals(6 << 20, video.path("storageSize").asLong());
        assertEquals(1, notifications(id).size());
    }

    @Test
    void anOutageLongerThanAllRetriesLandsInTheDlqAndReplayResumesAtTheFailedStep() throws Exception {
        sims.site().faults().add(new Faults.Fault(503, 1000, 0, "/notify", "POST", null, null));
        randomFile("outage.mp4", 512 * 1024);
        HttpResponse<String> r = post("/custom-upload", "{\"path\": \"outage.mp4\"}", "X-Api-Key", API_KEY);
        String id = JSON.readTree(r.body()).path("id").asText();
        JsonNode failed = awaitState(id, "FAILED");
        assertEquals("DONE", failed.path("steps").path("archive").path("state").asText());
        assertEquals("DONE", failed.path("steps").path("bunny").path("state").asText());
        assertEquals("FAILED", failed.path("steps").path("notify").path("state").asText());
        assertEquals(4, failed.path("steps").path("notify").path("attempts").asInt(), "the first try and three retries");
        assertTrue(failed.path("steps").path("notify").path("last_error").asText().contains("503"), failed.toString());
        String key = failed.path("steps").path("archive").path("key").asText();
        Instant archivedAt = s3.headObject(b -> b.bucket("camelcast-archive").key(key)).lastModified();

        String listed = cli("dlq", "list", "camelcast-uploads-dlq");
        assertTrue(listed.contains(id), listed);

        sims.site().faults().clear();
        Thread.sleep(1100); // the archive's Last-Modified has a resolution of one second
        cli("dlq", "replay", "camelcast-uploads-dlq", "--all");
        JsonNode done = awaitState(id, "DONE");
        assertEquals(archivedAt, s3.headObject(b -> b.bucket("camelcast-archive").key(key)).lastModified(),
                "the archive that had succeeded was not uploaded again");
        assertEquals(done.path("steps").path("bunny").path("guid").asText(), failed.path("steps").path("bunny").path("guid").asText());
        assertEquals(1, notifications(id).size());
    }

    // ---- Zoom -------------------------------------------------------------------------------------

    @Test
    void aZoomUploadWebhookGoesToTheArchiveAndBunnyNotToOpencast() throws Exception {
        String uuid = "zu" + UUID.randomUUID() + "==";
        long meeting = 97_000_000_001L;
        ObjectNode event = sims.zoom().recordingCompletedEvent(uuid, meeting, "Physics 101", Instant.now().minusSeconds(7200).toString(),
                60, 1 << 20);
        HttpResponse<String> r = sims.zoom().sendWebhook(URI.create(base() + "/zoom-upload"), Simulators.DEMO_WEBHOOK_SECRET, event.toString());
        assertEquals(200, r.statusCode(), r.body());
        awaitTrue(() -> notifications(null).stream().anyMatch(n -> uuid.equals(JSON.valueToTree(n.get("body")).path("metadata")
                .path("meeting_uuid").asText())), "the Zoom recording's notification");
        JsonNode body = notifications(null).stream().map(n -> (JsonNode) JSON.valueToTree(n.get("body")))
                .filter(b -> uuid.equals(b.path("metadata").path("meeting_uuid").asText())).findFirst().orElseThrow();
        assertEquals("zoom-upload", body.path("source").asText());
        assertEquals("shared_screen_with_speaker_view", body.path("metadata").path("view").asText());
        assertEquals(body.path("sha256").asText(), objectSha("camelcast-archive", body.path("archive").path("key").asText()));
        assertTrue(sims.opencast().ingests().stream().noneMatch(i -> String.valueOf(i).contains(uuid)), "nothing went to Opencast");
        // a bad signature is refused as on /zoom/webhook
        assertEquals(401, sims.zoom().sendWebhook(URI.create(base() + "/zoom-upload"), "wrong-secret", event.toString()).statusCode());
    }

    // ---- helpers ----------------------------------------------------------------------------------

    static String base() {
        return "http://127.0.0.1:" + port;
    }

    static TusClient tusClient(Map<String, String> headers) throws Exception {
        TusClient client = new TusClient();
        client.setUploadCreationURL(new URL(base() + "/files"));
        client.enableResuming(new TusURLMemoryStore());
        client.setHeaders(headers);
        return client;
    }

    static HttpRequest.Builder tus(String method, String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("Tus-Resumable", "1.0.0").header("X-Api-Key", API_KEY);
    }

    static HttpResponse<String> head(String id) throws Exception {
        return http.send(tus("HEAD", base() + "/files/" + id).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String body, String header, String value) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).header(header, value)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode awaitState(String id, String state) throws Exception {
        JsonNode[] last = new JsonNode[1];
        awaitTrue(() -> {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/uploads/" + id))
                        .header("X-Api-Key", API_KEY).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    return false;
                }
                last[0] = JSON.readTree(r.body());
                return state.equals(last[0].path("state").asText());
            } catch (Exception e) {
                return false;
            }
        }, "upload " + id + " in state " + state + " (last seen: " + last[0] + ")");
        return last[0];
    }

    static List<Map<String, Object>> notifications(String id) {
        return sims.site().notifications().stream().filter(n -> id == null || id.equals(n.get("delivery"))).toList();
    }

    static ObjectNode video(String guid) {
        return sims.bunny().videos().stream().filter(v -> guid.equals(v.path("guid").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no video " + guid + " in the Bunny simulator"));
    }

    static long uploadRecords() {
        try (redis.clients.jedis.UnifiedJedis jedis = redis.clients.jedis.RedisClient.create(URI.create(runtime.settings().get("camelcast.redis.url")))) {
            return jedis.keys("camelcast:status:*").stream().filter(k -> !k.endsWith(":history"))
                    .filter(k -> "upload".equals(jedis.hget(k, "kind"))).count();
        }
    }

    static Path randomFile(String name, int size) throws Exception {
        byte[] data = new byte[size];
        new Random(name.hashCode()).nextBytes(data);
        return Files.write(root.resolve(name), data);
    }

    static String sha256(Path file) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    static boolean stagingHas(String key) {
        try {
            s3.headObject(b -> b.bucket("camelcast-staging").key(key));
            return true;
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return false;
        }
    }

    static String objectSha(String bucket, String key) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    static String cli(String... args) {
        return FlowTests.cli(config, args);
    }

    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        FlowTests.awaitTrue(condition, what);
    }
}
