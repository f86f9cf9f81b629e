package io.camelcast.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.camelcast.FlowTests;
import io.camelcast.config.Settings;
import io.camelcast.opencast.MediapackageIds;
import io.camelcast.runtime.CamelcastRuntime;
import io.camelcast.sim.Simulators;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The schedule from a URL (camelcast.schedule.url) end to end: a sheet served over HTTP by a small server in
 * this test is fetched at start and on the cron, and maps a Zoom recording to its series in the ingest the
 * Opencast simulator receives; the sheet then breaks (500, then a malformed CSV) and the last good schedule stays
 * with the reason in `schedule list` and status; a hand-imported meeting survives the next fetch, which drops
 * the meeting the sheet no longer lists; PUT/DELETE /schedule/meetings/{id} change the series of the next ingest.
 * The URL's key never shows in what an operator reads.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScheduleUrlFlowTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = "schedule-url-webhook-secret";
    static final String API_KEY = "schedule-url-api-key";
    static final String SHEET_KEY = "SheetKeyDoNotLog7f3a9c";
    static final ZoneId ZONE = ZoneId.of("US/Eastern");
    static final long M1 = 94_100_000_001L;
    static final long M2 = 94_100_000_002L;
    static final long M3 = 94_100_000_003L;
    static final String S1 = "series-fetched-one";
    static final String S2 = "series-by-hand";
    static final String S3 = "series-fetched-three";
    static final String S_OVERRIDE = "series-override";
    static final String HEADER = "Course Code,Type,Day,Start,Meeting ID with Password,OC Series\n";

    @TempDir
    static Path dir;
    static Simulators sims;
    static CamelcastRuntime runtime;
    static Path config;
    static int port;
    static HttpServer sheet;
    static final AtomicReference<String> sheetBody = new AtomicReference<>();
    static final AtomicInteger sheetStatus = new AtomicInteger(200);
    static final AtomicInteger sheetRequests = new AtomicInteger();
    static UnifiedJedis redis;
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        sheetBody.set(HEADER + row("CSCI E-1", "Lecture", "T", "10:00", M1, S1));
        sheet = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sheet.createContext("/spreadsheets/d/sheet-id/export", exchange -> {
            sheetRequests.incrementAndGet();
            byte[] body = sheetBody.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/csv; charset=utf-8");
            exchange.sendResponseHeaders(sheetStatus.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        sheet.start();
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
                "camelcast.retry.initial-delay=100",
                "camelcast.retry.max-delay=300",
                "camelcast.sqs.wait-seconds=1",
                "camelcast.schedule.time-zone=US/Eastern",
                "camelcast.schedule.url=http://127.0.0.1:" + sheet.getAddress().getPort()
                        + "/spreadsheets/d/sheet-id/export?format=csv&key=" + SHEET_KEY,
                // every 2 s, so the test sees the next fetch soon
                "camelcast.schedule.cron=0/2 * * * * ?",
                "camelcast.schedule.timeout=5000"), StandardCharsets.UTF_8);
        Settings settings = sims.pointAt(Settings.load(config)).with("camelcast.zoom.webhook-secret", SECRET);
        runtime = CamelcastRuntime.start(settings);
        redis = RedisClient.create(URI.create(runtime.settings().get("camelcast.redis.url")));
        for (String series : List.of(S1, S2, S3, S_OVERRIDE)) {
            sims.opencast().registerSeries(series, "Course " + series);
        }
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
        if (runtime != null) {
            runtime.close();
        }
        if (sims != null) {
            sims.close();
        }
        if (sheet != null) {
            sheet.stop(0);
        }
    }

    @Test
    @Order(1)
    void theFetchedScheduleMapsARecordingToItsSeries() throws Exception {
        FlowTests.awaitTrue(() -> store().get(Long.toString(M1)) != null, "the schedule fetched at start");
        String list = FlowTests.cli(config, "schedule", "list");
        assertTrue(list.contains("fetched from http://127.0.0.1:" + sheet.getAddress().getPort()
                + "/spreadsheets/d/sheet-id/export?****"), list);
        assertTrue(list.contains("zoom=" + M1) && list.contains("series=" + S1) && list.contains("[url]"), list);
        assertFalse(list.contains(SHEET_KEY), "the URL's key is not shown: " + list);

        assertEquals(S1, seriesOfIngest(M1, tuesdayAt(10, 2)));
    }

    @Test
    @Order(2)
    void aBrokenSheetKeepsTheLastGoodScheduleAndSaysWhy() throws Exception {
        sheetStatus.set(500);
        FlowTests.awaitTrue(() -> String.valueOf(store().sources().get("fetch.error")).contains("HTTP 500"), "the failed fetch recorded");
        String list = FlowTests.cli(config, "schedule", "list");
        assertTrue(list.contains("LAST FETCH FAILED") && list.contains("HTTP 500") && list.contains("stays in force"), list);
        assertTrue(list.contains("zoom=" + M1), "the last good schedule stays: " + list);
        assertEquals(S1, seriesOfIngest(M1, tuesdayAt(10, 5)), "recordings still map by the last good schedule");

        sheetStatus.set(200);
        sheetBody.set("Course,When\nCSCI E-1,Tuesday\n");
        FlowTests.awaitTrue(() -> String.valueOf(store().sources().get("fetch.error")).contains("Missing required field"),
                "the malformed sheet recorded");
        assertTrue(store().get(Long.toString(M1)) != null, "a malformed sheet replaces nothing");

        HttpResponse<String> status = send("GET", "/status", null, API_KEY);
        assertEquals(200, status.statusCode(), status.body());
        JsonNode schedule = JSON.readTree(status.body()).path("schedule");
        assertTrue(schedule.path("fetch.error").asText().contains("Missing required field"), status.body());
        assertTrue(schedule.path("fetch.time").isTextual(), "the time of the schedule in force: " + schedule);
        assertFalse(status.body().contains(SHEET_KEY), "status never shows the URL's key");
        assertEquals("****", JSON.readTree(status.body()).path("configuration").path("camelcast.schedule.url").asText());
    }

    @Test
    @Order(3)
    void aNewFetchReplacesTheFetchedMeetingsAndKeepsHandImportedOnes() throws Exception {
        Path csv = dir.resolve("by-hand.csv");
        Files.writeString(csv, HEADER + row("HAND E-2", "Section", "W", "9:00", M2, S2));
        assertTrue(FlowTests.cli(config, "schedule", "import", csv.toString()).contains("imported 1 meeting"));

        int before = sheetRequests.get();
        sheetBody.set(HEADER + row("CSCI E-3", "Lecture", "T", "10:00", M3, S3));
        FlowTests.awaitTrue(() -> store().get(Long.toString(M3)) != null && sheetRequests.get() > before, "the new sheet fetched");
        assertEquals(null, store().get(Long.toString(M1)), "the meeting the sheet no longer lists is gone");
        assertEquals(S2, store().get(Long.toString(M2)).opencastSeriesId(), "the hand-imported meeting stays");
        assertFalse(store().sources().containsKey("fetch.error"), "a good fetch clears the failure");

        String list = FlowTests.cli(config, "schedule", "list");
        assertTrue(list.contains("imported from file " + csv.toAbsolutePath()), list);
        assertTrue(list.lines().anyMatch(l -> l.contains("zoom=" + M2) && l.contains("[file ")), list);
        assertTrue(list.lines().anyMatch(l -> l.contains("zoom=" + M3) && l.contains("[url]")), list);
        assertFalse(list.contains("zoom=" + M1), list);

        // one more fetch of the same sheet: the hand-imported meeting is still there
        int again = sheetRequests.get();
        FlowTests.awaitTrue(() -> sheetRequests.get() > again + 1, "two more fetches");
        assertEquals(S2, store().get(Long.toString(M2)).opencastSeriesId());
        assertEquals(S2, seriesOfIngest(M2, ZonedDateTime.of(2026, 11, 18, 9, 1, 0, 0, ZONE)));
    }

    @Test
    @Order(4)
    void aSeriesOverrideOverHttpWinsUntilItIsCleared() throws Exception {
        assertEquals(S3, seriesOfIngest(M3, tuesdayAt(10, 1)));

        HttpResponse<String> put = send("PUT", "/schedule/meetings/" + M3, "{\"seriesId\": \"" + S_OVERRIDE + "\"}", API_KEY);
        assertEquals(200, put.statusCode(), put.body());
        assertEquals(S_OVERRIDE, JSON.readTree(put.body()).path("seriesId").asText());
        assertTrue(FlowTests.cli(config, "schedule", "list").contains("override series=" + S_OVERRIDE));
        String uuid = "ovr" + UUID.randomUUID() + "==";
        Map<String, Object> ingest = ingest(M3, tuesdayAt(10, 3), uuid);
        assertEquals(S_OVERRIDE, value(ingest, "isPartOf"), "the override wins over the schedule's series");
        assertEquals("Lecture", value(ingest, "title"), "the schedule's slot still names the episode");

        assertEquals(204, send("DELETE", "/schedule/meetings/" + M3, null, API_KEY).statusCode());
        assertEquals(S3, seriesOfIngest(M3, tuesdayAt(10, 4)), "cleared: the schedule's series again");
        assertEquals(204, send("DELETE", "/schedule/meetings/" + M3, null, API_KEY).statusCode(), "clearing twice is fine");
    }

    @Test
    @Order(5)
    void badOverrideRequestsAreRefusedWithTheReasonAndStoreNothing() throws Exception {
        HttpResponse<String> notJson = send("PUT", "/schedule/meetings/" + M2, "{not json", API_KEY);
        assertEquals(400, notJson.statusCode());
        assertTrue(notJson.body().contains("not JSON"), notJson.body());
        HttpResponse<String> missing = send("PUT", "/schedule/meetings/" + M2, "{\"series\": \"x\"}", API_KEY);
        assertEquals(400, missing.statusCode());
        assertTrue(missing.body().contains("missing seriesId"), missing.body());
        HttpResponse<String> badSeries = send("PUT", "/schedule/meetings/" + M2, "{\"seriesId\": \"<script>\"}", API_KEY);
        assertEquals(400, badSeries.statusCode(), badSeries.body());
        assertEquals(400, send("PUT", "/schedule/meetings/a%20b", "{\"seriesId\": \"x\"}", API_KEY).statusCode());
        assertEquals(401, send("PUT", "/schedule/meetings/" + M2, "{\"seriesId\": \"x\"}", null).statusCode());
        assertEquals(401, send("PUT", "/schedule/meetings/" + M2, "{\"seriesId\": \"x\"}", "wrong").statusCode());
        assertEquals(401, send("DELETE", "/schedule/meetings/" + M2, null, null).statusCode());
        assertEquals(null, store().override(Long.toString(M2)), "nothing stored");
    }

    // ---- helpers -----------------------------------------------------------------------------------

    static String row(String course, String type, String day, String time, long meeting, String series) {
        return course + "," + type + "," + day + "," + time + ",https://harvard.zoom.us/j/" + meeting
                + ",https://oc.example.edu/engage/ui/index.html#/" + series + "\n";
    }

    static ScheduleStore store() {
        return new ScheduleStore(redis);
    }

    /** A Tuesday in the schedule's time zone. */
    static ZonedDateTime tuesdayAt(int hour, int minute) {
        return ZonedDateTime.of(2026, 11, 17, hour, minute, 0, 0, ZONE);
    }

    static String seriesOfIngest(long meeting, ZonedDateTime start) throws Exception {
        return value(ingest(meeting, start, "sched" + UUID.randomUUID() + "=="), "isPartOf");
    }

    /** A Zoom recording of the meeting, by signed webhook, and the ingest Opencast received for it. */
    static Map<String, Object> ingest(long meeting, ZonedDateTime start, String uuid) throws Exception {
        String event = sims.zoom().recordingCompletedEvent(uuid, meeting, "T" + meeting, start.toInstant().toString(), 60, 1L << 16)
                .toString();
        HttpResponse<String> r = sims.zoom().sendWebhook(uri("/zoom/webhook"), SECRET, event, Instant.now().getEpochSecond());
        assertEquals(200, r.statusCode(), r.body());
        String mpid = MediapackageIds.deterministic(uuid);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (Map<String, Object> i : sims.opencast().ingests()) {
                if (mpid.equals(i.get("mediapackageId")) && !"FAILED".equals(i.get("state"))) {
                    return i;
                }
            }
            Thread.sleep(100);
        }
        fail("no ingest of " + mpid + "; status " + redis.hgetAll("camelcast:status:auto-ingest-" + uuid));
        return null;
    }

    @SuppressWarnings("unchecked")
    static String value(Map<String, Object> ingest, String name) {
        return ((List<List<String>>) ingest.get("fields")).stream().filter(f -> f.get(0).equals(name)).map(f -> f.get(1))
                .findFirst().orElse(null);
    }

    static HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (key != null) {
            b.header("X-Api-Key", key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
