package io.camelcast.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.FlowTests;
import io.camelcast.config.Settings;
import io.camelcast.opencast.MediapackageIds;
import io.camelcast.runtime.CamelcastRuntime;
import io.camelcast.sim.OpencastSimulator;
import io.camelcast.sim.Simulators;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 23's captions and hosts' consent through the running routes, on the Zoom and Opencast simulators: Zoom's
 * CC and TRANSCRIPT files as captions tracks of the ingest (after the seed's fields), a transcript Zoom finishes
 * later added to the same Opencast event (also when it arrives before the recording's own ingest), an opted-out
 * host and a host outside the opt-in never downloaded, and the owner map's rightsHolder and ACL in the ingest.
 * One runtime for every case: opt-in admits the hosts of the other cases (a CSV file, other case than Zoom
 * sends), opt-out names one of them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CaptionsAndConsentFlowTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = "captions-test-webhook-secret";
    static final String API_KEY = "captions-test-api-key";
    static final String SERIES = "20270199999";
    static final String HOST = "teacher@example.edu";
    static final String OWNER_HOST = "Owner.Host@Example.edu";
    static final String OPTED_OUT = "opted.out@example.edu";
    static final String NOT_OPTED_IN = "stranger@example.edu";
    static final String SEED_FIELDS = "identifier,title,type,isPartOf,license,publisher,created,language,seriesDCCatalog,"
            + "source,spatial,zoomMeetingStart,zoomRecordingTimes";
    static final String VTT = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\nJane: Welcome to the lecture, ça va?\n\n"
            + "2\n00:00:05.000 --> 00:00:08.000\nJane: Today, captions.\n";

    @TempDir
    static Path dir;
    static Simulators sims;
    static CamelcastRuntime runtime;
    static int port;
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static long nextMeeting = 94_000_000_000L;
    /** A recording whose transcript comes, but whose own webhook never does (sent at start: it waits while the others run). */
    static final String NEVER = "never" + UUID.randomUUID() + "==";

    @BeforeAll
    static void start() throws Exception {
        sims = Simulators.start(0, 0);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path optIn = dir.resolve("opt-in.csv");
        Files.writeString(optIn, "Host Email\n" + HOST.toUpperCase() + "\nowner.host@example.edu\n" + OPTED_OUT + "\n");
        Path owners = dir.resolve("owners.csv");
        Files.writeString(owners, "host_email,opencast_user\nowner.host@example.edu,j.doe-smith\n");
        Path config = dir.resolve("camelcast.properties");
        Files.writeString(config, String.join("\n",
                "camelcast.data-dir=" + dir.resolve("state"),
                "camelcast.http.port=" + port,
                "camelcast.api-key=" + API_KEY,
                "camelcast.recording.webhook-delay=0",
                "camelcast.recording.max-redeliveries=2",
                "camelcast.recording.captions-recheck=1",
                "camelcast.recording.captions-max-wait=15",
                "camelcast.opencast.max-redeliveries=3",
                "camelcast.retry.initial-delay=100",
                "camelcast.retry.max-delay=300",
                "camelcast.sqs.wait-seconds=1",
                "camelcast.schedule.default-series-id=" + SERIES,
                "camelcast.zoom.opt-in=" + optIn,
                "camelcast.zoom.opt-out=someone@else.org, " + OPTED_OUT.toUpperCase(),
                "camelcast.zoom.owner-map=" + owners), StandardCharsets.UTF_8);
        Settings settings = sims.pointAt(Settings.load(config)).with("camelcast.zoom.webhook-secret", SECRET);
        runtime = CamelcastRuntime.start(settings);
        sims.opencast().registerSeries(SERIES, "CAPS E-1 Captions for all");
        sims.zoom().registerRecording(recording(NEVER, HOST));
        String neverTranscript = "never-tr-" + UUID.randomUUID();
        sims.zoom().storeFile(neverTranscript, vtt(VTT));
        assertEquals(200, webhook(sims.zoom().transcriptCompletedEvent(NEVER,
                JSON.createObjectNode().put("id", neverTranscript))).statusCode());
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

    // ---- captions with the recording -----------------------------------------------------------------

    @Test
    void closedCaptionsAndAFinishedTranscriptGoIntoTheIngestAsCaptionsTracksAfterTheSeedsFields() throws Exception {
        String uuid = "caps" + UUID.randomUUID() + "==";
        String ccId = "cc-" + UUID.randomUUID();
        String transcriptId = "tr-" + UUID.randomUUID();
        String processingId = "tr-processing-" + UUID.randomUUID();
        String german = VTT.replace("Welcome to the lecture", "Willkommen");
        sims.zoom().storeFile(ccId, vtt(VTT));
        sims.zoom().storeFile(transcriptId, vtt(german));
        ObjectNode recording = recording(uuid, HOST);
        ArrayNode files = recording.withArray("recording_files");
        files.addObject().put("id", ccId).put("file_type", "CC").put("recording_type", "closed_caption");
        files.addObject().put("id", transcriptId).put("file_type", "TRANSCRIPT").put("recording_type", "audio_transcript")
                .put("language", "de");
        // a transcript Zoom is still making: left out, and it does not make Zoom's webhook fail
        files.addObject().put("id", processingId).put("file_type", "TRANSCRIPT").put("recording_type", "audio_transcript")
                .put("status", "processing");
        ObjectNode event = sims.zoom().recordingCompletedEvent(sims.zoom().registerRecording(recording));

        assertEquals(200, webhook(event).statusCode());
        Map<String, Object> ingest = awaitIngest(MediapackageIds.deterministic(uuid));
        List<List<String>> fields = fields(ingest);
        assertEquals(List.of(SEED_FIELDS.split(",")), fields.subList(0, 13).stream().map(f -> f.get(0)).toList(),
                "the seed's fields first, in the seed's order");
        List<String> flavors = fields.stream().filter(f -> f.get(0).equals("flavor")).map(f -> f.get(1)).toList();
        assertEquals(List.of("multipart/chunked+source", "chat/chunked+source", "captions/vtt+en", "captions/vtt+de"), flavors,
                "the seed's flavors, then the captions (closed captions first, the transcript's own language)");
        int firstCaptions = indexOf(fields, "flavor", "captions/vtt+en");
        assertTrue(firstCaptions > 13, "captions come after the seed's fields");
        assertEquals("mediaUri", fields.get(firstCaptions + 1).get(0), "a captions flavor is followed by its mediaUri");

        List<Map<String, Object>> media = media(ingest);
        assertEquals(4, media.size(), "one speaker MP4, the chat, two captions; the unfinished transcript is not there");
        Map<String, Object> cc = media.get(2);
        assertEquals("captions/vtt+en", cc.get("flavor"));
        assertFalse(cc.containsKey("error"), "Opencast fetched the captions: " + cc);
        assertEquals(VTT.getBytes(StandardCharsets.UTF_8).length, ((Number) cc.get("bytes")).intValue());
        assertEquals(sha256(VTT), cc.get("sha256"), "Opencast received Zoom's VTT bytes");
        assertTrue(String.valueOf(cc.get("uri")).contains(".vtt"), "staged as .vtt: " + cc.get("uri"));
        assertEquals(sha256(german), media.get(3).get("sha256"));
        assertFalse(sims.zoom().requests().stream().anyMatch(r -> r.contains(processingId)), "an unfinished file is not fetched");
        assertNull(value(fields, "rightsHolder"), "no owner for a host the owner map does not name");
        assertNull(value(fields, "acl"));
    }

    // ---- a transcript that arrives later ------------------------------------------------------------

    @Test
    void aLateTranscriptIsAddedToTheSameEventEvenWhenItArrivesBeforeTheRecordingsIngest() throws Exception {
        String uuid = "late" + UUID.randomUUID() + "==";
        String mediapackage = MediapackageIds.deterministic(uuid);
        ObjectNode recording = sims.zoom().registerRecording(recording(uuid, HOST));
        ObjectNode completed = sims.zoom().recordingCompletedEvent(recording);
        String transcriptId = "late-tr-" + UUID.randomUUID();
        sims.zoom().storeFile(transcriptId, vtt(VTT));
        ObjectNode transcript = sims.zoom().transcriptCompletedEvent(uuid, JSON.createObjectNode().put("id", transcriptId));

        // Zoom's transcript first: Opencast has no event yet, so the captions wait (re-queued) for the ingest
        HttpResponse<String> early = webhook(transcript);
        assertEquals(200, early.statusCode(), early.body());
        FlowTests.awaitTrue(() -> sims.zoom().requests().stream().anyMatch(r -> r.contains("/rec/download/" + transcriptId)),
                "the transcript staged while its download token is fresh");
        Thread.sleep(1000);
        assertEquals(0, ingestsOf(mediapackage), "no event made for the captions alone");
        // Zoom retries its webhook: still one track
        assertEquals(200, webhook(transcript).statusCode());

        assertEquals(200, webhook(completed).statusCode());
        Map<String, Object> ingest = awaitIngest(mediapackage);
        List<Map<String, Object>> added = awaitAddedTracks(mediapackage, 1);
        Map<String, Object> track = added.get(0);
        assertTrue(String.valueOf(track.get("flavor")).startsWith("captions/"), "a captions flavor: " + track);
        assertEquals("captions/vtt+en", track.get("flavor"));
        assertEquals(sha256(VTT), track.get("sha256"), "the transcript's bytes");
        assertEquals(false, track.get("overwriteExisting"));
        assertTrue(((List<?>) track.get("tags")).contains("lang:en"), "tags " + track.get("tags"));
        assertTrue(((List<?>) track.get("tags")).contains("generator-type:auto"), "tags " + track.get("tags"));
        assertNotNull(ingest);

        Thread.sleep(1000);
        assertEquals(1, ingestsOf(mediapackage), "one Opencast event for the recording and its late transcript");
        assertEquals(1, addedTracks(mediapackage).size(), "the transcript added once, Zoom's retry included");
        assertEquals(1, sims.zoom().requests().stream().filter(r -> r.contains("/rec/download/" + transcriptId)).count(),
                "the waiting message kept the staged file: downloaded once");
    }

    /** Last: the transcript sent at start has waited out most of its camelcast.recording.captions-max-wait by then. */
    @Test
    @Order(Integer.MAX_VALUE)
    void aLateTranscriptWhoseRecordingNeverComesIsADeadLetterAfterTheMaximumWait() throws Exception {
        String queue = "camelcast-recordings-captions";
        JsonNode letter = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (letter == null && System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/dlq/" + queue))
                    .header("X-Api-Key", API_KEY).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                for (JsonNode l : JSON.readTree(r.body())) {
                    if (l.path("body").asText().contains(NEVER)) {
                        letter = l;
                    }
                }
            }
            Thread.sleep(250);
        }
        assertNotNull(letter, "the transcript of a recording never ingested ends in " + queue + "-dlq");
        assertTrue(letter.path("cause").asText().contains("captions-max-wait"), letter.toString());
        assertTrue(letter.path("body").asText().contains("staged_key"), "the letter keeps the staged file: " + letter);
        assertEquals(0, ingestsOf(MediapackageIds.deterministic(NEVER)), "no event made for captions alone");
    }

    @Test
    void theOpencastSimulatorRefusesATrackForAnUnknownEvent() throws Exception {
        BasicCredentialsProvider credentials = new BasicCredentialsProvider();
        credentials.setCredentials(new AuthScope(null, -1), new UsernamePasswordCredentials(OpencastSimulator.DEFAULT_USER,
                OpencastSimulator.DEFAULT_PASSWORD.toCharArray()));
        try (CloseableHttpClient client = HttpClients.custom().setDefaultCredentialsProvider(credentials).build()) {
            HttpPost post = new HttpPost(sims.opencast().url() + "/api/events/no-such-event/track");
            post.setHeader("X-Requested-Auth", "Digest");
            post.setEntity(MultipartEntityBuilder.create().addTextBody("flavor", "captions/vtt+en")
                    .addTextBody("overwriteExisting", "false")
                    .addBinaryBody("track", VTT.getBytes(StandardCharsets.UTF_8), ContentType.create("text/vtt"), "t.vtt").build());
            assertEquals(404, (int) client.execute(post, r -> r.getCode()));
        }
    }

    // ---- the hosts' consent ---------------------------------------------------------------------------

    @Test
    void anOptedOutHostIsAnsweredAsUsualButNeverDownloadedNorIngested() throws Exception {
        assertExcluded(OPTED_OUT, "host " + OPTED_OUT + " opted out");
    }

    @Test
    void optInAdmitsOnlyTheListedHosts() throws Exception {
        assertExcluded(NOT_OPTED_IN, "host " + NOT_OPTED_IN + " has not opted in");
        // the opt-in file lists this host in capitals: admitted, case-insensitively
        String uuid = "optin" + UUID.randomUUID() + "==";
        assertEquals(200, webhook(sims.zoom().recordingCompletedEvent(sims.zoom().registerRecording(recording(uuid, HOST))))
                .statusCode());
        awaitIngest(MediapackageIds.deterministic(uuid));
    }

    // ---- the owner map ----------------------------------------------------------------------------------

    @Test
    void anOwnerMapEntryPutsTheOwnerIntoTheEpisodeAsRightsHolderAndAclRole() throws Exception {
        String uuid = "owner" + UUID.randomUUID() + "==";
        assertEquals(200, webhook(sims.zoom().recordingCompletedEvent(sims.zoom().registerRecording(recording(uuid, OWNER_HOST))))
                .statusCode());
        List<List<String>> fields = fields(awaitIngest(MediapackageIds.deterministic(uuid)));
        assertEquals(List.of(SEED_FIELDS.split(",")), fields.subList(0, 13).stream().map(f -> f.get(0)).toList());
        assertEquals("j.doe-smith", value(fields, "rightsHolder"));
        int rights = indexOf(fields, "rightsHolder", "j.doe-smith");
        assertTrue(rights > indexOf(fields, "flavor", "multipart/chunked+source"), "after the seed's fields and files");
        JsonNode acl = JSON.readTree(value(fields, "acl")).path("acl").path("ace");
        assertEquals(2, acl.size(), acl.toString());
        for (JsonNode ace : acl) {
            assertEquals("ROLE_USER_J_DOE_SMITH", ace.path("role").asText(), "Opencast's user id role");
            assertTrue(ace.path("allow").asBoolean());
        }
        assertEquals(List.of("read", "write"), List.of(acl.get(0).path("action").asText(), acl.get(1).path("action").asText()));
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    void assertExcluded(String host, String reason) throws Exception {
        String uuid = "excluded" + UUID.randomUUID() + "==";
        ObjectNode recording = sims.zoom().registerRecording(recording(uuid, host));
        List<String> fileIds = recording.withArray("recording_files").findValuesAsText("id");
        HttpResponse<String> r = webhook(sims.zoom().recordingCompletedEvent(recording));
        assertEquals(200, r.statusCode(), "answered as any other recording: " + r.body());
        JsonNode attempt = awaitState(uuid, "IGNORED").path("zip_ingests").get(0);
        assertTrue(attempt.path("reason").asText().startsWith(reason), attempt.toString());
        Thread.sleep(500);
        for (String id : fileIds) {
            assertFalse(sims.zoom().requests().stream().anyMatch(q -> q.contains(id)), "file " + id + " never downloaded");
        }
        assertEquals(0, ingestsOf(MediapackageIds.deterministic(uuid)), "nothing ingested");
    }

    /** A 75-minute recording of {@code host}: the active speaker's MP4 and the chat. */
    static ObjectNode recording(String uuid, String host) {
        ObjectNode r = JSON.createObjectNode();
        r.put("uuid", uuid);
        r.put("id", nextMeeting++);
        r.put("host_email", host);
        r.put("topic", "CAPS E-1");
        r.put("start_time", Instant.now().minus(Duration.ofHours(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        r.put("duration", 75);
        ArrayNode files = r.putArray("recording_files");
        files.addObject().put("file_type", "MP4").put("recording_type", "active_speaker").put("file_size", 256 * 1024);
        files.addObject().put("file_type", "CHAT").put("recording_type", "chat_file");
        return r;
    }

    static Path vtt(String text) throws Exception {
        Path p = Files.createTempFile(dir, "captions", ".vtt");
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    static HttpResponse<String> webhook(ObjectNode event) throws Exception {
        return sims.zoom().sendWebhook(URI.create("http://127.0.0.1:" + port + "/zoom/webhook"), SECRET, event.toString());
    }

    static JsonNode awaitState(String uuid, String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/recordings/"
                    + URLEncoder.encode(uuid, StandardCharsets.UTF_8))).header("X-Api-Key", API_KEY).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                last = JSON.readTree(r.body());
                if (state.equals(last.path("zip_ingests").get(0).path("status").asText())) {
                    return last;
                }
            }
            Thread.sleep(100);
        }
        fail("recording " + uuid + " never reached " + state + "; last " + last);
        return null;
    }

    static Map<String, Object> awaitIngest(String mediapackageId) throws Exception {
        return FlowTests.awaitIngest(sims.opencast(), mediapackageId);
    }

    static List<Map<String, Object>> awaitAddedTracks(String mediapackageId, int n) throws Exception {
        FlowTests.awaitTrue(() -> addedTracks(mediapackageId).size() >= n, n + " track(s) added to " + mediapackageId);
        return addedTracks(mediapackageId);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> addedTracks(String mediapackageId) {
        return sims.opencast().ingests().stream().filter(i -> mediapackageId.equals(i.get("mediapackageId")))
                .map(i -> (List<Map<String, Object>>) i.getOrDefault("addedTracks", List.of()))
                .flatMap(List::stream).toList();
    }

    static long ingestsOf(String mediapackageId) {
        return sims.opencast().ingests().stream().filter(i -> mediapackageId.equals(i.get("mediapackageId"))).count();
    }

    @SuppressWarnings("unchecked")
    static List<List<String>> fields(Map<String, Object> ingest) {
        return (List<List<String>>) ingest.get("fields");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> media(Map<String, Object> ingest) {
        return (List<Map<String, Object>>) ingest.get("media");
    }

    static String value(List<List<String>> fields, String name) {
        return fields.stream().filter(f -> f.get(0).equals(name)).map(f -> f.get(1)).findFirst().orElse(null);
    }

    static int indexOf(List<List<String>> fields, String name, String value) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).get(0).equals(name) && fields.get(i).get(1).equals(value)) {
                return i;
            }
        }
        return -1;
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
