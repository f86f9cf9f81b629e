package io.camelcast.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZoomSimulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private ZoomSimulator zoom;
    private HttpServer receiver;
    private final Map<String, String> received = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        zoom = new ZoomSimulator();
        zoom.start(0);
    }

    @AfterEach
    void stop() {
        zoom.close();
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void webhookSignatureVerifiesWithAnIndependentHmac() throws Exception {
        URI target = receiver(false);
        String event = zoom.recordingCompletedEvent("uuid==", 123L, "Lecture", "2026-11-24T14:00:00Z", 60, 1000).toString();
        HttpResponse<String> r = zoom.sendWebhook(target, "the-secret", event);
        assertEquals(200, r.statusCode());
        assertEquals(event, received.get("body"));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("the-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "v0=" + HexFormat.of().formatHex(mac.doFinal(
                ("v0:" + received.get("timestamp") + ":" + event).getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, received.get("signature"));
        long ts = Long.parseLong(received.get("timestamp"));
        assertTrue(Math.abs(System.currentTimeMillis() / 1000 - ts) < 5, "timestamp is now in epoch seconds");
    }

    @Test
    void recordingCompletedEventHasZoomsShape() {
        ObjectNode e = zoom.recordingCompletedEvent("abc==", 987L, "Topic", "2026-11-24T14:00:00Z", 45, 5000);
        assertEquals("recording.completed", e.get("event").asText());
        JsonNode object = e.at("/payload/object");
        assertEquals("abc==", object.get("uuid").asText());
        assertEquals(45, object.get("duration").asInt());
        assertEquals(5, object.get("recording_files").size());
        JsonNode first = object.get("recording_files").get(0);
        assertEquals("MP4", first.get("file_type").asText());
        assertEquals("completed", first.get("status").asText());
        assertTrue(first.get("download_url").asText().startsWith(zoom.url() + "/rec/download/"));
        assertEquals(ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN, e.get("download_token").asText());
        assertFalse(object.has("download_token"), "the token is top-level, beside payload");
        assertEquals(987L, object.get("id").asLong());
        assertEquals("2026-11-24T14:00:00Z", first.get("recording_start").asText());
        assertEquals("2026-11-24T14:45:00Z", first.get("recording_end").asText());
        assertEquals(5000, first.get("file_size").asLong());
        List<String> types = new ArrayList<>();
        object.get("recording_files").forEach(f -> types.add(f.get("file_type").asText() + "/" + f.get("recording_type").asText()));
        assertEquals(List.of("MP4/shared_screen_with_speaker_view", "MP4/active_speaker", "MP4/gallery_view",
                "M4A/audio_only", "CHAT/chat_file"), types);
        assertEquals(3 * 5000 + 5000 + 2048, object.get("total_size").asLong());
        assertEquals(1, zoom.recordings().size(), "the recording is registered for the REST API");
    }

    @Test
    void urlValidationPassesOnlyForTheRightAnswer() throws Exception {
        assertTrue(zoom.validateEndpoint(receiver(false), "the-secret"));
        receiver.stop(0);
        assertFalse(zoom.validateEndpoint(receiver(true), "the-secret"));
    }

    @Test
    void oneGigabyteDownloadStreamsWithConstantMemory() throws Exception {
        long size = 1L << 30;
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        long started = System.nanoTime();
        HttpResponse<InputStream> r = http.send(get("/rec/download/file-1g?size=" + size), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertEquals("video/mp4", r.headers().firstValue("Content-Type").orElse(""));
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long bytes = 0;
        long peak = 0;
        try (InputStream in = r.body()) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
                bytes += n;
                if ((bytes & ((1 << 26) - 1)) < n) {
                    peak = Math.max(peak, rt.totalMemory() - rt.freeMemory());
                }
            }
        }
        assertEquals(size, bytes);
        assertEquals(Long.toString(size), r.headers().firstValue("Content-Length").orElse(""));
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("1 GiB download with SHA-256: %.1f s, %.0f MB/s%n", seconds, size / seconds / 1e6);
        assertTrue(seconds < 30, "1 GiB took " + seconds + " s");
        assertEquals(ZoomSimulator.sha256Hex("file-1g", size), HexFormat.of().formatHex(sha.digest()));
        System.gc();
        long after = rt.totalMemory() - rt.freeMemory();
        assertTrue(after - before < 64L << 20, "heap grew by " + ((after - before) >> 20) + " MB after a 1 GB download");
        assertTrue(peak < before + (512L << 20), "peak heap " + (peak >> 20) + " MB: the file was never held whole");
    }

    @Test
    void rangeRequestsReturnTheRightSlice() throws Exception {
        long size = 300_000;
        byte[] all = ZoomSimulator.expectedContent("f-range", size).readAllBytes();
        HttpResponse<byte[]> part = http.send(HttpRequest.newBuilder(URI.create(zoom.url() + "/rec/download/f-range?size=" + size))
                .header("Authorization", "Bearer " + ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN)
                .header("Range", "bytes=70000-139999").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, part.statusCode());
        assertEquals("bytes 70000-139999/300000", part.headers().firstValue("Content-Range").orElse(""));
        assertArrayEquals(java.util.Arrays.copyOfRange(all, 70000, 140000), part.body());
        HttpResponse<byte[]> tail = http.send(HttpRequest.newBuilder(URI.create(zoom.url() + "/rec/download/f-range?size=" + size))
                .header("Authorization", "Bearer " + ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN)
                .header("Range", "bytes=299990-").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertArrayEquals(java.util.Arrays.copyOfRange(all, 299990, 300000), tail.body());
        HttpResponse<String> beyond = http.send(HttpRequest.newBuilder(URI.create(zoom.url() + "/rec/download/f-range?size=" + size))
                .header("Authorization", "Bearer " + ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN)
                .header("Range", "bytes=400000-").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(416, beyond.statusCode());
    }

    @Test
    void downloadsNeedABearerToken() throws Exception {
        HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(zoom.url() + "/rec/download/x?size=10")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, none.statusCode());
        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(zoom.url() + "/rec/download/x?size=10"))
                .header("Authorization", "Bearer nope").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, wrong.statusCode());
    }

    @Test
    void oauthThenPagingCollectsEveryItemOnce() throws Exception {
        for (int i = 0; i < 7; i++) {
            ObjectNode rec = JSON.createObjectNode();
            rec.put("uuid", "rec-" + i + "==");
            rec.put("host_id", "host-a");
            rec.put("topic", "T" + i);
            rec.put("start_time", "2026-11-2" + (i % 3) + "T10:00:00Z");
            rec.putArray("recording_files").addObject().put("file_type", "MP4").put("file_size", 100);
            zoom.registerRecording(rec);
        }
        ObjectNode meeting = JSON.createObjectNode();
        meeting.put("uuid", "meet-1");
        meeting.put("id", 555);
        meeting.put("start_time", "2026-11-20T10:00:00Z");
        for (int i = 0; i < 5; i++) {
            meeting.withArray("participants").addObject().put("id", "p" + i).put("user_name", "User " + i);
        }
        zoom.registerMeeting(meeting);

        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(zoom.url()
                        + "/oauth/token?grant_type=account_credentials&account_id=" + ZoomSimulator.DEFAULT_ACCOUNT_ID))
                .header("Authorization", basic("x", "y")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, bad.statusCode());
        String token = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(zoom.url()
                        + "/oauth/token?grant_type=account_credentials&account_id=" + ZoomSimulator.DEFAULT_ACCOUNT_ID))
                .header("Authorization", basic(ZoomSimulator.DEFAULT_CLIENT_ID, ZoomSimulator.DEFAULT_CLIENT_SECRET))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).body()).get("access_token").asText();

        List<String> uuids = collect(token, "/v2/users/host-a/recordings?from=2026-11-20&to=2026-11-22&page_size=3", "meetings", "uuid");
        assertEquals(7, uuids.size());
        assertEquals(7, new HashSet<>(uuids).size());
        List<String> participants = collect(token, "/v2/metrics/meetings/meet-1/participants?type=past&page_size=2", "participants", "id");
        assertEquals(List.of("p0", "p1", "p2", "p3", "p4"), participants);

        HttpResponse<String> one = http.send(HttpRequest.newBuilder(URI.create(zoom.url()
                + "/v2/meetings/rec-3%3D%3D/recordings?include_fields=download_access_token"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, one.statusCode());
        assertEquals(ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN, JSON.readTree(one.body()).get("download_access_token").asText());
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(zoom.url() + "/v2/meetings/nope/recordings"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
        assertEquals(3301, JSON.readTree(missing.body()).get("code").asInt());
    }

    @Test
    void rateLimitFaultAnswers429WithRetryAfterThenClears() throws Exception {
        String token = zoom.issueAccessToken();
        HttpResponse<String> added = http.send(HttpRequest.newBuilder(URI.create(zoom.url() + "/_sim/faults"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"status\":429,\"count\":2,\"retryAfter\":\"2\",\"path\":\"/v2/\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, added.statusCode());
        HttpRequest list = HttpRequest.newBuilder(URI.create(zoom.url() + "/v2/users/me/recordings"))
                .header("Authorization", "Bearer " + token).build();
        // downloads are outside the fault's path
        assertEquals(200, http.send(get("/rec/download/f?size=10"), HttpResponse.BodyHandlers.ofString()).statusCode());
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = http.send(list, HttpResponse.BodyHandlers.ofString());
            assertEquals(429, r.statusCode());
            assertEquals("2", r.headers().firstValue("Retry-After").orElse(""));
        }
        HttpResponse<String> after = http.send(list, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, after.statusCode());
        assertEquals(0, JSON.readTree(after.body()).get("total_records").asInt());
        assertEquals("[]", http.send(HttpRequest.newBuilder(URI.create(zoom.url() + "/_sim/faults")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void registeredRecordingIsServedByIdOrDoubleEncodedUuidWithItsFileSize() throws Exception {
        String uuid = "/ab//cd+ef==";
        String body = "{\"uuid\":\"" + uuid + "\",\"id\":94812345678,\"topic\":\"Physics\",\"start_time\":\"2026-11-20T15:00:00Z\","
                + "\"duration\":50,\"download_token\":\"tok-physics\",\"recording_files\":["
                + "{\"id\":\"file-a\",\"file_type\":\"MP4\",\"file_size\":200000,\"recording_type\":\"active_speaker\","
                + "\"download_url\":\"https://zoom.us/rec/download/xyz\"},"
                + "{\"id\":\"file-b\",\"file_type\":\"MP4\",\"file_size\":10,\"download_url\":\"https://elsewhere.example/f\"}]}";
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(zoom.url() + "/_sim/recordings"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode());
        JsonNode files = JSON.readTree(created.body()).get("recording_files");
        String downloadUrl = files.get(0).get("download_url").asText();
        assertEquals(zoom.url() + "/rec/download/file-a", downloadUrl, "a zoom.us download_url is pointed at the simulator");
        assertEquals("https://elsewhere.example/f", files.get(1).get("download_url").asText(), "other hosts are kept");
        assertEquals("2026-11-20T15:00:00Z", files.get(0).get("recording_start").asText());
        assertEquals("2026-11-20T15:50:00Z", files.get(0).get("recording_end").asText());
        assertEquals(uuid, files.get(0).get("meeting_id").asText());

        HttpResponse<InputStream> file = http.send(HttpRequest.newBuilder(URI.create(downloadUrl))
                .header("Authorization", "Bearer tok-physics").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, file.statusCode());
        assertEquals("200000", file.headers().firstValue("Content-Length").orElse(""));
        assertEquals("bytes", file.headers().firstValue("Accept-Ranges").orElse(""));
        String disposition = file.headers().firstValue("Content-Disposition").orElse("");
        assertEquals("file-a.mp4", disposition.substring(disposition.lastIndexOf('=') + 1), "filename unquoted, as Zoom sends it");
        assertEquals(ZoomSimulator.sha256Hex("file-a", 200_000), sha256(file.body()));

        String token = zoom.issueAccessToken();
        String doubleEncoded = enc(enc(uuid));
        HttpResponse<String> byUuid = http.send(HttpRequest.newBuilder(URI.create(zoom.url() + "/v2/meetings/" + doubleEncoded
                + "/recordings?include_fields=download_access_token&ttl=3600")).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, byUuid.statusCode());
        JsonNode rec = JSON.readTree(byUuid.body());
        assertEquals(uuid, rec.get("uuid").asText());
        assertEquals("tok-physics", rec.get("download_access_token").asText());
        assertFalse(rec.has("download_token"));
        assertEquals(200_010, rec.get("total_size").asLong());
        HttpResponse<String> byId = http.send(HttpRequest.newBuilder(URI.create(zoom.url() + "/v2/meetings/94812345678/recordings"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(uuid, JSON.readTree(byId.body()).get("uuid").asText());
        assertFalse(JSON.readTree(byId.body()).has("download_access_token"), "only when include_fields asks for it");

        HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(URI.create(downloadUrl + "?deleted=true"))
                .header("Authorization", "Bearer tok-physics").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, deleted.statusCode());
        assertTrue(deleted.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));

        assertEquals(204, http.send(HttpRequest.newBuilder(URI.create(zoom.url() + "/_sim/state")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(downloadUrl)).header("Authorization", "Bearer tok-physics").build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "a forgotten recording's download token is refused");
        assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(zoom.url() + "/v2/meetings/94812345678/recordings"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(List.of("GET /rec/download/file-a", "GET /v2/meetings/94812345678/recordings"), zoom.requests(),
                "the request log holds only the calls made after the reset");
    }

    @Test
    void participantsComeInEachEndpointsShapeAndMetricsMeetingsPage() throws Exception {
        for (int m = 0; m < 3; m++) {
            ObjectNode meeting = JSON.createObjectNode();
            meeting.put("uuid", "m" + m + "==");
            meeting.put("id", 1000 + m);
            meeting.put("topic", "Section " + m);
            meeting.put("start_time", "2026-11-1" + m + "T10:00:00Z");
            meeting.put("end_time", "2026-11-1" + m + "T11:30:00Z");
            meeting.withArray("participants").addObject().put("id", "a" + m).put("user_name", "Ann").put("email", "ann@example.edu")
                    .put("join_time", "2026-11-1" + m + "T10:05:00Z").put("leave_time", "2026-11-1" + m + "T10:35:30Z");
            zoom.registerMeeting(meeting);
        }
        String token = zoom.issueAccessToken();
        List<String> uuids = collect(token, "/v2/metrics/meetings?type=past&from=2026-11-10&to=2026-11-12&page_size=2", "meetings", "uuid");
        assertEquals(List.of("m0==", "m1==", "m2=="), uuids);
        JsonNode metrics = getJson(token, "/v2/metrics/meetings?type=past&from=2026-11-11&to=2026-11-11");
        assertEquals(1, metrics.get("total_records").asInt());
        JsonNode one = metrics.get("meetings").get(0);
        assertEquals("01:30:00", one.get("duration").asText());
        assertEquals(1, one.get("participants").asInt());
        assertEquals("2026-11-11", metrics.get("from").asText());

        JsonNode dashboard = getJson(token, "/v2/metrics/meetings/m1%3D%3D/participants?type=past").get("participants").get(0);
        assertEquals("Ann", dashboard.get("user_name").asText());
        assertEquals("2026-11-11T10:05:00Z", dashboard.get("join_time").asText());
        assertTrue(dashboard.has("device") && dashboard.has("ip_address") && dashboard.has("share_desktop"));
        JsonNode past = getJson(token, "/v2/past_meetings/m1%3D%3D/participants").get("participants").get(0);
        assertEquals("Ann", past.get("name").asText());
        assertEquals("ann@example.edu", past.get("user_email").asText());
        JsonNode report = getJson(token, "/v2/report/meetings/1001/participants?page_size=300").get("participants").get(0);
        assertEquals(1830, report.get("duration").asLong());
        assertEquals("2026-11-11T10:35:30Z", report.get("leave_time").asText());
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(zoom.url() + "/v2/past_meetings/nope/participants"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
        assertEquals(3001, JSON.readTree(missing.body()).get("code").asInt());
    }

    @Test
    void oauthAcceptsAFormBodyRejectsAWrongAccountAndTokensExpire() throws Exception {
        zoom.setCredentials("acct-1", "cid", "csecret");
        HttpResponse<String> wrongAccount = http.send(HttpRequest.newBuilder(URI.create(zoom.url()
                        + "/oauth/token?grant_type=account_credentials&account_id=" + ZoomSimulator.DEFAULT_ACCOUNT_ID))
                .header("Authorization", basic("cid", "csecret")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, wrongAccount.statusCode());
        assertEquals("invalid_request", JSON.readTree(wrongAccount.body()).get("error").asText());
        HttpResponse<String> oldCredentials = http.send(HttpRequest.newBuilder(URI.create(zoom.url()
                        + "/oauth/token?grant_type=account_credentials&account_id=acct-1"))
                .header("Authorization", basic(ZoomSimulator.DEFAULT_CLIENT_ID, ZoomSimulator.DEFAULT_CLIENT_SECRET))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, oldCredentials.statusCode());
        assertEquals("invalid_client", JSON.readTree(oldCredentials.body()).get("error").asText());

        zoom.setAccessTokenTtl(java.time.Duration.ofMillis(300));
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(zoom.url() + "/oauth/token"))
                .header("Authorization", basic("cid", "csecret"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=account_credentials&account_id=acct-1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, form.statusCode());
        JsonNode answer = JSON.readTree(form.body());
        assertEquals("bearer", answer.get("token_type").asText());
        String token = answer.get("access_token").asText();
        HttpRequest call = HttpRequest.newBuilder(URI.create(zoom.url() + "/v2/users/me/recordings"))
                .header("Authorization", "Bearer " + token).build();
        assertEquals(200, http.send(call, HttpResponse.BodyHandlers.ofString()).statusCode());
        Thread.sleep(400);
        HttpResponse<String> expired = http.send(call, HttpResponse.BodyHandlers.ofString());
        assertEquals(401, expired.statusCode());
        assertEquals(124, JSON.readTree(expired.body()).get("code").asInt());
        assertEquals(2, zoom.requests().stream().filter(x -> x.startsWith("GET /v2/users/me/recordings")).count());
    }

    @Test
    void webhooksSentOverHttpAreSignedAndListed() throws Exception {
        URI target = receiver(false);
        String send = "{\"target\":\"" + target + "\",\"secret\":\"s3cret\",\"event\":\"recording.completed\"}";
        HttpResponse<String> sent = http.send(HttpRequest.newBuilder(URI.create(zoom.url() + "/_sim/webhooks"))
                .POST(HttpRequest.BodyPublishers.ofString(send)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, sent.statusCode());
        JsonNode answer = JSON.readTree(sent.body());
        assertEquals(200, answer.get("status").asInt());
        String uuid = answer.at("/event/payload/object/uuid").asText();
        assertEquals(uuid, JSON.readTree(received.get("body")).at("/payload/object/uuid").asText());
        assertEquals("v0=" + independentHmac("s3cret", "v0:" + received.get("timestamp") + ":" + received.get("body")),
                received.get("signature"));
        assertEquals(1, zoom.recordings().stream().filter(r -> uuid.equals(r.get("uuid").asText())).count(),
                "the generated recording is registered for the REST API");

        long old = java.time.Instant.now().getEpochSecond() - 3600;
        String event = zoom.recordingCompletedEvent(zoom.recordings().get(0)).toString();
        zoom.sendWebhook(target, "s3cret", event, old);
        assertEquals(Long.toString(old), received.get("timestamp"));
        assertEquals("v0=" + independentHmac("s3cret", "v0:" + old + ":" + event), received.get("signature"));

        JsonNode listed = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(zoom.url() + "/_sim/webhooks")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertEquals(2, listed.size());
        assertEquals(target.toString(), listed.get(0).get("target").asText());
        assertEquals(200, listed.get(0).get("status").asInt());
        assertEquals("recording.completed", listed.get(1).get("event").asText());
        assertEquals(old, listed.get(1).get("timestamp").asLong());
    }

    @Test
    void aStoredRealFileIsServedInsteadOfGeneratedBytes() throws Exception {
        byte[] real = new byte[150_000];
        new java.util.Random(7).nextBytes(real);
        HttpResponse<String> stored = http.send(HttpRequest.newBuilder(URI.create(zoom.url() + "/_sim/files/real-1"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(real)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, stored.statusCode());
        HttpResponse<byte[]> whole = http.send(get("/rec/download/real-1"), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, whole.statusCode());
        assertArrayEquals(real, whole.body());
        HttpResponse<byte[]> suffix = http.send(HttpRequest.newBuilder(URI.create(zoom.url() + "/rec/download/real-1"))
                .header("Authorization", "Bearer " + ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN)
                .header("Range", "bytes=-1000").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, suffix.statusCode());
        assertEquals("bytes 149000-149999/150000", suffix.headers().firstValue("Content-Range").orElse(""));
        assertArrayEquals(java.util.Arrays.copyOfRange(real, 149_000, 150_000), suffix.body());
    }

    @Test
    void generatedContentDependsOnFileIdAndOffsetOnly() throws Exception {
        byte[] a = ZoomSimulator.expectedContent("Aa", 200_000).readAllBytes();
        byte[] b = ZoomSimulator.expectedContent("BB", 200_000).readAllBytes(); // same String.hashCode as "Aa"
        assertFalse(java.util.Arrays.equals(a, b));
        assertFalse(java.util.Arrays.equals(java.util.Arrays.copyOfRange(a, 0, 65536), java.util.Arrays.copyOfRange(a, 65536, 131072)),
                "no two blocks are equal");
        InputStream skipped = ZoomSimulator.expectedContent("Aa", 200_000);
        skipped.skipNBytes(123_457);
        assertArrayEquals(java.util.Arrays.copyOfRange(a, 123_457, 200_000), skipped.readAllBytes());
        assertEquals(ZoomSimulator.sha256Hex("Aa", 200_000), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(a)));
    }

    private List<String> collect(String token, String path, String field, String key) throws Exception {
        List<String> out = new ArrayList<>();
        String next = "";
        Set<String> pages = new HashSet<>();
        do {
            String url = zoom.url() + path + (next.isEmpty() ? "" : "&next_page_token=" + next);
            JsonNode page = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body());
            page.get(field).forEach(n -> out.add(n.get(key).asText()));
            next = page.get("next_page_token").asText();
            assertTrue(pages.add(next) || next.isEmpty(), "tokens advance");
        } while (!next.isEmpty());
        return out;
    }

    private JsonNode getJson(String token, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(zoom.url() + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (in) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String independentHmac(String secret, String message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create(zoom.url() + path))
                .header("Authorization", "Bearer " + ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN).build();
    }

    private static String basic(String user, String pass) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
    }

    /** A webhook receiver that answers url_validation correctly, or wrongly when {@code wrong}. */
    private URI receiver(boolean wrong) throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.put("body", body);
            received.put("timestamp", ex.getRequestHeaders().getFirst("x-zm-request-timestamp"));
            received.put("signature", ex.getRequestHeaders().getFirst("x-zm-signature"));
            byte[] answer = new byte[0];
            try {
                JsonNode event = JSON.readTree(body);
                if ("endpoint.url_validation".equals(event.path("event").asText())) {
                    String plain = event.at("/payload/plainToken").asText();
                    Mac mac = Mac.getInstance("HmacSHA256");
                    mac.init(new SecretKeySpec((wrong ? "other" : "the-secret").getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                    answer = JSON.writeValueAsBytes(Map.of("plainToken", plain,
                            "encryptedToken", HexFormat.of().formatHex(mac.doFinal(plain.getBytes(StandardCharsets.UTF_8)))));
                }
            } catch (Exception e) {
                throw new java.io.IOException(e);
            }
            ex.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                ex.getResponseBody().write(answer);
            }
            ex.close();
        });
        receiver.start();
        return URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
    }
}
