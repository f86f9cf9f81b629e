package io.camelcast.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The seed's create_action_rec: one document per Opencast user action, field for field, plus what the
 * seed's Logstash added ({@code ua}, {@code geoip}) and the fixes the issue lists: {@code huid} is null
 * (not "None") when there is no user; an action whose episode is missing is kept with {@code episode: {}}
 * and {@code episode_missing: true}; {@code crn} is written beside the seed's {@code cdn}.
 */
public final class UserActionDocs {

    static final DateTimeFormatter ARROW_UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter START = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final EpisodeCache episodes;
    private final UserAgents userAgents;
    private final GeoIp geoIp;
    private final IpPrivacy privacy;
    private final IndexNames indexNames;
    private final Map<String, ObjectNode> uaCache = new ConcurrentHashMap<>();

    public UserActionDocs(EpisodeCache episodes, UserAgents userAgents, GeoIp geoIp, IpPrivacy privacy, IndexNames indexNames) {
        this.episodes = episodes;
        this.userAgents = userAgents;
        this.geoIp = geoIp;
        this.privacy = privacy;
        this.indexNames = indexNames;
    }

    /** The documents of one page of actions (one Redis round trip for all their episodes). */
    public List<AnalyticsDoc> build(List<JsonNode> actions) {
        List<String> mpids = new ArrayList<>();
        actions.forEach(a -> mpids.add(a.path("mediapackageId").asText()));
        Map<String, JsonNode> eps = episodes.episodes(mpids);
        List<AnalyticsDoc> out = new ArrayList<>(actions.size());
        for (JsonNode a : actions) {
            ObjectNode doc = document(a, eps.get(a.path("mediapackageId").asText()));
            out.add(new AnalyticsDoc(indexNames.forTime(indexNames.useractions(), created(a)), doc.path("action_id").asText(), doc));
        }
        return out;
    }

    ObjectNode document(JsonNode a, JsonNode episode) {
        // older Opencast nests the session ({sessionId, userId, userAgent, userIp}); newer flattens it
        JsonNode session = a.path("sessionId").isObject() ? a.path("sessionId") : a;
        String sessionId = a.path("sessionId").isObject() ? session.path("sessionId").asText(null) : a.path("sessionId").asText(null);
        int playing = playing(a.path("isPlaying"));
        ObjectNode rec = NODES.objectNode();
        rec.put("action_id", a.path("id").asText());
        rec.put("timestamp", ARROW_UTC.format(created(a)));
        // Kibana's default time field: the action's own time
        rec.put("@timestamp", ARROW_UTC.format(created(a)));
        rec.put("mpid", a.path("mediapackageId").asText(null));
        rec.put("session_id", sessionId);
        JsonNode user = session.path("userId");
        rec.put("huid", user.isMissingNode() || user.isNull() || user.asText().isEmpty() ? null : user.asText());
        String agent = session.path("userAgent").asText(null);
        rec.put("useragent", agent);
        ObjectNode action = rec.putObject("action");
        action.set("type", a.path("type").isMissingNode() ? NODES.nullNode() : a.get("type"));
        action.set("inpoint", number(a.path("inpoint")));
        action.set("outpoint", number(a.path("outpoint")));
        action.set("length", number(a.path("length")));
        action.put("is_playing", playing > 0);

        List<String> ips = new ArrayList<>();
        for (String ip : session.path("userIp").asText("").split(",")) {
            if (!ip.isBlank()) {
                ips.add(ip.strip());
            }
        }
        String first = ips.isEmpty() ? null : ips.remove(0);
        ObjectNode geo = geoIp == null ? null : geoIp.lookup(first);
        String ip = privacy.apply(first);
        rec.put("ip", ip);
        for (int i = 0; i < ips.size(); i++) {
            rec.put("proxy" + (i + 1), privacy.apply(ips.get(i)));
        }
        if (geo != null) {
            geo.put("ip", ip);
            rec.set("geoip", geo);
        }
        ObjectNode ua = agent == null ? null : uaCache.computeIfAbsent(agent, k -> {
            ObjectNode parsed = userAgents == null ? null : userAgents.parse(k);
            return parsed == null ? NODES.objectNode() : parsed;
        });
        if (ua != null && ua.size() > 0) {
            rec.set("ua", ua);
        }
        if (uaCache.size() > 10_000) {
            uaCache.clear();
        }
        // the seed wrote 0/1 into a boolean field, which Elasticsearch 5+ refuses: true/false here
        rec.put("is_live", playing == 2);
        ObjectNode ep = rec.putObject("episode");
        if (episode == null) {
            rec.put("episode_missing", true);
        } else {
            fillEpisode(ep, episode);
        }
        return rec;
    }

    /** The seed's episode fields (title, duration, start or dcCreated, course, series, year, term, cdn, type, description). */
    static void fillEpisode(ObjectNode ep, JsonNode episode) {
        JsonNode mp = episode.path("mediapackage");
        ep.put("title", mp.path("title").asText(null));
        ep.put("duration", mp.path("duration").asLong());
        if (mp.hasNonNull("start") && !mp.path("start").asText().isBlank()) {
            ep.put("start", mp.path("start").asText());
        } else if (episode.hasNonNull("dcCreated") && !episode.path("dcCreated").asText().isBlank()) {
            ep.put("start", START.format(Instant.parse(normalize(episode.path("dcCreated").asText()))));
        }
        if (mp.hasNonNull("series")) {
            String series = mp.path("series").asText();
            ep.put("course", mp.path("seriestitle").asText(null));
            ep.put("series", series);
            ep.put("year", slice(series, 0, 4));
            ep.put("term", slice(series, 4, 6));
            ep.put("cdn", slice(series, 6, 11));
            ep.put("crn", slice(series, 6, 11));
        }
        if (episode.has("dcType")) {
            ep.put("type", episode.path("dcType").asText());
        }
        if (episode.has("dcDescription")) {
            ep.put("description", episode.path("dcDescription").asText());
        }
    }

    static Instant created(JsonNode a) {
        return Instant.parse(normalize(a.path("created").asText()));
    }

    /** Opencast writes {@code 2026-11-02T18:00:05Z} or with an offset {@code +0000}; Instant wants Z or +00:00. */
    static String normalize(String ts) {
        String t = ts.trim();
        if (t.matches(".*[+-]\\d{4}$")) {
            t = t.substring(0, t.length() - 2) + ":" + t.substring(t.length() - 2);
        }
        return t.endsWith("Z") ? t : java.time.OffsetDateTime.parse(t).toInstant().toString();
    }

    /** Python's slicing: never out of range. */
    static String slice(String s, int from, int to) {
        int a = Math.min(from, s.length());
        int b = Math.min(to, s.length());
        return s.substring(a, b);
    }

    /** isPlaying: true/false in newer Opencast, 0/1/2 in the seed's (2 = live). */
    static int playing(JsonNode v) {
        if (v.isBoolean()) {
            return v.asBoolean() ? 1 : 0;
        }
        return v.asInt(0);
    }

    private static JsonNode number(JsonNode v) {
        return v.isMissingNode() ? NODES.nullNode() : v;
    }
}
