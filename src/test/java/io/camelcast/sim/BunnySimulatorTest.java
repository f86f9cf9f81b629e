package io.camelcast.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Bunny Stream simulator as a client of Bunny's API sees it: REST, signed TUS, encoding, webhook. */
class BunnySimulatorTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static BunnySimulator bunny;
    static HttpServer site;
    static final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        bunny = new BunnySimulator();
        bunny.start(0);
        bunny.setEncodeMillis(50);
        site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        site.createContext("/bunny-hook", ex -> {
            received.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        site.start();
        bunny.setWebhookUrl("http://127.0.0.1:" + site.getAddress().getPort() + "/bunny-hook");
    }

    @AfterAll
    static void stop() {
        bunny.close();
        site.stop(0);
    }

    static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String createVideo(String title) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(bunny.url() + "/library/" + BunnySimulator.DEFAULT_LIBRARY_ID + "/videos"))
                .header("AccessKey", BunnySimulator.DEFAULT_API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\": \"" + title + "\"}")));
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).path("guid").asText();
    }

    static HttpRequest.Builder tus(URI uri, String videoId, long expire, String signature) {
        return HttpRequest.newBuilder(uri).header("Tus-Resumable", "1.0.0").header("AuthorizationSignature", signature)
                .header("AuthorizationExpire", Long.toString(expire)).header("VideoId", videoId)
                .header("LibraryId", Long.toString(BunnySimulator.DEFAULT_LIBRARY_ID));
    }

    @Test
    void aVideoIsCreatedUploadedInPiecesByTusEncodedAndAnnounced() throws Exception {
        String guid = createVideo("Lecture 1");
        long expire = Instant.now().getEpochSecond() + 3600;
        String sig = BunnySimulator.signature(BunnySimulator.DEFAULT_LIBRARY_ID, BunnySimulator.DEFAULT_API_KEY, expire, guid);
        byte[] data = new byte[300_000];
        new java.util.Random(1).nextBytes(data);
        HttpResponse<String> created = send(tus(URI.create(bunny.url() + "/tusupload"), guid, expire, sig)
                .header("Upload-Length", Integer.toString(data.length))
                .header("Upload-Metadata", "filetype " + Base64.getEncoder().encodeToString("video/mp4".getBytes())
                        + ",title " + Base64.getEncoder().encodeToString("Lecture 1".getBytes()))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(201, created.statusCode(), created.body());
        URI location = URI.create(created.headers().firstValue("Location").orElseThrow());

        assertEquals(204, send(tus(location, guid, expire, sig).header("Upload-Offset", "0")
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(java.util.Arrays.copyOf(data, 100_000)))).statusCode());
        assertEquals(409, send(tus(location, guid, expire, sig).header("Upload-Offset", "0")
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[10]))).statusCode(), "wrong offset");
        HttpResponse<String> head = send(tus(location, guid, expire, sig).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals("100000", head.headers().firstValue("Upload-Offset").orElseThrow());
        assertEquals(204, send(tus(location, guid, expire, sig).header("Upload-Offset", "100000")
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(java.util.Arrays.copyOfRange(data, 100_000, data.length)))).statusCode());

        long deadline = System.currentTimeMillis() + 5000;
        JsonNode video = null;
        while (System.currentTimeMillis() < deadline) {
            video = JSON.readTree(send(HttpRequest.newBuilder(URI.create(bunny.url() + "/library/" + BunnySimulator.DEFAULT_LIBRARY_ID
                    + "/videos/" + guid)).header("AccessKey", BunnySimulator.DEFAULT_API_KEY).GET()).body());
            if (video.path("status").asInt() == 4 && !received.isEmpty()) {
                break;
            }
            Thread.sleep(20);
        }
        assertNotNull(video);
        assertEquals(4, video.path("status").asInt(), "finished");
        assertEquals(data.length, video.path("storageSize").asLong());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)), video.path("sha256").asText());
        assertTrue(received.get(0).contains("\"VideoGuid\":\"" + guid + "\""), received.toString());
        assertTrue(received.get(0).contains("\"Status\":3"));
    }

    @Test
    void aWrongKeyAWrongOrExpiredSignatureIs401() throws Exception {
        String guid = createVideo("Lecture 2");
        assertEquals(401, send(HttpRequest.newBuilder(URI.create(bunny.url() + "/library/" + BunnySimulator.DEFAULT_LIBRARY_ID + "/videos"))
                .header("AccessKey", "wrong").POST(HttpRequest.BodyPublishers.ofString("{\"title\": \"x\"}"))).statusCode());
        long expire = Instant.now().getEpochSecond() + 3600;
        String wrong = BunnySimulator.signature(BunnySimulator.DEFAULT_LIBRARY_ID, "other-key", expire, guid);
        assertEquals(401, send(tus(URI.create(bunny.url() + "/tusupload"), guid, expire, wrong).header("Upload-Length", "10")
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode());
        long past = Instant.now().getEpochSecond() - 10;
        String expired = BunnySimulator.signature(BunnySimulator.DEFAULT_LIBRARY_ID, BunnySimulator.DEFAULT_API_KEY, past, guid);
        assertEquals(401, send(tus(URI.create(bunny.url() + "/tusupload"), guid, past, expired).header("Upload-Length", "10")
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode());
        assertEquals(400, send(HttpRequest.newBuilder(URI.create(bunny.url() + "/library/" + BunnySimulator.DEFAULT_LIBRARY_ID + "/videos"))
                .header("AccessKey", BunnySimulator.DEFAULT_API_KEY).POST(HttpRequest.BodyPublishers.ofString("{}"))).statusCode(), "title required");
    }
}
