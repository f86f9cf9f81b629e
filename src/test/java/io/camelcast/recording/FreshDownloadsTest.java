package io.camelcast.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.config.Settings;
import io.camelcast.messages.IncomingRecording;
import io.camelcast.messages.StagedRecording;
import io.camelcast.sim.ZoomSimulator;
import io.camelcast.zoom.ZoomAccounts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FreshDownloads against the Zoom simulator (no Camel), and the account on the queue messages. */
class FreshDownloadsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static ZoomSimulator zoom;
    static FreshDownloads fresh;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        zoom = new ZoomSimulator();
        zoom.start(0);
        zoom.addAccount("east-acct", "east-cid", "east-csecret");
        Map<String, String> s = new HashMap<>();
        s.put("camelcast.zoom.api-url", zoom.url() + "/v2");
        s.put("camelcast.zoom.oauth-url", zoom.url() + "/oauth/token");
        s.put("camelcast.zoom.account-id", ZoomSimulator.DEFAULT_ACCOUNT_ID);
        s.put("camelcast.zoom.client-id", ZoomSimulator.DEFAULT_CLIENT_ID);
        s.put("camelcast.zoom.client-secret", ZoomSimulator.DEFAULT_CLIENT_SECRET);
        s.put("camelcast.zoom.requests-per-second", "0");
        s.put("camelcast.zoom.accounts.east.account-id", "east-acct");
        s.put("camelcast.zoom.accounts.east.client-id", "east-cid");
        s.put("camelcast.zoom.accounts.east.client-secret", "east-csecret");
        fresh = new FreshDownloads(ZoomAccounts.from(Settings.of(s)));
    }

    @AfterAll
    static void stop() {
        zoom.close();
    }

    static ObjectNode eastRecording(String uuid) {
        ObjectNode event = zoom.recordingCompletedEvent("east-acct", uuid, 81_000_000_001L, "EAST", "2026-11-17T15:00:00Z", 60, 4096);
        return event;
    }

    static int download(String url, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void anExpiredTokenIsRenewedWithTheRecordingsOwnAccount() throws Exception {
        ObjectNode event = eastRecording("east-1==");
        String stored = event.path("download_token").asText();
        JsonNode file = event.path("payload").path("object").path("recording_files").get(0);
        assertEquals(200, download(file.path("download_url").asText(), stored));
        zoom.expireDownloadTokens();
        assertEquals(401, download(file.path("download_url").asText(), stored), "an expired token is refused");

        FreshDownloads.Fresh f = fresh.renew("zip-1", "east", "east-1==", "refused");
        assertEquals("east", f.account());
        assertNotEquals(stored, f.token());
        assertEquals(200, download(f.url(file.path("id").asText(), "stored-url"), f.token()));
        assertEquals("stored-url", f.url("no-such-file", "stored-url"));
        assertTrue(zoom.downloads().stream().filter(d -> Integer.valueOf(200).equals(d.get("status")))
                .allMatch(d -> "east-acct".equals(d.get("tokenAccount"))), zoom.downloads().toString());
    }

    @Test
    void whatCannotBeRenewedIsAPermanentFailureWithTheFirstRefusal() {
        eastRecording("east-2==");
        // the default account's app cannot see east's recording (Zoom: does not exist)
        RecordingStaging.PermanentFailure other = assertThrows(RecordingStaging.PermanentFailure.class,
                () -> fresh.renew("zip-2", null, "east-2==", "HTTP 401 first"));
        assertTrue(other.getMessage().startsWith("HTTP 401 first; "), other.getMessage());
        assertTrue(other.getMessage().contains("'default'"), other.getMessage());
        assertThrows(RecordingStaging.PermanentFailure.class, () -> fresh.renew("zip-2", "nowhere", "east-2==", "refused"));
        FreshDownloads noApp = new FreshDownloads(ZoomAccounts.from(Settings.of(Map.of(
                "camelcast.zoom.accounts.bare.webhook-secret", "only-a-secret"))));
        RecordingStaging.PermanentFailure bare = assertThrows(RecordingStaging.PermanentFailure.class,
                () -> noApp.renew("zip-2", "bare", "east-2==", "refused"));
        assertTrue(bare.getMessage().contains("no OAuth app"), bare.getMessage());
    }

    @Test
    void theAccountTravelsOnTheQueueMessagesAndIsLeftOutForTheDefault() throws Exception {
        IncomingRecording plain = new IncomingRecording("u", null, "t", "2026-11-17T15:00:00Z", null, "h", List.of(), false,
                "z", null, "tok", null, null, null, null, null, null, null, null, null);
        assertFalse(JSON.readTree(JSON.writeValueAsString(plain)).has("account"), "a default message reads as before");
        assertNull(plain.withAccount("default").account());
        IncomingRecording east = plain.withAccount("east").withTargets(List.of("opencast"));
        JsonNode json = JSON.readTree(JSON.writeValueAsString(east));
        assertEquals("east", json.path("account").asText());
        assertEquals("east", JSON.readValue(JSON.writeValueAsString(east), IncomingRecording.class).account());
        assertNull(JSON.readValue("{\"uuid\":\"u\",\"zip_id\":\"z\"}", IncomingRecording.class).account(), "an old message");
        StagedRecording staged = new StagedRecording("u", null, "s", null, null, null, null, null, "z", null, 0, 0, 0, null, null,
                null, null, "east", null);
        assertEquals("east", JSON.readTree(JSON.writeValueAsString(staged)).path("account").asText());
        assertFalse(JSON.readTree(JSON.writeValueAsString(new StagedRecording("u", null, "s", null, null, null, null, null, "z",
                null, 0, 0, 0, null, null, null, null))).has("account"));
    }
}
