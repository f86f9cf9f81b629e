package io.camelcast.recording;

import io.camelcast.opencast.MediapackageIds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.Camelcast;
import io.camelcast.FlowTests;
import io.camelcast.config.Settings;
import io.camelcast.runtime.CamelcastRuntime;
import io.camelcast.sim.Faults;
import io.camelcast.sim.Simulators;
import io.camelcast.sim.ZoomSimulator;
import io.camelcast.store.AwsClients;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.sqs.SqsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The recording flow through the running routes: signed webhook → download queue → S3 staging →
 * upload queue → Opencast ingest, against the Zoom and Opencast simulators, with the embedded S3,
 * SQS and Redis. What is asserted is what an operator would check: the ingest the Opencast simulator
 * received (fields, flavors, downloaded bytes and checksums), the staged object, the status records,
 * the dead letters.
 */
class RecordingFlowTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = "flow-test-webhook-secret";
    static final String API_KEY = "flow-test-api-key";
    static final String SERIES = "20270112345";
    static final ZoneId ZONE = ZoneId.of("US/Eastern");
    static final long FILE_SIZE = 3L << 20;

    @TempDir
    static Path dir;
    static Simulators sims;
    static CamelcastRuntime runtime;
    static Path config;
    static int port;
    static S3Client s3;
    static SqsClient sqs;
    static UnifiedJedis redis;
    static final HttpClient http = HttpClient.newHttpClient();
    static long nextMeeting = 93_000_000_000L;

    @BeforeAll
    static void start() throws Exception {
        sims = Simulators.start(0, 0);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        config = dir.resolve("camelcast.properties");
        Files.writeString(config, String.join("\n",
                "camelcast.data-dir=" + dir.resolve("state"),
                "camelcast.http.port=" + port,
                "camelcast.api-key=" + API_KEY,
                "camelcast.recording.webhook-delay=0",
                "camelcast.recording.max-redeliveries=2",
                "camelcast.opencast.max-redeliveries=4",
                "camelcast.retry.initial-delay=100",
                "camelcast.retry.max-delay=300",
                "camelcast.sqs.wait-seconds=1",
                "camelcast.schedule.time-zone=US/Eastern"), StandardCharsets.UTF_8);
        Settings settings = sims.pointAt(Settings.load(config)).with("camelcast.zoom.webhook-secret", SECRET);
        // the CLI commands below must see the same simulators
        Files.writeString(config, "\ncamelcast.zoom.api-url=" + settings.get("camelcast.zoom.api-url")
                + "\ncamelcast.zoom.oauth-url=" + settings.get("camelcast.zoom.oauth-url")
                + "\ncamelcast.zoom.account-id=" + settings.get("camelcast.zoom.account-id")
                + "\ncamelcast.zoom.client-id=" + settings.get("camelcast.zoom.client-id")
                + "\ncamelcast.zoom.client-secret=" + settings.get("camelcast.zoom.client-secret")
                + "\ncamelcast.zoom.download-hosts=127.0.0.1\n", java.nio.file.StandardOpenOption.APPEND);
        runtime = CamelcastRuntime.start(settings);
        s3 = AwsClients.s3(runtime.settings());
        sqs = AwsClients.sqs(runtime.settings());
        redis = RedisClient.create(URI.create(runtime.settings().get("camelcast.redis.url")));
        sims.opencast().registerSeries(SERIES, "CSCI E-101 Introduction to Media Systems");
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
            s3.close();
            sqs.close();
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
        sims.opencast().faults().clear();
        sims.zoom().faults().clear();
    }

    // ---- the happy path --------------------------------------------------------------------------

    @Test
    void aScheduledRecordingIsStagedAndIngestedWithTheSeedsFieldsAndFlavors() throws Exception {
        ZonedDateTime start = ZonedDateTime.of(2026, 11, 17, 10, 2, 0, 0, ZONE); // a Tuesday
        long meeting = importSchedule("CSCI E-101", "Lecture", "T", "10:00");
        String uuid = "happy" + UUID.randomUUID() + "==";
        ObjectNode event = sims.zoom().recordingCompletedEvent(uuid, meeting, "CSCI E-101", start.toInstant().toString(), 75, FILE_SIZE);

        HttpResponse<String> r = webhook(event.toString(), SECRET, now());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("Success", r.body());

        Map<String, Object> ingest = awaitIngest(MediapackageIds.deterministic(uuid));
        List<List<String>> fields = fields(ingest);
        assertEquals(List.of("identifier", "title", "type", "isPartOf", "license", "publisher", "created", "language",
                "seriesDCCatalog", "source", "spatial", "zoomMeetingStart", "zoomRecordingTimes"),
                fields.subList(0, 13).stream().map(f -> f.get(0)).toList(), "the seed's field order");
        assertEquals(MediapackageIds.deterministic(uuid), value(fields, "identifier"));
        assertEquals("Lecture", value(fields, "title"));
        assertEquals("L", value(fields, "type"));
        assertEquals(SERIES, value(fields, "isPartOf"));
        assertEquals("ZIP-" + uuid, value(fields, "source"));
        assertEquals("Zoom " + meeting, value(fields, "spatial"));
        assertEquals("2026-11-17T15:02:00Z", value(fields, "created"));
        assertEquals("2026-11-17T15:02:00Z_2026-11-17T16:17:00Z", value(fields, "zoomRecordingTimes"));
        assertTrue(value(fields, "seriesDCCatalog").contains("CSCI E-101"), "the series catalog is passed on");
        assertEquals("schedule-and-upload", ingest.get("workflow"));

        // sim files: shared_screen_with_speaker_view, active_speaker, gallery_view (MP4), audio (M4A, dropped), chat
        List<String> flavors = fields.stream().filter(f -> f.get(0).equals("flavor")).map(f -> f.get(1)).toList();
        assertEquals(List.of("multipart/chunked+source", "presentation/chunked+source", "other/chunked+source",
                "chat/chunked+source"), flavors);
        List<Map<String, Object>> media = media(ingest);
        assertEquals(4, media.size());
        for (Map<String, Object> m : media) {
            assertFalse(m.containsKey("error"), "Opencast could download " + m);
        }
        String speakerId = fileId(event, "active_speaker");
        Map<String, Object> presenter = media.get(0);
        assertEquals(FILE_SIZE, ((Number) presenter.get("bytes")).longValue());
        assertEquals(ZoomSimulator.sha256Hex(speakerId, FILE_SIZE), presenter.get("sha256"),
                "the bytes Opencast fetched from staging are Zoom's bytes");

        // the staged object, seen with an independent S3 client
        long epoch = start.toEpochSecond();
        HeadObjectResponse head = s3.headObject(b -> b.bucket("camelcast-staging").key(meeting + "/" + epoch + "/000-active_speaker.mp4"));
        assertEquals(FILE_SIZE, head.contentLength());
        assertEquals(speakerId, head.metadata().get("file_id"));

        // status: GET /status?meeting_id= in the seed's shape, and the full history
        awaitTrue(() -> "SENT_TO_OPENCAST".equals(redis.hget("camelcast:status:auto-ingest-" + uuid, "state")), "status SENT_TO_OPENCAST");
        JsonNode byMeeting = JSON.readTree(get("/status?meeting_id=" + meeting).body()).path("records");
        assertEquals(meeting, byMeeting.path("meeting_id").asLong());
        JsonNode zipIngest = byMeeting.path("recordings").get(0).path("zip_ingests").get(0);
        assertEquals("SENT_TO_OPENCAST", zipIngest.path("status").asText());
        assertEquals("webhook_notification", zipIngest.path("origin").asText());
        JsonNode history = JSON.readTree(get("/recordings?uuid=" + URLEncoder.encode(uuid, StandardCharsets.UTF_8)).body())
                .path("zip_ingests").get(0).path("history");
        List<String> states = new ArrayList<>();
        history.forEach(h -> states.add(h.path("state").asText()));
        HttpResponse<String> byPath = get("/recordings/" + URLEncoder.encode(uuid, StandardCharsets.UTF_8));
        assertEquals(200, byPath.statusCode(), byPath.body());
        assertEquals(JSON.readTree(byPath.body()).path("zip_ingests").get(0).path("zip_id").asText(), "auto-ingest-" + uuid);
        assertEquals(404, get("/recordings/no-such-recording").statusCode());
        assertEquals(401, http.send(HttpRequest.newBuilder(uri("/recordings/x")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(List.of("WEBHOOK_RECEIVED", "SENT_TO_DOWNLOADER", "OC_SERIES_FOUND", "SENT_TO_UPLOADER",
                "UPLOADER_RECEIVED", "SENT_TO_OPENCAST"), states);
        JsonNode recent = JSON.readTree(get("/status?seconds=600").body()).path("records").path("meetings");
        assertTrue(recent.toString().contains(uuid), "recent updates list the recording");
    }

    @Test
    void pausesReportedByStatusWebhooksSplitTheRecordingTimes() throws Exception {
        ZonedDateTime start = ZonedDateTime.of(2026, 11, 18, 9, 0, 0, 0, ZONE); // a Wednesday
        long meeting = importSchedule("MATH E-55", "Section", "W", "9:00");
        String uuid = "paused" + UUID.randomUUID() + "==";
        long t0 = start.toInstant().toEpochMilli();
        for (Object[] e : new Object[][] {{"recording.started", 0}, {"recording.paused", 20}, {"recording.resumed", 25},
                {"recording.stopped", 60}}) {
            ObjectNode status = JSON.createObjectNode();
            status.put("event", (String) e[0]);
            status.put("event_ts", t0 + ((Integer) e[1]) * 60_000L);
            ObjectNode object = status.putObject("payload").putObject("object");
            object.put("id", meeting);
            object.put("uuid", uuid);
            object.put("topic", "MATH E-55");
            object.put("start_time", start.toInstant().toString());
            assertEquals(204, webhook(status.toString(), SECRET, now()).statusCode());
        }
        assertEquals("RECORDING_STOPPED", redis.hget("camelcast:status:auto-ingest-" + uuid, "state"));
        ObjectNode event = sims.zoom().recordingCompletedEvent(uuid, meeting, "MATH E-55", start.toInstant().toString(), 60, 1L << 20);
        assertEquals(200, webhook(event.toString(), SECRET, now()).statusCode());
        List<List<String>> fields = fields(awaitIngest(MediapackageIds.deterministic(uuid)));
        assertEquals("Section", value(fields, "title"));
        assertEquals("S", value(fields, "type"));
        assertEquals("2026-11-18T14:00:00Z_2026-11-18T14:20:00Z,2026-11-18T14:25:00Z_2026-11-18T15:00:00Z",
                value(fields, "zoomRecordingTimes"));
    }

    // ---- duplicates, forgeries, bad input -------------------------------------------------------

    @Test
    void zoomRetryingTheSameWebhookIngestsOnce() throws Exception {
        long meeting = importSchedule("DUP E-1", "Lecture", "T", "10:00");
        String uuid = "dup" + UUID.randomUUID() + "==";
        String event = sims.zoom().recordingCompletedEvent(uuid, meeting, "DUP", "2026-11-17T15:00:00Z", 60, 1L << 20).toString();
        for (int i = 0; i < 3; i++) {
            assertEquals(200, webhook(event, SECRET, now()).statusCode());
        }
        awaitIngest(MediapackageIds.deterministic(uuid));
        assertEquals(200, webhook(event, SECRET, now()).statusCode(), "a late retry is still answered 200");
        Thread.sleep(1500);
        assertEquals(1, ingestsOf(MediapackageIds.deterministic(uuid)), "one ingest for four deliveries");
    }

    @Test
    void aForgedOrStaleSignatureIs401AndNothingIsQueued() throws Exception {
        String uuid = "forged" + UUID.randomUUID() + "==";
        String event = sims.zoom().recordingCompletedEvent(uuid, 1234L, "FORGED", "2026-11-17T15:00:00Z", 60, 1L << 20).toString();
        HttpResponse<String> wrong = webhook(event, "not-the-secret", now());
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.body().contains("signature"), wrong.body());
        assertEquals(401, webhook(event, SECRET, now() - 3600).statusCode(), "outside the replay window");
        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(uri("/zoom/webhook"))
                .POST(HttpRequest.BodyPublishers.ofString(event)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, unsigned.statusCode());
        assertFalse(redis.exists("camelcast:status:auto-ingest-" + uuid), "no status record");
        assertFalse(redis.exists("camelcast:idem:recording-intake:auto-ingest-" + uuid), "nothing queued");
        Thread.sleep(500);
        assertEquals(0, ingestsOf(MediapackageIds.deterministic(uuid)));
    }

    @Test
    void badDataGets400WithTheReasonAndARecordingWithoutMp4Is204Ignored() throws Exception {
        assertEquals(400, webhook("{not json", SECRET, now()).statusCode());
        HttpResponse<String> noEvent = webhook("{\"payload\": {}}", SECRET, now());
        assertEquals(400, noEvent.statusCode());
        assertTrue(noEvent.body().contains("no event type"), noEvent.body());
        assertEquals(204, webhook("{\"event\": \"meeting.created\", \"payload\": {}}", SECRET, now()).statusCode());

        String uuid = "nomp4" + UUID.randomUUID() + "==";
        ObjectNode event = sims.zoom().recordingCompletedEvent(uuid, 555L, "AUDIO ONLY", "2026-11-17T15:00:00Z", 60, 1L << 20);
        event.with("payload").with("object").withArray("recording_files")
                .forEach(f -> ((ObjectNode) f).put("file_type", "M4A"));
        assertEquals(204, webhook(event.toString(), SECRET, now()).statusCode());
        assertEquals("IGNORED", redis.hget("camelcast:status:auto-ingest-" + uuid, "state"));
        assertEquals("No mp4 files", redis.hget("camelcast:status:auto-ingest-" + uuid, "reason"));

        String uuid2 = "evilhost" + UUID.randomUUID() + "==";
        ObjectNode evil = sims.zoom().recordingCompletedEvent(uuid2, 556L, "EVIL", "2026-11-17T15:00:00Z", 60, 1L << 20);
        ((ObjectNode) evil.with("payload").with("object").withArray("recording_files").get(0))
                .put("download_url", "http://169.254.169.254/latest/meta-data/");
        HttpResponse<String> refused = webhook(evil.toString(), SECRET, now());
        assertEquals(400, refused.statusCode());
        assertTrue(refused.body().contains("download_url host"), refused.body());
        assertFalse(redis.exists("camelcast:idem:recording-intake:auto-ingest-" + uuid2), "nothing queued");

        ObjectNode missing = sims.zoom().recordingCompletedEvent("m" + UUID.randomUUID(), 557L, "X", "2026-11-17T15:00:00Z", 60, 1L << 20);
        ((ObjectNode) missing.with("payload").with("object").withArray("recording_files").get(0)).remove("download_url");
        HttpResponse<String> bad = webhook(missing.toString(), SECRET, now());
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("Missing required file field 'download_url'"), bad.body());
    }

    @Test
    void zoomsUrlValidationIsAnsweredWithTheHmacOfThePlainToken() throws Exception {
        assertTrue(sims.zoom().validateEndpoint(uri("/zoom/webhook"), SECRET));
    }

    @Test
    void aMeetingOutsideTheScheduleWithNoDefaultSeriesIsIgnored() throws Exception {
        String uuid = "nomatch" + UUID.randomUUID() + "==";
        String event = sims.zoom().recordingCompletedEvent(uuid, 777_000_111L, "NOT SCHEDULED", "2026-11-17T15:00:00Z", 60, 1L << 20).toString();
        assertEquals(200, webhook(event, SECRET, now()).statusCode());
        awaitTrue(() -> "IGNORED".equals(redis.hget("camelcast:status:auto-ingest-" + uuid, "state")), "IGNORED");
        assertEquals("No opencast series match", redis.hget("camelcast:status:auto-ingest-" + uuid, "reason"));
        assertEquals(0, ingestsOf(MediapackageIds.deterministic(uuid)));
    }

    // ---- Opencast failures ----------------------------------------------------------------------

    @Test
    void opencastFailingThreeTimesThenRecoveringIngestsOnce() throws Exception {
        long meeting = importSchedule("RETRY E-3", "Lecture", "T", "10:00");
        String uuid = "retry" + UUID.randomUUID() + "==";
        sims.opencast().faults().add(new Faults.Fault(500, 3, 0, "/ingest/addMediaPackage", "POST", null, null));
        String event = sims.zoom().recordingCompletedEvent(uuid, meeting, "RETRY", "2026-11-17T15:00:00Z", 60, 1L << 20).toString();
        assertEquals(200, webhook(event, SECRET, now()).statusCode());
        awaitIngest(MediapackageIds.deterministic(uuid));
        assertTrue(sims.opencast().faults().list().isEmpty(), "all three failures were used");
        Thread.sleep(1000);
        assertEquals(1, ingestsOf(MediapackageIds.deterministic(uuid)));
    }

    @Test
    void opencastDownPastEveryRetryGoesToTheDlqAndAReplayIngestsOnce() throws Exception {
        long meeting = importSchedule("DOWN E-4", "Lecture", "T", "10:00");
        String uuid = "down" + UUID.randomUUID() + "==";
        String zipId = "auto-ingest-" + uuid;
        sims.opencast().faults().add(new Faults.Fault(503, 0, 0, "/ingest/addMediaPackage", "POST", null, null));
        String event = sims.zoom().recordingCompletedEvent(uuid, meeting, "DOWN", "2026-11-17T15:00:00Z", 60, 1L << 20).toString();
        assertEquals(200, webhook(event, SECRET, now()).statusCode());
        awaitTrue(() -> "UPLOADER_FAILED".equals(redis.hget("camelcast:status:" + zipId, "state")), "UPLOADER_FAILED");
        String list = cli("dlq", "list", "camelcast-recordings-staged");
        assertTrue(list.contains(uuid), "the letter holds the original upload message: " + list);
        assertTrue(list.contains("attempts=5"), "four redeliveries, then the DLQ: " + list);
        assertEquals(0, ingestsOf(MediapackageIds.deterministic(uuid)));

        sims.opencast().faults().clear();
        String replay = cli("dlq", "replay", "camelcast-recordings-staged", "--all");
        assertTrue(replay.contains("replayed"), replay);
        awaitIngest(MediapackageIds.deterministic(uuid));
        Thread.sleep(1000);
        assertEquals(1, ingestsOf(MediapackageIds.deterministic(uuid)));
        assertEquals("SENT_TO_OPENCAST", redis.hget("camelcast:status:" + zipId, "state"));
    }

    @Test
    void anUnknownSeriesIsNotRetriedAndGoesToTheDlqAtOnce() throws Exception {
        String uuid = "noseries" + UUID.randomUUID() + "==";
        ObjectNode request = JSON.createObjectNode().put("uuid", uuid).put("oc_series_id", "no-such-series");
        sims.zoom().recordingCompletedEvent(uuid, 888L, "NO SERIES", "2026-11-17T15:00:00Z", 60, 1L << 20);
        HttpResponse<String> r = post("/ingest", request.toString(), API_KEY);
        assertEquals(200, r.statusCode(), r.body());
        String zipId = JSON.readTree(r.body()).path("zip_id").asText();
        awaitTrue(() -> "UPLOADER_FAILED".equals(redis.hget("camelcast:status:" + zipId, "state")), "UPLOADER_FAILED");
        assertEquals("Invalid Opencast series id.", redis.hget("camelcast:status:" + zipId, "reason"));
        assertTrue(cli("dlq", "list", "camelcast-recordings-staged").contains("attempts=1"), "not retried");
    }

    // ---- on demand --------------------------------------------------------------------------------

    @Test
    void onDemandIngestNeedsTheApiKeyAndAllowMultipleIngestsIngestsAgain() throws Exception {
        long meeting = importSchedule("OD E-5", "Lecture", "T", "10:00");
        String uuid = "od" + UUID.randomUUID() + "==";
        String event = sims.zoom().recordingCompletedEvent(uuid, meeting, "ON DEMAND", "2026-11-17T15:00:00Z", 60, 1L << 20).toString();
        assertEquals(200, webhook(event, SECRET, now()).statusCode());
        awaitIngest(MediapackageIds.deterministic(uuid));

        ObjectNode request = JSON.createObjectNode().put("uuid", uuid).put("oc_series_id", SERIES);
        assertEquals(401, post("/ingest", request.toString(), "wrong-key").statusCode());
        assertEquals(404, post("/ingest", JSON.createObjectNode().put("uuid", "no-such-uuid").toString(), API_KEY).statusCode());
        assertEquals(400, post("/ingest", "{}", API_KEY).statusCode());

        // without allow_multiple_ingests: Opencast has it, so IGNORED "Already in opencast"
        HttpResponse<String> again = post("/ingest", request.toString(), API_KEY);
        assertEquals(200, again.statusCode(), again.body());
        String zipId = JSON.readTree(again.body()).path("zip_id").asText();
        awaitTrue(() -> "IGNORED".equals(redis.hget("camelcast:status:" + zipId, "state")), "IGNORED");
        assertEquals("Already in opencast", redis.hget("camelcast:status:" + zipId, "reason"));

        request.put("allow_multiple_ingests", true);
        HttpResponse<String> multiple = post("/ingest", request.toString(), API_KEY);
        assertEquals(200, multiple.statusCode(), multiple.body());
        String zip2 = JSON.readTree(multiple.body()).path("zip_id").asText();
        awaitTrue(() -> "SENT_TO_OPENCAST".equals(redis.hget("camelcast:status:" + zip2, "state")), "second ingest");
        long sources = sims.opencast().ingests().stream().filter(i -> fields(i).contains(List.of("source", "ZIP-" + uuid))).count();
        assertEquals(2, sources, "two mediapackages of the same recording");
    }

    // ---- backfill and the ingest command ------------------------------------------------------------

    @Test
    void backfillQueuesEachPastRecordingOnceAcrossMonthWindows() throws Exception {
        long meeting = importSchedule("BACK E-6", "Lecture", "M", "10:00");
        List<String> uuids = new ArrayList<>();
        for (String day : List.of("2025-03-24", "2025-03-31", "2025-04-07")) {
            String uuid = "back" + day + UUID.randomUUID() + "==";
            uuids.add(uuid);
            sims.zoom().recordingCompletedEvent(uuid, meeting, "BACKFILL", day + "T14:05:00Z", 60, 1L << 20);
        }
        String first = cli("backfill", "--from", "2025-02-25", "--to", "2025-04-10");
        assertTrue(first.contains("3 recording(s) listed, 3 queued, 0 skipped"), first);
        for (String uuid : uuids) {
            awaitIngest(MediapackageIds.deterministic(uuid));
        }
        String again = cli("backfill", "--from", "2025-02-25", "--to", "2025-04-10");
        assertTrue(again.contains("3 recording(s) listed, 0 queued, 3 skipped"), again);
        Thread.sleep(1000);
        for (String uuid : uuids) {
            assertEquals(1, ingestsOf(MediapackageIds.deterministic(uuid)));
        }

        String ingest = cli("ingest", uuids.get(0), "--series", SERIES, "--allow-multiple-ingests");
        assertTrue(ingest.contains("Ingest accepted zip_id=on-demand-"), ingest);
        awaitTrue(() -> sims.opencast().ingests().stream()
                .filter(i -> fields(i).contains(List.of("source", "ZIP-" + uuids.get(0)))).count() == 2, "a second ingest");
    }

    // ---- schedule import --------------------------------------------------------------------------

    @Test
    void scheduleImportRejectsAFileWithoutTheRequiredColumnsAndStoresNothing() throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "Course Code\nBIOS E-18\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Camelcast.execute(new PrintWriter(out), new PrintWriter(err), "schedule", "import", bad.toString(),
                "--config", config.toString());
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("Missing required field"), err.toString());
    }

    // ---- helpers -----------------------------------------------------------------------------------

    static long importSchedule(String course, String type, String day, String time) throws Exception {
        long meeting = nextMeeting++;
        Path csv = dir.resolve("schedule-" + meeting + ".csv");
        Files.writeString(csv, "Course Code,Type,Day,Start,Meeting ID with Password,OC Series,Producer\n"
                + course + "," + type + "," + day + "," + time + ",https://harvard.zoom.us/j/" + meeting
                + ",https://matterhorn.example.edu/engage/ui/index.html#/" + SERIES.substring(0, 4) + "/" + SERIES.substring(4, 6) + "/"
                + SERIES.substring(6) + ",Producer\n");
        String out = cli("schedule", "import", csv.toString());
        assertTrue(out.contains("imported 1 meeting"), out);
        return meeting;
    }

    static String cli(String... args) {
        return FlowTests.cli(config, args);
    }

    static long now() {
        return Instant.now().getEpochSecond();
    }

    static HttpResponse<String> webhook(String body, String secret, long timestamp) throws Exception {
        return sims.zoom().sendWebhook(uri("/zoom/webhook"), secret, body, timestamp);
    }

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("X-Api-Key", API_KEY).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String body, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("X-Api-Key", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    static Map<String, Object> awaitIngest(String mediapackageId) throws Exception {
        return FlowTests.awaitIngest(sims.opencast(), mediapackageId);
    }

    static long ingestsOf(String mediapackageId) {
        return sims.opencast().ingests().stream().filter(i -> mediapackageId.equals(i.get("mediapackageId"))).count();
    }

    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        FlowTests.awaitTrue(condition, what);
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

    static String fileId(ObjectNode event, String recordingType) {
        for (JsonNode f : event.path("payload").path("object").path("recording_files")) {
            if (recordingType.equals(f.path("recording_type").asText())) {
                return f.path("id").asText();
            }
        }
        throw new AssertionError("no " + recordingType);
    }


}
