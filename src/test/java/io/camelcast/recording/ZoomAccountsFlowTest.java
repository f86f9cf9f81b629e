package io.camelcast.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.FlowTests;
import io.camelcast.config.Settings;
import io.camelcast.opencast.MediapackageIds;
import io.camelcast.runtime.CamelcastRuntime;
import io.camelcast.sim.Faults;
import io.camelcast.sim.Simulators;
import io.camelcast.sim.ZoomSimulator;
import io.camelcast.zoom.ZoomApi;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Several Zoom accounts end to end, on the simulators: two campus accounts (north, south) beside the default
 * one, each with its own webhook secret and Server-to-Server OAuth app, and a Zoom simulator whose tokens read
 * only their own account's recordings. Asserted is what an operator would check: the webhook's answer, the
 * ingest the Opencast simulator received, the status record over HTTP (with its account), and which account's
 * token the Zoom simulator saw on each download; and that a replay after Zoom's download tokens expired still
 * ingests.
 */
class ZoomAccountsFlowTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String DEFAULT_SECRET = "accounts-test-default-secret";
    static final String NORTH_SECRET = "north-webhook-secret";
    static final String SOUTH_SECRET = "south-webhook-secret";
    static final String API_KEY = "accounts-test-api-key";
    static final String SERIES = "20270199999";
    static final long FILE_SIZE = 256L << 10;

    @TempDir
    static Path dir;
    static Simulators sims;
    static CamelcastRuntime runtime;
    static Path config;
    static int port;
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static long nextMeeting = 95_000_000_000L;

    @BeforeAll
    static void start() throws Exception {
        sims = Simulators.start(0, 0);
        sims.zoom().addAccount("north-acct", "north-client", "north-client-secret");
        sims.zoom().addAccount("south-acct", "south-client", "south-client-secret");
        sims.opencast().registerSeries(SERIES, "Accounts test series");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        config = dir.resolve("camelcast.properties");
        Settings base = sims.pointAt(Settings.of(Map.of()));
        Files.writeString(config, String.join("\n",
                "camelcast.data-dir=" + dir.resolve("state"),
                "camelcast.http.port=" + port,
                "camelcast.api-key=" + API_KEY,
                "camelcast.recording.webhook-delay=0",
                "camelcast.recording.max-redeliveries=1",
                "camelcast.retry.initial-delay=100",
                "camelcast.retry.max-delay=200",
                "camelcast.sqs.wait-seconds=1",
                // the backfill makes one call per user and month: no pacing against the simulator
                "camelcast.zoom.requests-per-second=0",
                "camelcast.schedule.default-series-id=" + SERIES,
                // the single-account keys: the account named "default" (its webhooks at /zoom/webhook)
                "camelcast.zoom.webhook-secret=" + DEFAULT_SECRET,
                "camelcast.zoom.api-url=" + base.get("camelcast.zoom.api-url"),
                "camelcast.zoom.oauth-url=" + base.get("camelcast.zoom.oauth-url"),
                "camelcast.zoom.account-id=" + ZoomSimulator.DEFAULT_ACCOUNT_ID,
                "camelcast.zoom.client-id=" + ZoomSimulator.DEFAULT_CLIENT_ID,
                "camelcast.zoom.client-secret=" + ZoomSimulator.DEFAULT_CLIENT_SECRET,
                "camelcast.zoom.download-hosts=127.0.0.1",
                // two campus accounts; api-url and oauth-url fall back to the keys above
                "camelcast.zoom.accounts.north.webhook-secret=" + NORTH_SECRET,
                "camelcast.zoom.accounts.north.account-id=north-acct",
                "camelcast.zoom.accounts.north.client-id=north-client",
                "camelcast.zoom.accounts.north.client-secret=north-client-secret",
                "camelcast.zoom.accounts.south.webhook-secret=" + SOUTH_SECRET,
                "camelcast.zoom.accounts.south.account-id=south-acct",
                "camelcast.zoom.accounts.south.client-id=south-client",
                "camelcast.zoom.accounts.south.client-secret=south-client-secret",
                ""), StandardCharsets.UTF_8);
        runtime = CamelcastRuntime.start(sims.pointAt(Settings.load(config)).with("camelcast.zoom.webhook-secret", DEFAULT_SECRET));
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

    @AfterEach
    void clearFaults() {
        sims.zoom().faults().clear();
        sims.zoom().setUsersPageSize(300);
    }

    // ---- webhooks per account ----------------------------------------------------------------------

    @Test
    void eachAccountsWebhookIsVerifiedWithItsSecretAndDownloadedWithItsOwnToken() throws Exception {
        String north = "north" + UUID.randomUUID() + "==";
        String south = "south" + UUID.randomUUID() + "==";
        ObjectNode northEvent = sims.zoom().recordingCompletedEvent("north-acct", north, nextMeeting++, "NORTH 101",
                "2026-11-17T15:00:00Z", 60, FILE_SIZE);
        ObjectNode southEvent = sims.zoom().recordingCompletedEvent("south-acct", south, nextMeeting++, "SOUTH 202",
                "2026-11-17T16:00:00Z", 60, FILE_SIZE);
        String northToken = northEvent.path("download_token").asText();
        String southToken = southEvent.path("download_token").asText();
        assertNotEquals(northToken, southToken, "each account's recording has its own download token");
        assertNotEquals(ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN, northToken);

        // north's webhook signed with south's secret, or sent to the default account's URL: 401; an unknown account: 404
        assertEquals(401, webhook("/zoom/webhook/north", SOUTH_SECRET, northEvent).statusCode());
        assertEquals(401, webhook("/zoom/webhook", NORTH_SECRET, northEvent).statusCode());
        HttpResponse<String> unknown = webhook("/zoom/webhook/nowhere", NORTH_SECRET, northEvent);
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertEquals(404, get("/recordings/" + enc(north)).statusCode(), "nothing queued, no status record");

        HttpResponse<String> n = webhook("/zoom/webhook/north", NORTH_SECRET, northEvent);
        assertEquals(200, n.statusCode(), n.body());
        HttpResponse<String> s = webhook("/zoom/webhook/south", SOUTH_SECRET, southEvent);
        assertEquals(200, s.statusCode(), s.body());

        for (String uuid : List.of(north, south)) {
            Map<String, Object> ingest = awaitIngest(MediapackageIds.deterministic(uuid));
            assertEquals("ZIP-" + uuid, value(ingest, "source"));
            awaitState(uuid, "SENT_TO_OPENCAST");
        }
        assertEquals("north", recording(north).path("account").asText());
        assertEquals("north", recording(north).path("zip_ingests").get(0).path("account").asText());
        assertEquals("south", recording(south).path("account").asText());

        // what Zoom saw: every file of each recording fetched, each with a token of the recording's own account
        for (String[] r : List.of(new String[] {north, "north-acct"}, new String[] {south, "south-acct"})) {
            List<Map<String, Object>> downloads = downloadsOf(r[0]);
            Set<Object> fetched = downloads.stream().filter(d -> Integer.valueOf(200).equals(d.get("status")))
                    .map(d -> d.get("fileId")).collect(Collectors.toSet());
            assertEquals(4, fetched.size(), "three MP4s and the chat file: " + downloads);
            for (Map<String, Object> d : downloads) {
                assertEquals(r[1], d.get("account"));
                assertEquals(r[1], d.get("tokenAccount"), "downloaded with the own account's token: " + d);
            }
        }
    }

    @Test
    void zoomsUrlValidationIsAnsweredWithEachAccountsOwnSecret() throws Exception {
        assertTrue(sims.zoom().validateEndpoint(uri("/zoom/webhook/north"), NORTH_SECRET));
        assertTrue(sims.zoom().validateEndpoint(uri("/zoom/webhook/south"), SOUTH_SECRET));
        assertFalse(sims.zoom().validateEndpoint(uri("/zoom/webhook/north"), SOUTH_SECRET));
        assertTrue(sims.zoom().validateEndpoint(uri("/zoom/webhook"), DEFAULT_SECRET), "the single-account URL as before");
        assertTrue(sims.zoom().validateEndpoint(uri("/zoom/webhook/default"), DEFAULT_SECRET));
        assertFalse(sims.zoom().validateEndpoint(uri("/zoom/webhook/nowhere"), NORTH_SECRET));
    }

    // ---- on demand and backfill with the recording's account ---------------------------------------

    @Test
    void onDemandIngestFetchesFromTheNamedAccount() throws Exception {
        String uuid = "odnorth" + UUID.randomUUID() + "==";
        registerRecording("north-acct", uuid, "north-teacher", "2026-11-18T15:00:00Z");
        // the default account's app cannot see north's recording, as in Zoom
        assertEquals(404, post("/ingest", JSON.createObjectNode().put("uuid", uuid).toString()).statusCode());
        HttpResponse<String> unknown = post("/ingest", JSON.createObjectNode().put("uuid", uuid).put("account", "nowhere").toString());
        assertEquals(400, unknown.statusCode(), unknown.body());
        HttpResponse<String> r = post("/ingest", JSON.createObjectNode().put("uuid", uuid).put("account", "north").toString());
        assertEquals(200, r.statusCode(), r.body());
        awaitIngest(MediapackageIds.deterministic(uuid));
        JsonNode attempt = recording(uuid).path("zip_ingests").get(0);
        assertEquals("north", attempt.path("account").asText());
        assertEquals(JSON.readTree(r.body()).path("zip_id").asText(), attempt.path("zip_id").asText());
        assertTrue(downloadsOf(uuid).stream().allMatch(d -> "north-acct".equals(d.get("tokenAccount"))), downloadsOf(uuid).toString());

        // the CLI's on-demand ingest names the account the same way
        String again = cli("ingest", uuid, "--account", "north", "--allow-multiple-ingests");
        assertTrue(again.contains("Ingest accepted zip_id=on-demand-"), again);
        awaitTrue(() -> sims.opencast().ingests().stream().filter(i -> ("ZIP-" + uuid).equals(value(i, "source"))).count() == 2,
                "a second ingest from north");
    }

    @Test
    void backfillOfAWholeAccountListsEveryUserAcrossPages() throws Exception {
        sims.zoom().setUsersPageSize(2);
        List<String> uuids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            String user = "south-u" + i + "-" + UUID.randomUUID();
            sims.zoom().registerUser(JSON.createObjectNode().put("account_id", "south-acct").put("id", user)
                    .put("email", "teacher" + i + "@south.example.edu").put("status", i == 5 ? "inactive" : "active"));
            if (i % 2 == 1) { // users 1, 3 and 5 (deactivated since) recorded; 2 and 4 did not
                String uuid = "backsouth" + i + UUID.randomUUID() + "==";
                uuids.add(uuid);
                registerRecording("south-acct", uuid, user, "2025-0" + (3 + i / 2) + "-10T14:00:00Z");
            }
        }
        String other = "backnorth" + UUID.randomUUID() + "==";
        registerRecording("north-acct", other, "north-teacher", "2025-04-10T14:00:00Z");

        String out = cli("backfill", "--account", "south", "--from", "2025-03-01", "--to", "2025-05-31");
        assertTrue(out.contains("account=south"), out);
        assertTrue(out.contains("3 recording(s) listed, 3 queued, 0 skipped, 0 not queued"), out);
        List<String> userPages = sims.zoom().requests().stream().filter(x -> x.startsWith("GET /v2/users?")).toList();
        // four active users two a page, then the deactivated one
        assertEquals(3, userPages.size(), userPages.toString());
        assertTrue(userPages.get(1).contains("status=active") && userPages.get(1).contains("next_page_token="), userPages.toString());
        for (String uuid : uuids) {
            awaitIngest(MediapackageIds.deterministic(uuid));
            assertEquals("south", recording(uuid).path("account").asText());
            assertTrue(downloadsOf(uuid).stream().allMatch(d -> "south-acct".equals(d.get("tokenAccount"))));
        }
        assertEquals(404, get("/recordings/" + enc(other)).statusCode(), "north's recording is not south's backfill");
    }

    // ---- late replays after Zoom's download tokens expired ------------------------------------------

    @Test
    void aReplayAfterTheDownloadTokensExpiredFetchesFreshUrlsWithTheAccountsApp() throws Exception {
        String uuid = "late" + UUID.randomUUID() + "==";
        String zipId = "auto-ingest-" + uuid;
        ObjectNode event = sims.zoom().recordingCompletedEvent("south-acct", uuid, nextMeeting++, "LATE", "2026-11-19T15:00:00Z",
                60, FILE_SIZE);
        String firstFile = event.path("payload").path("object").path("recording_files").get(0).path("id").asText();
        // Zoom's downloads fail until the fetch stage gives up: the message waits in the dead-letter queue
        sims.zoom().faults().add(new Faults.Fault(500, 0, 0, "/rec/download/" + firstFile, "GET", null, null));
        assertEquals(200, webhook("/zoom/webhook/south", SOUTH_SECRET, event).statusCode());
        awaitState(uuid, "DOWNLOADER_FAILED");
        assertTrue(cli("dlq", "list", "camelcast-recordings-incoming").contains(uuid));

        // a day later: Zoom is back, but the webhook's download token has expired
        sims.zoom().faults().clear();
        assertTrue(sims.zoom().expireDownloadTokens() > 0);
        int seenBefore = downloadsOf(uuid).size();
        String replay = cli("dlq", "replay", "camelcast-recordings-incoming", "--all");
        assertTrue(replay.contains("replayed"), replay);
        awaitIngest(MediapackageIds.deterministic(uuid));
        awaitState(uuid, "SENT_TO_OPENCAST");

        List<Map<String, Object>> late = downloadsOf(uuid).subList(seenBefore, downloadsOf(uuid).size());
        assertEquals(401, late.get(0).get("status"), "the stored token was refused first: " + late);
        assertTrue(late.stream().anyMatch(d -> Integer.valueOf(200).equals(d.get("status"))
                && "south-acct".equals(d.get("tokenAccount")) && "download".equals(d.get("tokenKind"))), late.toString());
        assertTrue(sims.zoom().requests().contains("GET /v2/meetings/" + ZoomApi.doubleEncode(uuid)
                + "/recordings?include_fields=download_access_token&ttl=3600"), "fresh URLs from south's API");
        assertEquals(zipId, recording(uuid).path("zip_ingests").get(0).path("zip_id").asText());
    }

    @Test
    void aDownloadRefusedEvenWithAFreshTokenFailsAtOnce() throws Exception {
        String uuid = "refused" + UUID.randomUUID() + "==";
        ObjectNode event = sims.zoom().recordingCompletedEvent("north-acct", uuid, nextMeeting++, "REFUSED", "2026-11-20T15:00:00Z",
                60, FILE_SIZE);
        String firstFile = event.path("payload").path("object").path("recording_files").get(0).path("id").asText();
        sims.zoom().faults().add(new Faults.Fault(401, 0, 0, "/rec/download/" + firstFile, "GET", null, null));
        assertEquals(200, webhook("/zoom/webhook/north", NORTH_SECRET, event).statusCode());
        awaitState(uuid, "DOWNLOADER_FAILED");
        String reason = recording(uuid).path("zip_ingests").get(0).path("reason").asText();
        assertTrue(reason.contains("even with a fresh download token of Zoom account 'north'"), reason);
        assertTrue(sims.zoom().requests().contains("GET /v2/meetings/" + ZoomApi.doubleEncode(uuid)
                + "/recordings?include_fields=download_access_token&ttl=3600"), "a fresh token was asked for first");
        String letters = cli("dlq", "list", "camelcast-recordings-incoming");
        String letter = java.util.Arrays.stream(letters.split("\n(?=\\S)")).filter(b -> b.contains(uuid)).findFirst().orElse("");
        assertTrue(letter.contains("attempts=1"), "not retried: " + letters);
        assertEquals(0, sims.opencast().ingests().stream()
                .filter(i -> MediapackageIds.deterministic(uuid).equals(i.get("mediapackageId"))).count());
    }

    // ---- helpers -------------------------------------------------------------------------------------

    static void registerRecording(String account, String uuid, String host, String start) {
        ObjectNode r = JSON.createObjectNode().put("uuid", uuid).put("id", nextMeeting++).put("account_id", account)
                .put("host_id", host).put("host_email", host + "@example.edu").put("topic", "Backfilled " + host)
                .put("start_time", start).put("duration", 60);
        r.putArray("recording_files").addObject().put("file_type", "MP4")
                .put("recording_type", "shared_screen_with_speaker_view").put("file_size", FILE_SIZE);
        sims.zoom().registerRecording(r);
    }

    static HttpResponse<String> webhook(String path, String secret, ObjectNode event) throws Exception {
        return sims.zoom().sendWebhook(uri(path), secret, event.toString(), Instant.now().getEpochSecond());
    }

    static List<Map<String, Object>> downloadsOf(String uuid) {
        return sims.zoom().downloads().stream().filter(d -> uuid.equals(d.get("meetingUuid"))).toList();
    }

    static JsonNode recording(String uuid) throws Exception {
        HttpResponse<String> r = get("/recordings/" + enc(uuid));
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    static void awaitState(String uuid, String state) throws InterruptedException {
        awaitTrue(() -> {
            try {
                HttpResponse<String> r = get("/recordings/" + enc(uuid));
                return r.statusCode() == 200 && state.equals(JSON.readTree(r.body()).path("zip_ingests").get(0).path("status").asText());
            } catch (Exception e) {
                return false;
            }
        }, uuid + " " + state);
    }

    static Map<String, Object> awaitIngest(String mediapackageId) throws Exception {
        return FlowTests.awaitIngest(sims.opencast(), mediapackageId);
    }

    @SuppressWarnings("unchecked")
    static String value(Map<String, Object> ingest, String name) {
        return ((List<List<String>>) ingest.get("fields")).stream().filter(f -> f.get(0).equals(name)).map(f -> f.get(1))
                .findFirst().orElse(null);
    }

    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        FlowTests.awaitTrue(condition, what);
    }

    static String cli(String... args) {
        return FlowTests.cli(config, args);
    }

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("X-Api-Key", API_KEY).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("X-Api-Key", API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
