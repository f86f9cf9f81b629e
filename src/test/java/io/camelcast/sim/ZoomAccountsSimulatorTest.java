package io.camelcast.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Zoom simulator's several accounts, users and expiring download tokens, over HTTP as a client sees them. */
class ZoomAccountsSimulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ZoomSimulator zoom;

    @BeforeEach
    void start() throws Exception {
        zoom = new ZoomSimulator();
        zoom.start(0);
        HttpResponse<String> added = post("/_sim/accounts", null,
                "{\"accountId\":\"acct-b\",\"clientId\":\"cid-b\",\"clientSecret\":\"sec-b\"}");
        assertEquals(201, added.statusCode(), added.body());
    }

    @AfterEach
    void stop() {
        zoom.close();
    }

    @Test
    void eachAppGetsTokensOfItsOwnAccountThatReadOnlyItsRecordings() throws Exception {
        assertEquals(400, token("cid-b", "sec-b", ZoomSimulator.DEFAULT_ACCOUNT_ID).statusCode(), "B's app, A's account");
        String a = JSON.readTree(token(ZoomSimulator.DEFAULT_CLIENT_ID, ZoomSimulator.DEFAULT_CLIENT_SECRET,
                ZoomSimulator.DEFAULT_ACCOUNT_ID).body()).get("access_token").asText();
        String b = JSON.readTree(token("cid-b", "sec-b", "acct-b").body()).get("access_token").asText();
        ObjectNode inA = zoom.recordingCompletedEvent("rec-a==", 1L, "A", "2026-11-17T15:00:00Z", 60, 1024);
        ObjectNode inB = zoom.recordingCompletedEvent("acct-b", "rec-b==", 2L, "B", "2026-11-17T15:00:00Z", 60, 1024);
        assertEquals(ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN, inA.get("download_token").asText());
        String tokenB = inB.get("download_token").asText();
        assertNotEquals(ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN, tokenB);

        assertEquals(200, get("/v2/meetings/rec-b%3D%3D/recordings", b).statusCode());
        HttpResponse<String> foreign = get("/v2/meetings/rec-b%3D%3D/recordings", a);
        assertEquals(404, foreign.statusCode(), "A's token does not see B's recording");
        assertEquals(3301, JSON.readTree(foreign.body()).get("code").asInt());
        assertEquals(1, JSON.readTree(get("/v2/users/me/recordings?from=2026-11-17&to=2026-11-17", b).body())
                .get("total_records").asInt());

        String fileA = file(inA);
        String fileB = file(inB);
        assertEquals(200, get("/rec/download/" + fileB, tokenB).statusCode());
        assertEquals(401, get("/rec/download/" + fileA, tokenB).statusCode(), "B's download token on A's file");
        assertEquals(401, get("/rec/download/" + fileB, a).statusCode(), "A's access token on B's file");
        assertEquals(200, get("/rec/download/" + fileB, ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN).statusCode(), "the default token opens all");
        JsonNode log = JSON.readTree(get("/_sim/downloads", null).body());
        assertEquals(4, log.size());
        assertEquals("acct-b", log.get(0).get("account").asText());
        assertEquals("acct-b", log.get(0).get("tokenAccount").asText());
        assertEquals("download", log.get(0).get("tokenKind").asText());
        assertEquals(401, log.get(1).get("status").asInt());
        assertEquals("access", log.get(2).get("tokenKind").asText());
    }

    @Test
    void downloadTokensExpireAndARecordingsListingHandsOutAFreshOne() throws Exception {
        String b = JSON.readTree(token("cid-b", "sec-b", "acct-b").body()).get("access_token").asText();
        ObjectNode inB = zoom.recordingCompletedEvent("acct-b", "rec-x==", 3L, "B", "2026-11-17T15:00:00Z", 60, 1024);
        String stored = inB.get("download_token").asText();
        HttpResponse<String> expired = post("/_sim/download-tokens/expire", null, "");
        assertTrue(JSON.readTree(expired.body()).get("expired").asInt() >= 2, expired.body());
        assertEquals(401, get("/rec/download/" + file(inB), stored).statusCode());
        assertEquals(401, get("/rec/download/" + file(inB), ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN).statusCode(), "the default one too");
        assertEquals(200, get("/rec/download/" + file(inB), b).statusCode(), "an access token is no download token");

        JsonNode listed = JSON.readTree(get("/v2/meetings/rec-x%3D%3D/recordings?include_fields=download_access_token", b).body());
        String fresh = listed.get("download_access_token").asText();
        assertNotEquals(stored, fresh);
        assertEquals(200, get(URI.create(listed.get("recording_files").get(0).get("download_url").asText()).getPath(), fresh).statusCode());

        zoom.reset();
        assertEquals(404, get("/rec/download/no-such-file", ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN).statusCode(),
                "after a reset the default token is accepted again (the file is unknown, not the token)");
    }

    @Test
    void usersArePerAccountFilteredByStatusAndPaged() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertEquals(201, post("/_sim/users", null, "{\"account_id\":\"acct-b\",\"id\":\"u" + i + "\",\"status\":\""
                    + (i == 4 ? "inactive" : "active") + "\"}").statusCode());
        }
        zoom.recordingCompletedEvent("rec-host==", 4L, "A", "2026-11-17T15:00:00Z", 60, 1024); // sim-host joins account A
        post("/_sim/users/page-size", null, "{\"max\":3}");
        String b = JSON.readTree(token("cid-b", "sec-b", "acct-b").body()).get("access_token").asText();
        List<String> ids = new ArrayList<>();
        String next = "";
        int pages = 0;
        do {
            JsonNode page = JSON.readTree(get("/v2/users?page_size=300" + (next.isEmpty() ? "" : "&next_page_token=" + next), b).body());
            page.get("users").forEach(u -> ids.add(u.get("id").asText()));
            assertEquals(4, page.get("total_records").asInt());
            next = page.get("next_page_token").asText();
            pages++;
        } while (!next.isEmpty());
        assertEquals(List.of("u0", "u1", "u2", "u3"), ids);
        assertEquals(2, pages);
        JsonNode inactive = JSON.readTree(get("/v2/users?status=inactive", b).body());
        assertEquals("u4", inactive.get("users").get(0).get("id").asText());
        String a = JSON.readTree(token(ZoomSimulator.DEFAULT_CLIENT_ID, ZoomSimulator.DEFAULT_CLIENT_SECRET,
                ZoomSimulator.DEFAULT_ACCOUNT_ID).body()).get("access_token").asText();
        JsonNode usersOfA = JSON.readTree(get("/v2/users", a).body()).get("users");
        assertEquals(1, usersOfA.size());
        assertEquals("sim-host", usersOfA.get(0).get("id").asText());
    }

    private static String file(ObjectNode event) {
        return event.path("payload").path("object").path("recording_files").get(0).path("id").asText();
    }

    private HttpResponse<String> token(String clientId, String secret, String accountId) throws Exception {
        return post("/oauth/token?grant_type=account_credentials&account_id=" + accountId,
                "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8)), "");
    }

    private HttpResponse<String> get(String path, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(zoom.url() + path));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String authorization, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(zoom.url() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
