package io.camelcast.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.http.Refused;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The analytics beans' decisions, without Camel, Opencast or a search engine. */
class AnalyticsBeansTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void theEpisodeStartFallsBackToDcCreatedAndShortSeriesIdsDoNotBreak() throws Exception {
        ObjectNode ep = JSON.createObjectNode();
        UserActionDocs.fillEpisode(ep, json("{\"dcCreated\": \"2026-10-06T10:00:00-0400\", \"dcType\": \"L\", "
                + "\"mediapackage\": {\"title\": \"T\", \"duration\": \"123\", \"series\": \"2027\", \"seriestitle\": \"C\"}}"));
        assertEquals("2026-10-06T14:00:00Z", ep.path("start").asText(), "dcCreated in UTC, formatted as start is");
        assertEquals(123, ep.path("duration").asLong());
        assertEquals("2027", ep.path("year").asText());
        assertEquals("", ep.path("term").asText(), "python slicing: never an error");
        assertEquals("L", ep.path("type").asText());
        ObjectNode none = JSON.createObjectNode();
        UserActionDocs.fillEpisode(none, json("{\"mediapackage\": {\"title\": \"T\"}}"));
        assertFalse(none.has("start"), "neither start nor dcCreated: no start, no crash");
    }

    @Test
    void isPlayingIsABooleanOrTheSeedsNumberAndTwoMeansLive() throws Exception {
        assertEquals(1, UserActionDocs.playing(json("true")));
        assertEquals(0, UserActionDocs.playing(json("false")));
        assertEquals(2, UserActionDocs.playing(json("2")));
        UserActionDocs docs = new UserActionDocs(null, null, null, new IpPrivacy("keep", null), new IndexNames("u-{yyyy.MM.dd}", "e", "m", "s"));
        ObjectNode live = docs.document(json("{\"id\": 1, \"mediapackageId\": \"m\", \"sessionId\": \"s\", \"userIp\": \" 1.2.3.4 ,5.6.7.8\", "
                + "\"isPlaying\": 2, \"created\": \"2026-10-06T14:05:00Z\", \"type\": \"HEARTBEAT\"}"), null);
        assertTrue(live.path("is_live").asBoolean());
        assertEquals("1.2.3.4", live.path("ip").asText());
        assertEquals("5.6.7.8", live.path("proxy1").asText());
        assertTrue(live.path("huid").isNull());
        assertTrue(live.path("episode_missing").asBoolean());
        assertEquals("u-2026.10.06", new IndexNames("u-{yyyy.MM.dd}", "e", "m", "s").forTime("u-{yyyy.MM.dd}",
                Instant.parse("2026-10-06T23:59:59Z")));
        assertEquals("useractions-camelcast-*", IndexNames.wildcard("useractions-camelcast-{yyyy.MM.dd}"));
    }

    @Test
    void ipPrivacyTruncatesOrHashesButKeepsByDefault() {
        assertEquals("203.0.113.77", new IpPrivacy("keep", null).apply("203.0.113.77"));
        assertEquals("203.0.113.0", new IpPrivacy("truncate", null).apply("203.0.113.77"));
        assertEquals("2001:db8:85a3:0:0:0:0:0", new IpPrivacy("truncate", null).apply("2001:db8:85a3::8a2e:370:7334"));
        IpPrivacy hash = new IpPrivacy("hash", "salt-1");
        assertEquals(hash.apply("203.0.113.77"), hash.apply("203.0.113.77"), "countable");
        assertNotEquals(hash.apply("203.0.113.77"), new IpPrivacy("hash", "salt-2").apply("203.0.113.77"), "salted");
        assertFalse(hash.apply("203.0.113.77").contains("203"));
        assertThrows(IllegalArgumentException.class, () -> new IpPrivacy("hash", ""));
        assertThrows(IllegalArgumentException.class, () -> new IpPrivacy("scramble", null));
    }

    @Test
    void theWindowComesFromOptionsThenTheCheckpointThenTheIntervalAndTheSpanGuardSeesWholeDays() {
        Map<String, String> store = new HashMap<>();
        Checkpoints cp = new Checkpoints() {
            @Override
            public String get() {
                return store.get("c");
            }

            @Override
            public void advance(String value) {
                if (get() == null || value.compareTo(get()) > 0) {
                    store.put("c", value);
                }
            }
        };
        Clock clock = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);
        UserActionHarvest h = new UserActionHarvest(cp, clock, ZoneOffset.UTC, 3600, 2, 1000, 0);
        Harvest first = h.begin(null, null, null, null, null, false, false);
        assertEquals("20261124115800", first.getStart(), "no checkpoint: now - interval");
        assertEquals("20261124120000", first.getEnd());
        store.put("c", "20261124113000");
        assertEquals("20261124113000", h.begin(null, null, null, null, null, false, false).getStart(), "from the checkpoint");
        // the seed compared timedelta.seconds: a window of 2 days and 10 minutes passed a 1 hour guard
        Refused r = assertThrows(Refused.class, () -> h.begin("20261122115000", "20261124120000", null, null, null, false, false));
        assertTrue(r.getMessage().contains("max-span"), r.getMessage());
        assertEquals("20261122115000", h.begin("20261122115000", "20261124120000", null, null, null, true, false).getStart());
        assertThrows(Refused.class, () -> h.begin("20261124120000", "20261124110000", null, null, null, false, false));
        assertThrows(Refused.class, () -> h.begin("2026-11-24", null, null, null, null, false, false));
    }

    @Test
    void aPageIsAListOneObjectOrNothing() throws Exception {
        UserActionHarvest h = new UserActionHarvest(null, Clock.systemUTC(), ZoneOffset.UTC, 0, 2, 2, 0);
        Harvest run = new Harvest("20260101000000", "20260102000000", 2, 0, false);
        assertEquals(2, h.page(run, "{\"actions\": {\"total\": 3, \"action\": [{\"id\": 1, \"created\": \"2026-01-01T00:00:01Z\"},"
                + " {\"id\": 2, \"created\": \"2026-01-01T00:00:02Z\"}]}}").size());
        assertEquals(1, h.page(run, "{\"actions\": {\"total\": 3, \"action\": {\"id\": 3, \"created\": \"2026-01-01T00:00:03Z\"}}}").size());
        assertEquals(0, h.page(run, "{\"actions\": {\"total\": 3, \"offset\": 4}}").size());
        assertFalse(run.isMore());
        assertEquals(3, run.getActions());
    }

    @Test
    void zoomDurationsUuidsAndLocationsAsTheSeedAndTheCurrentApi() throws Exception {
        assertEquals(3725, ZoomMetrics.toSeconds("01:02:05"));
        assertEquals(125, ZoomMetrics.toSeconds("02:05"));
        assertNull(ZoomMetrics.toSeconds("soon"));
        assertEquals("abc%3D%3D", ZoomMetrics.encodeUuid("abc=="));
        assertEquals("%252Fabc%253D%253D", ZoomMetrics.encodeUuid("/abc=="));
        assertEquals("a%252F%252Fb", ZoomMetrics.encodeUuid("a//b"));
        ZoomMetrics z = new ZoomMetrics(null, null, null, Clock.systemUTC(), ZoneOffset.UTC);
        ObjectNode s = z.sessionDoc(json("{\"id\": \"p\", \"location\": \"New York (US)\", \"join_time\": \"2026-10-15T14:00:00Z\", "
                + "\"leave_time\": \"2026-10-15T14:00:30Z\"}"), "u");
        assertEquals("New York", s.path("city").asText());
        assertEquals("US", s.path("country").asText());
        assertEquals(30, s.path("duration").asLong());
        assertThrows(Refused.class, () -> z.begin("15/10/2026"));
    }

    @Test
    void sessionKeysNameEachJoinAndKeepTheSeedsKeyWhereItIsUnique() throws Exception {
        List<JsonNode> ps = List.of(
                json("{\"id\": \"\", \"user_id\": \"16778240\", \"join_time\": \"2026-10-16T14:01:00Z\"}"),
                json("{\"id\": \"\", \"user_id\": \"16778241\", \"join_time\": \"2026-10-16T14:02:00Z\"}"),
                json("{\"id\": \"u\", \"user_id\": \"16778242\", \"join_time\": \"2026-10-16T14:00:00Z\"}"),
                json("{\"id\": \"u\", \"user_id\": \"16778242\", \"join_time\": \"2026-10-16T14:12:00Z\"}"),
                json("{\"id\": \"\", \"user_name\": \"Guest\", \"join_time\": \"2026-10-16T14:30:00Z\"}"),
                json("{\"id\": \"\", \"user_name\": \"Guest\", \"join_time\": \"2026-10-16T14:30:00Z\"}"));
        List<String> keys = SessionKeys.keys("m==", ps);
        assertEquals("m==16778240", keys.get(0), "the seed's meeting + user_id where user_id is unique");
        assertEquals("m==16778241", keys.get(1));
        assertEquals("m==|16778242|2026-10-16T14:00:00Z", keys.get(2), "a user_id used twice: told apart by the join");
        assertEquals("m==|16778242|2026-10-16T14:12:00Z", keys.get(3));
        assertEquals("m==|Guest/|2026-10-16T14:30:00Z", keys.get(4));
        assertEquals("m==|Guest/|2026-10-16T14:30:00Z#2", keys.get(5), "identical rows: by their place");
        assertEquals(6, new HashSet<>(keys).size());
        assertEquals(keys, SessionKeys.keys("m==", ps), "deterministic");
    }

    @Test
    void theRetentionPolicyDeletesDailyIndicesAfterTheConfiguredDays() {
        ObjectNode ilm = RetentionPolicy.ilm(30);
        assertEquals("30d", ilm.path("policy").path("phases").path("delete").path("min_age").asText());
        assertTrue(ilm.path("policy").path("phases").path("delete").path("actions").has("delete"));
        ObjectNode ism = RetentionPolicy.ism(30, List.of("useractions-camelcast-*", "sessions-*"));
        JsonNode states = ism.path("policy").path("states");
        assertEquals("30d", states.get(0).path("transitions").get(0).path("conditions").path("min_index_age").asText());
        assertEquals("delete", states.get(0).path("transitions").get(0).path("state_name").asText());
        assertTrue(states.get(1).path("actions").get(0).has("delete"));
        assertEquals("sessions-*", ism.path("policy").path("ism_template").get(0).path("index_patterns").get(1).asText());
        EsSetup setup = new EsSetup(null, new IndexNames("useractions-camelcast-{yyyy.MM.dd}", "episodes", "meetings-{yyyy.MM.dd}",
                "sessions-{yyyy.MM.dd}"));
        assertEquals(List.of("useractions-camelcast-*", "meetings-*", "sessions-*"), setup.datedPatterns(),
                "the episodes index is one index for all time: never deleted");
    }

    @Test
    void theNewestWorkflowGivesTheLiveFields() throws Exception {
        ObjectNode doc = JSON.createObjectNode();
        EpisodeDocs.workflow(doc, """
                {"workflows": {"workflow": {"id": 3, "operations": {"operation": {"id": "retract-element", "completed": 1700000000000}}}}}""");
        assertFalse(doc.path("live_stream").asBoolean(), "a workflow without capture is not live");
        assertEquals("2023-11-14T22:13:20+00:00", doc.path("available").asText());
    }

    @Test
    void theShippedTemplatesAndKibanaObjectsAreWhatEsSetupInstalls() throws Exception {
        for (String name : EsSetup.TEMPLATES) {
            ObjectNode t = EsSetup.template(name);
            assertFalse(t.has("_comment"));
            assertTrue(t.path("template").path("mappings").path("properties").size() > 5, name);
        }
        assertEquals("geo_point", EsSetup.template("useractions").path("template").path("mappings").path("properties")
                .path("geoip").path("properties").path("location").path("type").asText());
        Set<String> ids = new HashSet<>();
        Map<String, JsonNode> byId = new HashMap<>();
        List<String> lines;
        try (InputStream in = EsSetup.class.getResourceAsStream(EsSetup.KIBANA_OBJECTS)) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        for (String line : lines) {
            JsonNode o = JSON.readTree(line);
            ids.add(o.path("type").asText() + ":" + o.path("id").asText());
            byId.put(o.path("id").asText(), o);
        }
        assertTrue(ids.contains("dashboard:camelcast-overview"));
        assertTrue(ids.contains("map:camelcast-viewers-map"));
        assertTrue(ids.contains("index-pattern:camelcast-useractions"));
        for (JsonNode o : byId.values()) {
            for (JsonNode ref : o.path("references")) {
                assertTrue(ids.contains(ref.path("type").asText() + ":" + ref.path("id").asText()),
                        o.path("id").asText() + " refers to a shipped object: " + ref);
            }
            if (o.path("type").asText().equals("visualization")) {
                JSON.readTree(o.path("attributes").path("visState").asText());
            }
        }
        assertTrue(EsSetup.kibanaObjects().size() >= 10);
    }
}
