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
        HttpResponse<String> added = http.send(HttpRequest.newBuilder(URI.create(zoom.url() + "/_sim/faults"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"status\":429,\"count\":2,\"retryAfter\":\"2\",\"path\":\"/rec/\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, added.statusCode());
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = http.send(get("/rec/download/f?size=10"), HttpResponse.BodyHandlers.ofString());
            assertEquals(429, r.statusCode());
            assertEquals("2", r.headers().firstValue("Retry-After").orElse(""));
        }
        assertEquals(200, http.send(get("/rec/download/f?size=10"), HttpResponse.BodyHandlers.ofString()).statusCode());
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
