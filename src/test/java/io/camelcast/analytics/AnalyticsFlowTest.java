package io.camelcast.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.Camelcast;
import io.camelcast.config.Settings;
import io.camelcast.runtime.CamelcastRuntime;
import io.camelcast.sim.Faults;
import io.camelcast.sim.Simulators;
import io.camelcast.store.AwsClients;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The analytics harvests through the running routes into a real OpenSearch node, from the Opencast and
 * Zoom simulators, with the embedded SQS and Redis; every check is a query against the engine, a read of
 * the queue with the AWS SDK, or a Redis command.
 */
class AnalyticsFlowTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String MP_LIVE = "mp-live-0001";
    static final String MP_VOD = "mp-vod-0002";

    @TempDir
    static Path dir;
    static SearchEngineFixture engine;
    static Simulators sims;
    static CamelcastRuntime runtime;
    static ProducerTemplate producer;
    static UnifiedJedis redis;
    static SqsClient sqs;
    static Path config;
    static io.camelcast.sim.KibanaSimulator kibana;

    @BeforeAll
    static void start() throws Exception {
        engine = new SearchEngineFixture(dir.resolve("opensearch"));
        sims = Simulators.start(0, 0);
        kibana = new io.camelcast.sim.KibanaSimulator();
        kibana.start(0);
        Path geo = dir.resolve("GeoLite2-City.mmdb");
        try (InputStream in = AnalyticsFlowTest.class.getResourceAsStream("/GeoLite2-City.mmdb")) {
            Files.copy(in, geo, StandardCopyOption.REPLACE_EXISTING);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        config = dir.resolve("analytics.properties");
        Files.writeString(config, String.join("\n",
                "camelcast.data-dir=" + dir.resolve("state"),
                "camelcast.http.port=" + port,
                "camelcast.analytics.sink=elasticsearch",
                "camelcast.es.url=" + engine.url(),
                "camelcast.analytics.geoip-db=" + geo,
                "camelcast.analytics.max-redeliveries=1",
                "camelcast.retry.initial-delay=50",
                "camelcast.useractions.batch-size=4",
                "camelcast.useractions.wait=0",
                "camelcast.es.bulk-retries=1",
                "camelcast.useractions.max-span=2592000",
                "camelcast.es.retention-days=30", ""), StandardCharsets.UTF_8);
        Settings settings = sims.pointAt(Settings.load(config));
        Files.writeString(config, String.join("\n", "camelcast.opencast.url=" + settings.get("camelcast.opencast.url"),
                "camelcast.opencast.engage-url=" + settings.get("camelcast.opencast.engage-url"),
                "camelcast.opencast.user=" + settings.get("camelcast.opencast.user"),
                "camelcast.opencast.password=" + settings.get("camelcast.opencast.password"), ""), java.nio.file.StandardOpenOption.APPEND);
        // the templates first, as an operator would: `camelcast es setup`
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, Camelcast.execute(new PrintWriter(out), new PrintWriter(err), "es", "setup", "--config", config.toString(),
                "--kibana-url", kibana.url()), err.toString());
        // the test engine is OpenSearch without the Index State Management plugin: said, not failed
        assertTrue(out.toString().contains("retention: this OpenSearch has no Index State Management plugin"), out.toString());
        assertTrue(out.toString().contains("camelcast-useractions -> useractions-camelcast-*"), out.toString());
        assertTrue(out.toString().contains("kibana saved objects imported"), out.toString());
        assertTrue(kibana.objects().containsKey("dashboard:camelcast-overview"), "the dashboard reached Kibana with all it refers to");
        assertTrue(kibana.objects().containsKey("map:camelcast-viewers-map"));

        runtime = CamelcastRuntime.start(settings);
        producer = runtime.camelContext().createProducerTemplate();
        redis = RedisClient.create(URI.create(runtime.settings().get("camelcast.redis.url")));
        sqs = AwsClients.sqs(runtime.settings());
        registerEpisodes();
    }

    @AfterAll
    static void stop() throws Exception {
        if (redis != null) {
            redis.close();
            sqs.close();
        }
        if (runtime != null) {
            runtime.close();
        }
        if (sims != null) {
            sims.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (kibana != null) {
            kibana.close();
        }
    }

    @BeforeEach
    void clearFaults() {
        sims.opencast().faults().clear();
    }

    static void registerEpisodes() throws Exception {
        post(sims.opencast().url() + "/_sim/episodes", """
                [{"id": "mp-live-0001", "title": "Lecture 7: Live", "start": "2026-10-06T14:00:00Z", "duration": 3600000,
                  "series": "20270199887", "seriestitle": "MATH E-21", "description": "live lecture",
                  "attachments": {"attachment": [
                    {"type": "presenter/player+preview", "url": "https://cdn.example.edu/p.jpg", "ref": ""},
                    {"type": "presentation/segment+preview", "url": "https://cdn.example.edu/s1.jpg", "ref": "track:t1;time=T00:00:00:0F1000"},
                    {"type": "presentation/segment+preview", "url": "https://cdn.example.edu/s2.jpg", "ref": "track:t1;time=T00:05:00:0F1000"}]}},
                 {"id": "mp-vod-0002", "title": "Lecture 8", "start": "2026-10-08T14:00:00Z", "duration": 1200000,
                  "series": "20270199887", "seriestitle": "MATH E-21"}]""");
        post(sims.opencast().url() + "/_sim/workflows", """
                [{"id": 10, "state": "SUCCEEDED", "template": "DCE-archive-publish-external", "mediapackage": {"id": "mp-live-0001"},
                  "operations": {"operation": [{"id": "capture", "started": 1791295200000, "completed": 1791298800000}]}},
                 {"id": 12, "state": "SUCCEEDED", "template": "DCE-archive-publish-external", "mediapackage": {"id": "mp-live-0001"},
                  "operations": {"operation": [{"id": "capture", "started": 1791295200000, "completed": 1791299000000},
                                              {"id": "retract-element", "started": 1791900000000, "completed": 1791900060000}]}}]""");
    }

    static ObjectNode action(long id, String mpid, String created, String user, String ips, Object playing, String type, int inpoint) {
        ObjectNode a = JSON.createObjectNode();
        a.put("id", id);
        a.put("mediapackageId", mpid);
        a.put("sessionId", "sess-" + user);
        if (user != null) {
            a.put("userId", user);
        }
        a.put("userIp", ips);
        a.put("userAgent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36");
        a.put("type", type);
        a.put("inpoint", inpoint);
        a.put("outpoint", inpoint + 30);
        a.put("length", 30);
        if (playing instanceof Boolean b) {
            a.put("isPlaying", b);
        } else {
            a.put("isPlaying", (Integer) playing);
        }
        a.put("created", created);
        return a;
    }

    // ---- health ------------------------------------------------------------------------------------

    @Test
    void healthNamesTheSearchEngineUpAndAnEngineThatDoesNotAnswerIsDown() throws Exception {
        String health = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.settings().get("camelcast.http.port")
                + "/observe/health?exposureLevel=full")).build(), HttpResponse.BodyHandlers.ofString()).body();
        JsonNode search = null;
        for (JsonNode check : JSON.readTree(health).path("checks")) {
            if (check.path("name").asText().endsWith("search")) {
                search = check;
            }
        }
        assertNotNull(search, "health names the search engine: " + health);
        assertEquals("UP", search.path("status").asText(), health);

        // the same check against a port nobody listens on: DOWN, with the reason, in well under the 30 s socket timeout
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        try (SearchEngine gone = new SearchEngine("http://127.0.0.1:" + closed)) {
            io.camelcast.runtime.DependencyHealthCheck check = new io.camelcast.runtime.DependencyHealthCheck("search", gone::ping);
            check.setCamelContext(runtime.camelContext());
            long started = System.nanoTime();
            org.apache.camel.health.HealthCheck.Result result = check.call();
            assertEquals(org.apache.camel.health.HealthCheck.State.DOWN, result.getState());
            assertTrue(result.getMessage().orElse("").startsWith("search does not answer"), result.getMessage().toString());
            assertTrue(System.nanoTime() - started < java.util.concurrent.TimeUnit.SECONDS.toNanos(10));
        }
    }

    // ---- user actions ------------------------------------------------------------------------------

    @Test
    void userActionsBecomeTheSeedsDocumentsWithEpisodeUaAndGeoip() throws Exception {
        ArrayNode actions = JSON.createArrayNode();
        actions.add(action(9001, MP_LIVE, "2026-10-06T14:05:00Z", "huid-1", "8.8.8.8, 10.1.1.1, 10.2.2.2", 2, "HEARTBEAT", 0));
        actions.add(action(9002, MP_VOD, "2026-10-06T14:06:00Z", null, "81.2.69.160", true, "HEARTBEAT", 300));
        actions.add(action(9003, "mp-deleted-9", "2026-10-06T14:07:00Z", "huid-2", "203.0.113.9", false, "PAUSE", 60));
        ObjectNode nested = action(9004, MP_VOD, "2026-10-06T14:08:00Z", null, "", 1, "PLAY", 0);
        // older Opencast: the session is an object
        nested.remove("userId");
        nested.remove("userIp");
        nested.set("sessionId", JSON.createObjectNode().put("sessionId", "sess-old").put("userId", "huid-3")
                .put("userIp", "198.51.100.1, 10.0.0.1").put("userAgent", "curl/8.0"));
        actions.add(nested);
        actions.add(action(9005, MP_VOD, "2026-10-06T14:09:00Z", "huid-1", "8.8.8.8", true, "HEARTBEAT", 330));
        post(sims.opencast().url() + "/_sim/actions", actions.toString());

        Map<String, Object> summary = harvest("20261006140000", "20261006141000", null);
        assertEquals(5L, ((Number) summary.get("delivered")).longValue(), summary.toString());
        assertEquals(2L, ((Number) summary.get("pages")).longValue(), "batch size 4: a page of four, then a single object");
        refresh();

        JsonNode live = doc("useractions-camelcast-2026.10.06", "9001");
        assertEquals(live.path("timestamp").asText(), live.path("@timestamp").asText(), "Kibana's time field: the action's time");
        assertEquals("9001", live.path("action_id").asText());
        assertEquals("2026-10-06T14:05:00+00:00", live.path("timestamp").asText());
        assertEquals(MP_LIVE, live.path("mpid").asText());
        assertEquals("huid-1", live.path("huid").asText());
        assertEquals("8.8.8.8", live.path("ip").asText());
        assertEquals("10.1.1.1", live.path("proxy1").asText());
        assertEquals("10.2.2.2", live.path("proxy2").asText());
        assertTrue(live.path("is_live").asBoolean(), "isPlaying 2 is live");
        assertTrue(live.path("action").path("is_playing").asBoolean());
        assertEquals("HEARTBEAT", live.path("action").path("type").asText());
        JsonNode ep = live.path("episode");
        assertEquals("Lecture 7: Live", ep.path("title").asText());
        assertEquals(3600000, ep.path("duration").asLong());
        assertEquals("2026-10-06T14:00:00Z", ep.path("start").asText());
        assertEquals("MATH E-21", ep.path("course").asText());
        assertEquals("20270199887", ep.path("series").asText());
        assertEquals("2027", ep.path("year").asText());
        assertEquals("01", ep.path("term").asText());
        assertEquals("99887", ep.path("cdn").asText());
        assertEquals("99887", ep.path("crn").asText());
        assertEquals("Chrome", live.path("ua").path("name").asText());
        assertEquals("US", live.path("geoip").path("country_code2").asText(), "GeoLite2 places 8.8.8.8 in the US");
        assertTrue(live.path("geoip").path("location").isArray());

        JsonNode anonymous = doc("useractions-camelcast-2026.10.06", "9002");
        assertTrue(anonymous.path("huid").isNull(), "no user is null, not the string None");
        assertFalse(anonymous.path("is_live").asBoolean());
        assertEquals("GB", anonymous.path("geoip").path("country_code2").asText());

        JsonNode missing = doc("useractions-camelcast-2026.10.06", "9003");
        assertEquals(0, missing.path("episode").size(), "episode {}");
        assertTrue(missing.path("episode_missing").asBoolean(), "kept, flagged, not dropped");

        JsonNode old = doc("useractions-camelcast-2026.10.06", "9004");
        assertEquals("sess-old", old.path("session_id").asText());
        assertEquals("huid-3", old.path("huid").asText());
        assertEquals("198.51.100.1", old.path("ip").asText());

        // the mapping came from `es setup`: a map needs geo_point, the live filter a boolean
        JsonNode mapping = get(engine.url() + "/useractions-camelcast-2026.10.06/_mapping");
        JsonNode props = mapping.path("useractions-camelcast-2026.10.06").path("mappings").path("properties");
        assertEquals("geo_point", props.path("geoip").path("properties").path("location").path("type").asText());
        assertEquals("boolean", props.path("is_live").path("type").asText());
        assertEquals("keyword", props.path("episode").path("properties").path("series").path("type").asText());

        // the episode cache: one Redis key per mpid with the seed's 900 s time to live
        long ttl = redis.ttl("camelcast:episode:" + MP_VOD);
        assertTrue(ttl > 0 && ttl <= 900, "ttl " + ttl);
        assertTrue(redis.exists("camelcast:episode:mp-deleted-9"), "a missing episode is remembered too");
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.settings().get("camelcast.http.port")
                + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("camelcast_episode_cache_hits_total"), "the cache hit ratio is a metric");
    }

    @Test
    void aFailureMidWindowLeavesTheCheckpointOnDeliveredActionsAndTheRerunIndexesEachActionOnce() throws Exception {
        ArrayNode actions = JSON.createArrayNode();
        for (int i = 0; i < 22; i++) {
            actions.add(action(7000 + i, MP_VOD, String.format("2026-10-20T10:%02d:00Z", i), "huid-" + (i % 3), "10.0.0." + i,
                    true, "HEARTBEAT", i * 30));
        }
        post(sims.opencast().url() + "/_sim/actions", actions.toString());
        new io.camelcast.store.CheckpointStore(redis).put("useractions", "20261020100000");
        // Opencast fails from the fourth page request on, past every redelivery
        sims.opencast().faults().add(new Faults.Fault(500, 1000, 0, "/usertracking/actions.json", null, null, null, 6));
        CamelExecutionException failed = assertThrows(CamelExecutionException.class, () -> harvest(null, "20261020110000", null));
        assertNotNull(failed);
        String afterFailure = redis.get("camelcast:checkpoint:useractions");
        refresh();
        long indexedBefore = count("useractions-camelcast-2026.10.20");
        assertTrue(indexedBefore > 0 && indexedBefore < 22, "some pages were delivered before the failure: " + indexedBefore);
        assertTrue(afterFailure.compareTo("20261020100000") > 0 && afterFailure.compareTo("20261020102100") < 0,
                "the checkpoint moved over delivered actions only: " + afterFailure);

        sims.opencast().faults().clear();
        Map<String, Object> rerun = harvest(null, "20261020110000", null);
        assertEquals(afterFailure, rerun.get("start"), "the rerun starts at the last delivered action");
        refresh();
        assertEquals(22, count("useractions-camelcast-2026.10.20"), "every action once: none missing, none doubled");
        assertEquals("20261020102100", redis.get("camelcast:checkpoint:useractions"));
    }

    @Test
    void aWindowOverTheMaxSpanIsRefusedWithAReasonUnlessForced() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Camelcast.execute(new PrintWriter(out), new PrintWriter(err), "harvest", "useractions", "--start", "2026010100000",
                "--config", config.toString());
        assertEquals(2, code, "a malformed --start is a usage error");
        assertTrue(err.toString().contains("YYYYMMDDHHmmss"), err.toString());
        StringWriter err2 = new StringWriter();
        code = Camelcast.execute(new PrintWriter(new StringWriter()), new PrintWriter(err2), "harvest", "useractions",
                "--start", "20260101000000", "--end", "20260401000000", "--config", config.toString());
        assertEquals(2, code);
        assertTrue(err2.toString().contains("more than camelcast.useractions.max-span"), err2.toString());
        StringWriter out3 = new StringWriter();
        code = Camelcast.execute(new PrintWriter(out3), new PrintWriter(new StringWriter()), "harvest", "useractions",
                "--start", "20260101000000", "--end", "20260401000000", "--force", "--no-checkpoint", "--config", config.toString());
        assertEquals(0, code, "--force harvests it");
        assertTrue(out3.toString().contains("\"start\" : \"20260101000000\""), out3.toString());
    }

    @Test
    void documentsTheEngineRejectsForGoodGoToTheDeadLetterQueueWithTheReason() throws Exception {
        ObjectNode bad = JSON.createObjectNode().put("action_id", "bad-1").put("timestamp", "not a date at all");
        List<AnalyticsDoc> batch = List.of(new AnalyticsDoc("useractions-camelcast-2026.10.21", "bad-1", bad));
        producer.requestBody("direct:analytics-sink-elasticsearch", batch);
        String queue = sqs.getQueueUrl(b -> b.queueName("camelcast-analytics-dlq")).queueUrl();
        List<Message> letters = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(2)).messages();
        assertEquals(1, letters.size());
        JsonNode letter = JSON.readTree(letters.get(0).body());
        assertEquals("bad-1", letter.path("id").asText());
        assertEquals(400, letter.path("status").asInt());
        assertTrue(letter.path("reason").asText().contains("mapper_parsing_exception"), letter.toString());
    }

    // ---- the other sink targets -------------------------------------------------------------------

    @Test
    void theSqsTargetSendsOneMessagePerDocument() throws Exception {
        List<AnalyticsDoc> batch = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            batch.add(new AnalyticsDoc("x", "sqs-" + i, JSON.createObjectNode().put("action_id", "sqs-" + i)));
        }
        producer.requestBody("direct:analytics-sink-sqs", batch);
        String queue = sqs.getQueueUrl(b -> b.queueName("camelcast-analytics")).queueUrl();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5 && ids.size() < 13; i++) {
            for (Message m : sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                ids.add(JSON.readTree(m.body()).path("action_id").asText());
            }
        }
        assertEquals(13, ids.size(), ids.toString());
        assertTrue(ids.contains("sqs-12"));
    }

    @Test
    void theFileTargetWritesBulkNdjsonThatTheEngineLoadsInOneRequest() throws Exception {
        List<AnalyticsDoc> batch = List.of(
                new AnalyticsDoc("filetest-a", "f1", JSON.createObjectNode().put("n", 1)),
                new AnalyticsDoc("filetest-a", "f2", JSON.createObjectNode().put("n", 2)),
                new AnalyticsDoc("filetest-b", "f3", JSON.createObjectNode().put("n", 3)));
        producer.requestBody("direct:analytics-sink-file", batch);
        Path fileA = Path.of(runtime.settings().get("camelcast.analytics.dir")).resolve("filetest-a.ndjson");
        String ndjson = Files.readString(fileA);
        assertEquals(4, ndjson.lines().count());
        // the one curl: POST _bulk --data-binary @file
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(engine.url() + "/_bulk?refresh=true"))
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofFile(fileA)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertFalse(JSON.readTree(r.body()).path("errors").asBoolean(), r.body());
        assertEquals(2, count("filetest-a"));
    }

    // ---- episodes, Zoom, exports ------------------------------------------------------------------

    @Test
    void episodesGetLiveTimesFromTheNewestWorkflowAndStillsAndSlides() throws Exception {
        Map<String, Object> h = new HashMap<>();
        h.put("mpids", MP_LIVE + ",no-such-mp," + MP_VOD);
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = producer.requestBodyAndHeaders("direct:analytics-episodes-harvest", null, h, Map.class);
        assertEquals(2L, ((Number) summary.get("indexed")).longValue(), summary.toString());
        assertTrue(summary.get("skipped").toString().contains("no-such-mp"), "reported, not fatal");
        refresh();
        JsonNode live = doc("episodes", MP_LIVE);
        assertEquals("2026-10-06T14:00:00+00:00", live.path("@timestamp").asText(), "Kibana's time field: the episode's start");
        assertEquals("Lecture 7: Live", live.path("title").asText());
        assertEquals("2026-10-06T14:00:00+00:00", live.path("start").asText());
        assertTrue(live.path("live_stream").asBoolean());
        assertEquals(3800000, live.path("live_duration").asLong(), "from workflow 12, the newest");
        assertEquals("2026-10-06T14:00:00+00:00", live.path("live_start").asText());
        assertTrue(live.has("available"), "retract-element");
        assertEquals("https://cdn.example.edu/p.jpg", live.path("presenter_still").asText());
        assertEquals(2, live.path("slides").size());
        assertEquals("T00:05:00:0F1000", live.path("slides").get(1).path("time").asText());
        assertEquals("99887", live.path("crn").asText());
        assertFalse(doc("episodes", MP_VOD).has("live_stream"), "no workflow: no live fields (as the seed)");
    }

    @Test
    void zoomMeetingsAndParticipantsOfADayAreIndexedAsTheSeedsDocuments() throws Exception {
        post(sims.zoom().url() + "/_sim/meetings", """
                {"uuid": "/ab//cd==", "id": 95000000001, "topic": "CSCI E-101 Section", "start_time": "2026-10-15T14:00:00Z",
                 "end_time": "2026-10-15T15:30:00Z", "has_screen_share": true,
                 "participants": [{"id": "p1", "user_name": "Ada", "ip_address": "8.8.8.8", "location": "Mountain View (US)",
                                   "join_time": "2026-10-15T14:00:00Z", "leave_time": "2026-10-15T14:45:00Z"},
                                  {"id": "p2", "user_name": "Grace", "ip_address": "81.2.69.160", "location": "London (GB)"}]}""");
        Map<String, Object> h = new HashMap<>();
        h.put("date", "2026-10-15");
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = producer.requestBodyAndHeaders("direct:analytics-zoom-harvest", null, h, Map.class);
        assertEquals(1L, ((Number) summary.get("meetings")).longValue(), summary.toString());
        assertEquals(2L, ((Number) summary.get("sessions")).longValue());
        refresh();
        JsonNode meeting = doc("meetings-2026.10.15", "/ab//cd==");
        assertEquals(5400, meeting.path("duration").asInt());
        assertEquals(2, meeting.path("participant_sessions").asInt());
        assertTrue(meeting.path("has_screen_share").asBoolean());
        assertEquals("CSCI E-101 Section", meeting.path("topic").asText());
        // the seed's _id, meeting uuid + user_id (Zoom's per-join participant id; the simulator's first is 16778240)
        JsonNode session = doc("sessions-2026.10.15", "/ab//cd==16778240");
        assertEquals("2026-10-15T14:00:00Z", session.path("@timestamp").asText(), "Kibana's time field: the join");
        assertEquals("2026-10-15T14:00:00Z", meeting.path("@timestamp").asText(), "the meeting's start");
        assertEquals("Ada", session.path("user_name").asText());
        assertEquals(2700, session.path("duration").asLong());
        assertEquals("US", session.path("country").asText());
        assertEquals("Mountain View", session.path("city").asText());
        assertEquals("US", session.path("geoip").path("country_code2").asText());
        assertTrue(sims.zoom().requests().stream().anyMatch(r -> r.contains("%252Fab%252F%252Fcd%253D%253D")),
                "a uuid with '/' and '//' is double-encoded: " + sims.zoom().requests());
    }

    @Test
    void everyJoinIsOneSessionDocumentAndHarvestingTheDayAgainAddsNoCopies() throws Exception {
        // two guests who did not sign in (Zoom blanks their id) and one user who joined twice (the same id):
        // keyed by uuid + id these were 2 documents, the later joins overwriting the earlier ones
        post(sims.zoom().url() + "/_sim/meetings", """
                {"uuid": "rejoin-meeting==", "topic": "Office hours", "start_time": "2026-10-16T14:00:00Z", "end_time": "2026-10-16T15:00:00Z",
                 "participants": [{"external": true, "user_name": "Guest A", "join_time": "2026-10-16T14:01:00Z"},
                                  {"external": true, "user_name": "Guest B", "join_time": "2026-10-16T14:02:00Z"},
                                  {"id": "u-ada", "user_name": "Ada", "join_time": "2026-10-16T14:00:00Z", "leave_time": "2026-10-16T14:10:00Z"},
                                  {"id": "u-ada", "user_name": "Ada", "join_time": "2026-10-16T14:12:00Z"}]}""");
        post(sims.zoom().url() + "/_sim/meetings", """
                {"uuid": "webinar-1==", "webinar": true, "topic": "Open house", "start_time": "2026-10-16T18:00:00Z",
                 "participants": [{"external": true, "user_name": "Visitor"}]}""");
        Map<String, Object> h = new HashMap<>();
        h.put("date", "2026-10-16");
        for (int run = 1; run <= 2; run++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> summary = producer.requestBodyAndHeaders("direct:analytics-zoom-harvest", null, h, Map.class);
            assertEquals(2L, ((Number) summary.get("meetings")).longValue(), "the meeting and the webinar: " + summary);
            refresh();
            assertEquals(4, sessions("rejoin-meeting=="), "run " + run + ": one document per join, none overwritten or copied");
            assertEquals(1, sessions("webinar-1=="), "run " + run);
        }
        JsonNode webinar = doc("meetings-2026.10.16", "webinar-1==");
        assertEquals("webinar", webinar.path("kind").asText());
        assertEquals("Open house", webinar.path("topic").asText());
        assertTrue(sims.zoom().requests().stream().anyMatch(r -> r.contains("/v2/metrics/webinars/webinar-1%3D%3D/participants")),
                sims.zoom().requests().toString());
    }

    static long sessions(String meeting) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(engine.url() + "/sessions-*/_count"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\": {\"term\": {\"meeting\": \"" + meeting + "\"}}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).path("count").asLong();
    }

    @Test
    void attendanceExportCountsTheIntervalsEachViewerWatched() throws Exception {
        ArrayNode actions = JSON.createArrayNode();
        // MP_VOD lasts 1200 s: four 300 s intervals; huid-a watches two of them, huid-b one
        actions.add(action(8001, MP_VOD, "2026-10-22T10:00:00Z", "huid-a", "10.9.9.1", true, "HEARTBEAT", 10));
        actions.add(action(8002, MP_VOD, "2026-10-22T10:01:00Z", "huid-a", "10.9.9.1", true, "HEARTBEAT", 320));
        actions.add(action(8003, MP_VOD, "2026-10-22T10:02:00Z", "huid-b", "10.9.9.2", true, "HEARTBEAT", 650));
        actions.add(action(8004, MP_VOD, "2026-10-22T10:03:00Z", "anonymous", "10.9.9.3", true, "HEARTBEAT", 10));
        post(sims.opencast().url() + "/_sim/actions", actions.toString());
        harvest("20261022100000", "20261022100500", null);
        Map<String, Object> h = new HashMap<>();
        h.put("mpids", MP_VOD);
        producer.requestBodyAndHeaders("direct:analytics-episodes-harvest", null, h);
        refresh();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, Camelcast.execute(new PrintWriter(out), new PrintWriter(err), "export", "attendance", "--term", "01", "--year", "2027",
                "--config", config.toString()), err.toString());
        List<String> lines = out.toString().lines().toList();
        assertEquals("mpid,huid,vod_attendance", lines.get(0));
        assertTrue(lines.contains(MP_VOD + ",huid-a,50"), lines.toString());
        assertTrue(lines.contains(MP_VOD + ",huid-b,25"), lines.toString());
        assertFalse(out.toString().contains("anonymous"));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    static Map<String, Object> harvest(String start, String end, Integer batch) {
        Map<String, Object> h = new HashMap<>();
        h.put("start", start);
        h.put("end", end);
        h.put("batchSize", batch);
        return producer.requestBodyAndHeaders("direct:analytics-useractions-harvest", null, h, Map.class);
    }

    static void refresh() throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(engine.url() + "/_refresh")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode doc(String index, String id) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(engine.url() + "/" + index + "/_doc/"
                + java.net.URLEncoder.encode(id, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), index + "/" + id + ": " + r.body());
        return JSON.readTree(r.body()).path("_source");
    }

    static long count(String index) throws Exception {
        return get(engine.url() + "/" + index + "/_count").path("count").asLong();
    }

    static JsonNode get(String url) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    static void post(String url, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() / 100 == 2, url + ": " + r.body());
    }

}
