package io.camelcast.media;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelcast.FlowTests;
import io.camelcast.config.Settings;
import io.camelcast.dlq.DeadLetterQueues;
import io.camelcast.runtime.CamelcastRuntime;
import io.camelcast.sim.Simulators;
import io.camelcast.store.AwsClients;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The media flow against the running runtime: real ffmpeg-made MP4s (testsrc + sine) posted with JWTs,
 * the outputs checked in the media bucket (the embedded S3, read with the AWS SDK) with ffprobe, the status
 * records over HTTP, the dead letters in the task queues' DLQs, and every JWT refusal leaving nothing behind.
 * ffmpeg is wrapped by a script that fails on demand (a transient failure, or every try).
 */
class MediaFlowTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = "media-test-jwt-secret";
    static final long MAX_UPLOAD = 3L << 20;
    static final String NOTIFY_SECRET = "media-test-notify-secret";

    @TempDir
    static Path dir;
    static Simulators sims;
    static CamelcastRuntime runtime;
    static Settings settings;
    static Path config;
    static int port;
    static S3Client s3;
    static SqsClient sqs;
    static Path wide;
    static Path narrow;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        // tiny inputs: 16:9 1920x1080 and 4:3 640x480, a few frames each, with a tone
        wide = dir.resolve("wide.mp4");
        ffmpeg("-f", "lavfi", "-i", "testsrc=size=1920x1080:rate=5:duration=1.4", "-f", "lavfi", "-i",
                "sine=frequency=440:duration=1.4", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-shortest", wide.toString());
        narrow = dir.resolve("narrow.mp4");
        ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x240:rate=10:duration=2.5", "-f", "lavfi", "-i",
                "sine=frequency=880:duration=2.5", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-shortest", narrow.toString());
        Path wrapper = dir.resolve("ffmpeg-wrapper.sh");
        Files.writeString(wrapper, String.join("\n", "#!/bin/sh",
                "if [ -f '" + dir.resolve("hang") + "' ]; then echo x >> '" + dir.resolve("hung") + "'; exec sleep 60; fi",
                "if [ -f '" + dir.resolve("fail-always") + "' ]; then echo 'simulated: device full' >&2; exit 1; fi",
                "if mv '" + dir.resolve("fail-once") + "' '" + dir.resolve("fail-once.taken") + "' 2>/dev/null; then",
                "  echo 'simulated: transient failure' >&2; exit 1", "fi",
                "exec ffmpeg \"$@\"", ""));
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        sims = Simulators.start(0, 0, 0, 0);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        config = dir.resolve("camelcast.properties");
        Files.writeString(config, String.join("\n",
                "camelcast.data-dir=" + dir.resolve("state"),
                "camelcast.http.port=" + port,
                "camelcast.media.jwt-secret=" + SECRET,
                "camelcast.media.ffmpeg=" + wrapper,
                "camelcast.media.preset=ultrafast",
                "camelcast.media.max-upload=" + MAX_UPLOAD,
                "camelcast.media.max-redeliveries=2",
                "camelcast.retry.initial-delay=100",
                // a task stopped with the runtime is taken again soon after the restart
                "camelcast.sqs.visibility-seconds=5",
                "camel.main.shutdown-timeout=3"), StandardCharsets.UTF_8);
        // media.done / media.failed go to the site simulator's webhook, signed (the operations notifier)
        sims.site().setSecret(NOTIFY_SECRET);
        settings = sims.pointAt(Settings.load(config)).with("camelcast.notify.url", sims.site().url() + "/notify")
                .with("camelcast.notify.secret", NOTIFY_SECRET);
        runtime = CamelcastRuntime.start(settings);
        s3 = AwsClients.s3(runtime.settings());
        sqs = AwsClients.sqs(runtime.settings());
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (sqs != null) {
            sqs.close();
        }
        if (runtime != null) {
            runtime.close();
        }
        if (sims != null) {
            sims.close();
        }
    }

    @AfterEach
    void noFaults() throws IOException {
        Files.deleteIfExists(dir.resolve("fail-always"));
        Files.deleteIfExists(dir.resolve("fail-once"));
        Files.deleteIfExists(dir.resolve("hang"));
    }

    // ---- the happy path -------------------------------------------------------------------------------

    @Test
    void anAnswerBecomesWebMobileThumbnailAndTranscriptInTheBucket() throws Exception {
        String token = token("user-1", "USER", List.of("mentor-a"), 600);
        HttpResponse<String> r = upload(token, "{\"mentor\":\"mentor-a\",\"question\":\"q1\"}", wide, "video/mp4");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode data = JSON.readTree(r.body()).path("data");
        String id = data.path("id").asText();
        assertEquals("/media/status/" + id, data.path("statusUrl").asText());
        assertEquals(List.of("transcoding-web", "transcoding-mobile", "transcribing", "thumbnail"), names(data.path("taskList")));
        data.path("taskList").forEach(t -> assertEquals("QUEUED", t.path("status").asText()));

        // a second upload for the question while this one runs
        HttpResponse<String> again = upload(token, "{\"mentor\":\"mentor-a\",\"question\":\"q1\"}", wide, "video/mp4");
        assertEquals(409, again.statusCode(), again.body());

        JsonNode status = awaitFinal(token, id);
        assertEquals("DONE", status.path("status").asText(), status.toString());
        status.path("taskList").forEach(t -> assertEquals("DONE", t.path("status").asText()));
        JsonNode outputs = status.path("outputs");

        Path web = download(outputs.path("web").asText());
        JsonNode webProbe = probe(web);
        assertEquals("h264", stream(webProbe, "video").path("codec_name").asText());
        assertEquals("aac", stream(webProbe, "audio").path("codec_name").asText());
        assertEquals(1280, stream(webProbe, "video").path("width").asInt());
        assertEquals(720, stream(webProbe, "video").path("height").asInt());
        assertTrue(moovBeforeMdat(web), "web.mp4 is +faststart (moov before mdat)");

        JsonNode mobile = stream(probe(download(outputs.path("mobile").asText())), "video");
        assertEquals(480, mobile.path("width").asInt());
        assertEquals(480, mobile.path("height").asInt());

        JsonNode thumb = stream(probe(download(outputs.path("thumbnail").asText())), "video");
        assertEquals("mjpeg", thumb.path("codec_name").asText());

        String vtt = Files.readString(download(outputs.path("transcript").asText()));
        assertTrue(vtt.startsWith("WEBVTT"), vtt);
        assertTrue(vtt.contains(" --> "), "the tone is heard: " + vtt);

        // the operator is told, once, with the outputs
        FlowTests.awaitTrue(() -> notification(id, "media.done") != null, "media.done for " + id + ": " + sims.site().notifications());
        JsonNode done = notification(id, "media.done");
        assertEquals("DONE", done.path("state").asText());
        assertEquals("mentor-a", done.path("mentor").asText());
        assertEquals(outputs.path("web").asText(), done.path("outputs").path("web").asText());
        assertEquals(1, notifications(id).size(), "one event per upload: " + notifications(id));

        // done: the question takes a new upload
        HttpResponse<String> next = upload(token, "{\"mentor\":\"mentor-a\",\"question\":\"q1\"}", junk(), "video/mp4");
        assertEquals(200, next.statusCode(), next.body());
        awaitFinal(token, JSON.readTree(next.body()).path("data").path("id").asText());
    }

    @Test
    void trimCutsEveryOutputAndA43InputIsCroppedNotSquashed() throws Exception {
        String token = token("user-2", "USER", List.of("mentor-b"), 600);
        HttpResponse<String> r = upload(token, "{\"mentor\":\"mentor-b\",\"question\":\"q2\",\"trim\":{\"start\":0.5,\"end\":2.25}}",
                narrow, "video/mp4");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode data = JSON.readTree(r.body()).path("data");
        assertEquals(List.of("trim-upload", "transcoding-web", "transcoding-mobile", "transcribing", "thumbnail"),
                names(data.path("taskList")));
        JsonNode status = awaitFinal(token, data.path("id").asText());
        assertEquals("DONE", status.path("status").asText(), status.toString());
        JsonNode web = probe(download(status.path("outputs").path("web").asText()));
        assertEquals(320, stream(web, "video").path("width").asInt());
        assertEquals(180, stream(web, "video").path("height").asInt());
        assertEquals(1.75, web.path("format").path("duration").asDouble(), 0.15);
        JsonNode mobile = probe(download(status.path("outputs").path("mobile").asText()));
        assertEquals(1.75, mobile.path("format").path("duration").asDouble(), 0.15);
    }

    // ---- failures -------------------------------------------------------------------------------------

    @Test
    void aCorruptUploadEndsFailedWithFfprobesReasonInTheStatusAndTheDeadLetter() throws Exception {
        String token = token("user-3", "USER", List.of("mentor-c"), 600);
        HttpResponse<String> r = upload(token, "{\"mentor\":\"mentor-c\",\"question\":\"q3\"}", junk(), "video/mp4");
        assertEquals(200, r.statusCode(), r.body());
        String id = JSON.readTree(r.body()).path("data").path("id").asText();
        JsonNode status = awaitFinal(token, id);
        assertEquals("FAILED", status.path("status").asText());
        JsonNode web = task(status, "transcoding-web");
        assertEquals("FAILED", web.path("status").asText());
        assertTrue(web.path("error").asText().contains("Invalid data found"), web.toString());
        assertEquals(1, web.path("attempts").asInt(), "an unreadable input is not retried");
        assertFalse(status.path("outputs").has("web"));
        DeadLetterQueues dlq = new DeadLetterQueues(sqs);
        FlowTests.awaitTrue(() -> letters(dlq, "camelcast-media-web", id).size() == 1, "the dead letter");
        assertTrue(letters(dlq, "camelcast-media-web", id).get(0).letter().exception().contains("Invalid data found"));
        assertEquals("media-task-web", letters(dlq, "camelcast-media-web", id).get(0).letter().route(), "the route that failed");
        // media.failed once (several tasks fail on the same input), with ffprobe's reason
        FlowTests.awaitTrue(() -> notification(id, "media.failed") != null, "media.failed for " + id + ": " + sims.site().notifications());
        JsonNode failed = notification(id, "media.failed");
        assertEquals("FAILED", failed.path("state").asText());
        assertTrue(failed.path("reason").asText().contains("Invalid data found"), failed.toString());
        assertEquals(List.of("media.failed"), notifications(id).stream().map(n -> n.path("event").asText()).toList());
    }

    @Test
    void aTransientFfmpegFailureIsRetriedAndTheUploadEndsDone() throws Exception {
        Files.writeString(dir.resolve("fail-once"), "");
        String token = token("user-4", "USER", List.of("mentor-d"), 600);
        HttpResponse<String> r = upload(token, "{\"mentor\":\"mentor-d\",\"question\":\"q4\"}", narrow, "video/mp4");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode status = awaitFinal(token, JSON.readTree(r.body()).path("data").path("id").asText());
        assertEquals("DONE", status.path("status").asText(), status.toString());
        assertTrue(Files.exists(dir.resolve("fail-once.taken")), "one ffmpeg run failed");
        int attempts = 0;
        for (JsonNode t : status.path("taskList")) {
            attempts += t.path("attempts").asInt();
        }
        assertEquals(5, attempts, "four tasks, one of them tried twice: " + status);
    }

    @Test
    void aTaskFailingEveryTryGoesToItsDeadLetterQueueAfterTheRetriesAndAReplayFinishesIt() throws Exception {
        Files.writeString(dir.resolve("fail-always"), "");
        String token = token("user-5", "USER", List.of("mentor-e"), 600);
        HttpResponse<String> r = upload(token, "{\"mentor\":\"mentor-e\",\"question\":\"q5\"}", narrow, "video/mp4");
        assertEquals(200, r.statusCode(), r.body());
        String id = JSON.readTree(r.body()).path("data").path("id").asText();
        DeadLetterQueues dlq = new DeadLetterQueues(sqs);
        FlowTests.awaitTrue(() -> letters(dlq, "camelcast-media-mobile", id).size() == 1, "the mobile task's dead letter");
        DeadLetterQueues.Entry letter = letters(dlq, "camelcast-media-mobile", id).get(0);
        assertEquals(3, letter.letter().attempts(), "max-redeliveries 2, then the DLQ");
        assertTrue(letter.letter().exception().contains("simulated: device full"), letter.letter().exception());
        JsonNode failed = awaitFinal(token, id);
        assertEquals("FAILED", failed.path("status").asText());
        assertEquals(3, task(failed, "transcoding-mobile").path("attempts").asInt());

        // the cause fixed, every task's letter replayed: the upload ends DONE
        Files.delete(dir.resolve("fail-always"));
        for (String q : List.of("camelcast-media-web", "camelcast-media-mobile", "camelcast-media-transcribe", "camelcast-media-thumbnail")) {
            FlowTests.awaitTrue(() -> letters(dlq, q, id).size() == 1, "the dead letter in " + q);
            // each letter names the route that failed, whichever handler sent it (retries spent, or at once)
            assertEquals(q.replace("camelcast-media-", "media-task-"), letters(dlq, q, id).get(0).letter().route(), q);
            Set<String> ids = Set.of(letters(dlq, q, id).get(0).letter().id());
            assertEquals(1, dlq.replay(q, ids, false).replayed());
        }
        FlowTests.awaitTrue(() -> "DONE".equals(statusOf(token, id).path("status").asText()), "DONE after the replay");
        assertTrue(statusOf(token, id).path("outputs").has("web"));
    }

    @Test
    void aTaskStoppedWithTheRuntimeIsQueuedAgainAndFinishesAfterTheRestart() throws Exception {
        Files.writeString(dir.resolve("hang"), "");
        String token = token("user-8", "USER", List.of("mentor-h"), 600);
        HttpResponse<String> r = upload(token, "{\"mentor\":\"mentor-h\",\"question\":\"q8\"}", narrow, "video/mp4");
        assertEquals(200, r.statusCode(), r.body());
        String id = JSON.readTree(r.body()).path("data").path("id").asText();
        Path hung = dir.resolve("hung");
        FlowTests.awaitTrue(() -> lines(hung) == 4, "ffmpeg running for every task");
        assertEquals(List.of("IN_PROGRESS"), statusOf(token, id).findValuesAsText("status").stream().distinct().toList());

        runtime.close();
        Files.delete(dir.resolve("hang"));
        runtime = CamelcastRuntime.start(settings);
        s3.close();
        sqs.close();
        s3 = AwsClients.s3(runtime.settings());
        sqs = AwsClients.sqs(runtime.settings());

        JsonNode status = awaitFinal(token, id);
        assertEquals("DONE", status.path("status").asText(), status.toString());
        for (JsonNode t : status.path("taskList")) {
            assertEquals(2, t.path("attempts").asInt(), "stopped once, then done: " + status);
        }
        assertTrue(status.path("outputs").has("web"));
    }

    // ---- who may call ---------------------------------------------------------------------------------

    @Test
    void everyJwtRefusalIsAnsweredAndLeavesNothingBehind() throws Exception {
        String body = "{\"mentor\":\"mentor-f\",\"question\":\"q6\"}";
        assertEquals(401, upload(null, body, narrow, "video/mp4").statusCode(), "missing");
        assertEquals(401, upload("not-a-jwt", body, narrow, "video/mp4").statusCode(), "malformed");
        String wrongKey = JWT.create().withClaim("id", "user-6").withClaim("role", "ADMIN").withClaim("mentorIds", List.of("mentor-f"))
                .withExpiresAt(Instant.now().plusSeconds(600)).sign(Algorithm.HMAC256("another-secret"));
        assertEquals(401, upload(wrongKey, body, narrow, "video/mp4").statusCode(), "badly signed");
        assertEquals(401, upload(algNone(), body, narrow, "video/mp4").statusCode(), "alg none");
        assertEquals(401, upload(token("user-6", "ADMIN", List.of("mentor-f"), -120), body, narrow, "video/mp4").statusCode(), "expired");
        String noExp = JWT.create().withClaim("id", "user-6").withClaim("role", "ADMIN").withClaim("mentorIds", List.of("mentor-f"))
                .sign(Algorithm.HMAC256(SECRET));
        assertEquals(401, upload(noExp, body, narrow, "video/mp4").statusCode(), "no exp");
        String other = token("user-6", "USER", List.of("mentor-x"), 600);
        assertEquals(403, upload(other, body, narrow, "video/mp4").statusCode(), "another mentor");
        assertEquals(404, get(other, "/media/status/" + UUID.randomUUID()).statusCode(), "unknown id");

        // too large for camelcast.media.max-upload, however small camelcast.http.max-body is
        Path big = dir.resolve("big.mp4");
        Files.write(big, new byte[(int) MAX_UPLOAD + 1]);
        String own = token("user-6", "USER", List.of("mentor-f"), 600);
        assertEquals(413, upload(own, body, big, "video/mp4").statusCode());

        // nothing kept: no object for the mentor, no file in the work directory, the question is free
        assertTrue(s3.listObjectsV2(b -> b.bucket("camelcast-media").prefix("videos/mentor-f/")).contents().isEmpty());
        try (var files = Files.list(Files.createDirectories(dir.resolve("state/media-work")))) {
            assertEquals(0, files.filter(p -> p.getFileName().toString().startsWith("upload-")).count());
        }
        // within the 60 s leeway: accepted; an editor role may read another mentor's status
        HttpResponse<String> late = upload(token("user-6", "USER", List.of("mentor-f"), -30), body, junk(), "video/mp4");
        assertEquals(200, late.statusCode(), late.body());
        String id = JSON.readTree(late.body()).path("data").path("id").asText();
        assertEquals(403, get(other, "/media/status/" + id).statusCode());
        assertEquals(200, get(token("admin", "CONTENT_MANAGER", List.of(), 600), "/media/status/" + id).statusCode());
        assertEquals(401, get(null, "/media/status/" + id).statusCode());
        awaitFinal(own, id);
    }

    @Test
    void thumbnailsAndPresignedUploads() throws Exception {
        String token = token("user-7", "USER", List.of("mentor-g"), 600);
        Path jpg = dir.resolve("face.jpg");
        ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x64:rate=1:duration=1", "-frames:v", "1", jpg.toString());
        HttpResponse<String> t = multipart(token, "/media/thumbnail", "{\"mentor\":\"mentor-g\"}", "thumbnail", jpg, "image/jpeg");
        assertEquals(200, t.statusCode(), t.body());
        String key = JSON.readTree(t.body()).path("data").path("thumbnail").asText();
        assertTrue(key.startsWith("mentor/thumbnails/mentor-g/") && key.endsWith("/thumbnail.jpg"), key);
        assertEquals(Files.size(jpg), s3.headObject(b -> b.bucket("camelcast-media").key(key)).contentLength());
        assertEquals(403, multipart(token("user-7", "USER", List.of("x-mentor"), 600), "/media/thumbnail",
                "{\"mentor\":\"mentor-g\"}", "thumbnail", jpg, "image/jpeg").statusCode());

        // a presigned PUT, then its completion starts the same tasks
        JsonNode url = JSON.readTree(get(token, "/media/upload/url").body()).path("data");
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(url.path("url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofFile(junk())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());
        HttpResponse<String> done = http.send(HttpRequest.newBuilder(URI.create(base() + "/media/upload/answer"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"mentor\":\"mentor-g\",\"question\":\"q7\",\"video\":\""
                        + url.path("key").asText() + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, done.statusCode(), done.body());
        JsonNode status = awaitFinal(token, JSON.readTree(done.body()).path("data").path("id").asText());
        assertEquals(4, status.path("taskList").size(), status.toString());
        assertTrue(task(status, "transcoding-web").path("error").asText().contains("Invalid data found"),
                "the uploaded bytes were worked on: " + status);
        assertTrue(s3.listObjectsV2(b -> b.bucket("camelcast-media").prefix(url.path("key").asText())).contents().isEmpty(),
                "the presigned upload moved to the answer's place");

        // transfer: kept, with a status
        HttpResponse<String> tr = http.send(HttpRequest.newBuilder(URI.create(base() + "/media/transfer/mentor"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"mentor\":\"mentor-g\",\"mentorExportJson\":{\"id\":\"mentor-g\"}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, tr.statusCode(), tr.body());
        String statusUrl = JSON.readTree(tr.body()).path("data").path("statusUrl").asText();
        assertEquals("QUEUED", JSON.readTree(get(token, statusUrl).body()).path("data").path("status").asText());
    }

    // ---- helpers --------------------------------------------------------------------------------------

    /** Bytes no ffprobe reads: accepted by the API, FAILED at once by the tasks (quick). */
    static Path junk() throws IOException {
        Path junk = dir.resolve("junk.mp4");
        if (!Files.exists(junk)) {
            byte[] bytes = new byte[200_000];
            new Random(7).nextBytes(bytes);
            Files.write(junk, bytes);
        }
        return junk;
    }

    static long lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String base() {
        return "http://127.0.0.1:" + port;
    }

    static String token(String id, String role, List<String> mentors, long expiresInSeconds) {
        return JWT.create().withClaim("id", id).withClaim("role", role).withClaim("mentorIds", mentors)
                .withExpiresAt(Instant.now().plusSeconds(expiresInSeconds)).sign(Algorithm.HMAC256(SECRET));
    }

    static String algNone() {
        Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
        String payload = "{\"id\":\"user-6\",\"role\":\"ADMIN\",\"mentorIds\":[\"mentor-f\"],\"exp\":"
                + (Instant.now().getEpochSecond() + 600) + "}";
        return b.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".";
    }

    static HttpResponse<String> upload(String token, String body, Path video, String type) throws Exception {
        return multipart(token, "/media/upload/answer", body, "video", video, type);
    }

    static HttpResponse<String> multipart(String token, String path, String body, String fileField, Path file, String type)
            throws Exception {
        String boundary = "b-" + UUID.randomUUID();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\n" + body + "\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"" + fileField + "\"; filename=\"" + file.getFileName()
                + "\"\r\nContent-Type: " + type + "\r\n\r\n";
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofString(head),
                        HttpRequest.BodyPublishers.ofFile(file),
                        HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n")));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // the server may answer (413) and close before the whole body was sent
            throw new IOException("upload to " + path + " failed: " + e.getMessage(), e);
        }
    }

    static HttpResponse<String> get(String token, String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode statusOf(String token, String id) {
        try {
            return JSON.readTree(get(token, "/media/status/" + id).body()).path("data");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the upload is DONE or FAILED and none of its tasks is still to run or running. */
    static JsonNode awaitFinal(String token, String id) throws InterruptedException {
        FlowTests.awaitTrue(() -> {
            JsonNode s = statusOf(token, id);
            return Set.of("DONE", "FAILED").contains(s.path("status").asText())
                    && s.path("taskList").findValuesAsText("status").stream().allMatch(t -> t.equals("DONE") || t.equals("FAILED"));
        }, "upload " + id + " to end");
        return statusOf(token, id);
    }

    static JsonNode task(JsonNode status, String name) {
        for (JsonNode t : status.path("taskList")) {
            if (name.equals(t.path("task_name").asText())) {
                return t;
            }
        }
        throw new AssertionError("no task " + name + " in " + status);
    }

    static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(t -> out.add(t.path("task_name").asText()));
        return out;
    }

    static List<DeadLetterQueues.Entry> letters(DeadLetterQueues dlq, String queue, String id) {
        return dlq.list(queue).stream().filter(e -> e.letter() != null && e.letter().body().contains(id)).toList();
    }

    static Path download(String key) throws IOException {
        assertFalse(key.isEmpty(), "an output key");
        Path out = Files.createTempFile(dir, "out-", key.replaceAll(".*\\.", "."));
        try (InputStream in = s3.getObject(b -> b.bucket("camelcast-media").key(key))) {
            Files.copy(in, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return out;
    }

    static JsonNode probe(Path file) throws Exception {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "ffprobe " + file);
        return JSON.readTree(out);
    }

    static JsonNode stream(JsonNode probe, String type) {
        for (JsonNode s : probe.path("streams")) {
            if (type.equals(s.path("codec_type").asText())) {
                return s;
            }
        }
        throw new AssertionError("no " + type + " stream in " + probe);
    }

    /** Top-level MP4 boxes in order: faststart puts moov before mdat. */
    static boolean moovBeforeMdat(Path mp4) throws IOException {
        byte[] b = Files.readAllBytes(mp4);
        ByteBuffer buf = ByteBuffer.wrap(b);
        long pos = 0;
        while (pos + 8 <= b.length) {
            long size = Integer.toUnsignedLong(buf.getInt((int) pos));
            String type = new String(b, (int) pos + 4, 4, StandardCharsets.ISO_8859_1);
            if (type.equals("moov")) {
                return true;
            }
            if (type.equals("mdat")) {
                return false;
            }
            if (size == 1) {
                size = buf.getLong((int) pos + 8);
            }
            if (size < 8) {
                return false;
            }
            pos += size;
        }
        return false;
    }

    static void ffmpeg(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-y", "-hide_banner", "-loglevel", "error"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "ffmpeg " + cmd + ": " + out);
    }

    /** The signed media.* webhook events the site simulator received for upload {@code id}. */
    static List<JsonNode> notifications(String id) {
        return sims.site().notifications().stream().filter(n -> Boolean.TRUE.equals(n.get("valid_signature")))
                .map(n -> n.get("body")).filter(b -> b instanceof JsonNode).map(b -> (JsonNode) b)
                .filter(b -> id.equals(b.path("id").asText()) && b.path("event").asText().startsWith("media.")).toList();
    }

    static JsonNode notification(String id, String event) {
        return notifications(id).stream().filter(b -> event.equals(b.path("event").asText())).findFirst().orElse(null);
    }
}
