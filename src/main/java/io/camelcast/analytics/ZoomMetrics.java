package io.camelcast.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.http.Refused;
import io.camelcast.zoom.ZoomApi;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zoom meetings and participants of a day (the seed's {@code harvest.py zoom}) from the current API:
 * {@code GET /metrics/meetings?type=past} and {@code /metrics/meetings/{uuid}/participants?type=past},
 * {@code next_page_token} paging, OAuth, 429 and the request rate handled by {@link ZoomApi}. The seed's
 * meeting and session documents are kept field for field where v2 has the data (v2's
 * {@code location: "City (CC)"} gives the seed's city and country). Webinars ({@code /metrics/webinars}) go
 * to the same indices with {@code kind: "webinar"}; every document carries {@code @timestamp}.
 */
public final class ZoomMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(ZoomMetrics.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String MEETING = "meeting";
    static final String WEBINAR = "webinar";
    private static final Pattern LOCATION = Pattern.compile("^(.*?)\\s*\\(([^)]*)\\)\\s*$");

    private final ZoomApi zoom;
    private final IndexNames indexNames;
    private final GeoIp geoIp;
    private final Clock clock;
    private final ZoneId zone;

    public ZoomMetrics(ZoomApi zoom, IndexNames indexNames, GeoIp geoIp, Clock clock, ZoneId zone) {
        this.zoom = zoom;
        this.indexNames = indexNames;
        this.geoIp = geoIp;
        this.clock = clock;
        this.zone = zone;
    }

    /** One day's run: the day, and what it delivered (shared by the split's pieces). */
    public static final class Run {
        private final String day;
        private final java.util.concurrent.atomic.AtomicLong meetings = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong sessions = new java.util.concurrent.atomic.AtomicLong();

        Run(String day) {
            this.day = day;
        }

        public String getDay() {
            return day;
        }
    }

    /** The day to harvest: {@code --date}, else yesterday (the seed's default). */
    public Run begin(String date) {
        if (date == null || date.isBlank()) {
            return new Run(LocalDate.now(clock.withZone(zone)).minusDays(1).toString());
        }
        try {
            return new Run(LocalDate.parse(date.trim()).toString());
        } catch (DateTimeParseException e) {
            throw new Refused(400, "--date must be YYYY-MM-DD, got '" + date + "'");
        }
    }

    /** A meeting or a webinar as the metrics API listed it. */
    public record Listed(String kind, JsonNode item) {
    }

    /**
     * Every past meeting and webinar of the run's day, as the metrics API lists them
     * ({@code /metrics/meetings} and {@code /metrics/webinars}, as Airbyte's Zoom source reads both). An account
     * without the webinar add-on answers the webinar listing with a 4xx: logged, and the day has no webinars.
     */
    public List<Listed> meetings(Run run) throws IOException, InterruptedException {
        if (!zoom.configured()) {
            throw new Refused(400, "set camelcast.zoom.account-id, client-id and client-secret (a Server-to-Server OAuth app)");
        }
        List<Listed> out = new ArrayList<>();
        listing(run.day, "meetings", MEETING, out);
        int meetings = out.size();
        try {
            listing(run.day, "webinars", WEBINAR, out);
        } catch (ZoomApi.ZoomApiException e) {
            if (e.getStatus() < 400 || e.getStatus() >= 500 || e.getStatus() == 429) {
                throw e;
            }
            LOG.warn("zoom harvest day={} webinars not listed ({}): no webinar add-on or no permission", run.day, e.getMessage());
        }
        LOG.info("zoom harvest day={} meetings={} webinars={}", run.day, meetings, out.size() - meetings);
        return out;
    }

    private void listing(String day, String what, String kind, List<Listed> out) throws IOException, InterruptedException {
        zoom.forEachItem("metrics/" + what + "?type=past&from=" + day + "&to=" + day + "&page_size=300", what,
                m -> out.add(new Listed(kind, m)));
    }

    /**
     * The meeting (or webinar) document and one session document per join: the participants listing is read
     * whole (paged) first, so each join's id can be told from the others' ({@link SessionKeys}).
     */
    public List<AnalyticsDoc> documents(Run run, Listed listed) throws IOException, InterruptedException {
        JsonNode meeting = listed.item();
        String day = run.day;
        String uuid = meeting.path("uuid").asText();
        String what = WEBINAR.equals(listed.kind()) ? "webinars" : "meetings";
        List<AnalyticsDoc> docs = new ArrayList<>();
        Instant when = Instant.parse(day + "T00:00:00Z");
        ObjectNode m = meetingDoc(meeting);
        m.put("kind", listed.kind());
        docs.add(new AnalyticsDoc(indexNames.forTime(indexNames.meetings(), when), uuid, m));
        List<JsonNode> participants = new ArrayList<>();
        zoom.forEachItem("metrics/" + what + "/" + encodeUuid(uuid) + "/participants?type=past&page_size=300", "participants",
                participants::add);
        List<String> keys = SessionKeys.keys(uuid, participants);
        for (int i = 0; i < participants.size(); i++) {
            ObjectNode s = sessionDoc(participants.get(i), uuid);
            s.put("kind", listed.kind());
            docs.add(new AnalyticsDoc(indexNames.forTime(indexNames.sessions(), when), keys.get(i), s));
        }
        LOG.info("zoom harvest {} uuid={} topic=\"{}\" sessions={}", listed.kind(), uuid, meeting.path("topic").asText(), participants.size());
        run.meetings.incrementAndGet();
        run.sessions.addAndGet(participants.size());
        return docs;
    }

    /** Zoom wants uuids that start with '/' or contain '//' encoded twice. */
    static String encodeUuid(String uuid) {
        String once = URLEncoder.encode(uuid, StandardCharsets.UTF_8);
        return uuid.startsWith("/") || uuid.contains("//") ? URLEncoder.encode(once, StandardCharsets.UTF_8) : once;
    }

    static ObjectNode meetingDoc(JsonNode m) {
        ObjectNode doc = NODES.objectNode();
        doc.put("uuid", m.path("uuid").asText());
        doc.set("meeting_series_id", m.path("id"));
        doc.put("topic", m.path("topic").asText(""));
        ObjectNode host = doc.putObject("host");
        host.put("host_id", m.path("host_id").asText(""));
        host.put("name", m.path("host").asText(null));
        host.put("email", m.path("email").asText(null));
        host.put("user_type", m.path("user_type").asText(null));
        doc.put("start_time", m.path("start_time").asText(null));
        // Kibana's default time field: the meeting's own time, its start
        doc.put("@timestamp", m.path("start_time").asText(null));
        doc.put("end_time", m.path("end_time").asText(null));
        Integer seconds = toSeconds(m.path("duration").asText(""));
        if (seconds == null) {
            doc.putNull("duration");
        } else {
            doc.put("duration", seconds);
        }
        doc.put("participant_sessions", m.path("participants").isInt() ? m.path("participants").asInt()
                : m.path("participants_count").asInt(m.path("participants").size()));
        for (String flag : List.of("has_pstn", "has_voip", "has_3rd_party_audio", "has_video", "has_screen_share")) {
            doc.put(flag, m.path(flag).asBoolean(false));
        }
        doc.put("recording", m.path("has_recording").asBoolean(m.path("recording").asBoolean(false)));
        return doc;
    }

    ObjectNode sessionDoc(JsonNode p, String meetingUuid) {
        ObjectNode doc = NODES.objectNode();
        doc.put("meeting", meetingUuid);
        doc.put("id", p.path("id").asText());
        doc.put("user_id", p.path("user_id").asText(null));
        doc.put("user_name", p.path("user_name").asText(null));
        doc.put("device", p.path("device").asText(null));
        doc.put("ip_address", p.path("ip_address").asText(null));
        Matcher loc = LOCATION.matcher(p.path("location").asText(""));
        doc.put("country", loc.matches() ? loc.group(2) : p.path("cn").asText(null));
        doc.put("city", loc.matches() ? loc.group(1) : p.path("city").asText(p.path("location").asText(null)));
        doc.put("network_type", p.path("network_type").asText(null));
        doc.put("join_time", p.path("join_time").asText(null));
        // Kibana's default time field: the session's own time, its join
        doc.put("@timestamp", p.path("join_time").asText(null));
        doc.put("leave_time", p.path("leave_time").asText(null));
        try {
            doc.put("duration", Duration.between(Instant.parse(p.path("join_time").asText()),
                    Instant.parse(p.path("leave_time").asText())).toSeconds());
        } catch (RuntimeException e) {
            doc.putNull("duration");
        }
        for (String flag : List.of("share_application", "share_desktop", "share_whiteboard", "recording")) {
            doc.put(flag, p.path(flag).asBoolean(false));
        }
        ObjectNode geo = geoIp == null ? null : geoIp.lookup(p.path("ip_address").asText(null));
        if (geo != null) {
            doc.set("geoip", geo);
        }
        return doc;
    }

    /** The seed's to_seconds: HH:MM:SS or MM:SS; null when neither. */
    static Integer toSeconds(String duration) {
        String[] parts = duration.trim().split(":");
        try {
            if (parts.length == 3) {
                return Integer.parseInt(parts[0]) * 3600 + Integer.parseInt(parts[1]) * 60 + Integer.parseInt(parts[2]);
            }
            if (parts.length == 2) {
                return Integer.parseInt(parts[0]) * 60 + Integer.parseInt(parts[1]);
            }
            if (parts.length == 1 && !parts[0].isEmpty()) {
                return Integer.parseInt(parts[0]) * 60; // v2 sometimes answers plain minutes
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }

    /** The run's summary for the CLI and the log. */
    public Map<String, Object> summary(Run run) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("date", run.day);
        s.put("meetings", run.meetings.get());
        s.put("sessions", run.sessions.get());
        LOG.info("zoom harvest done day={} meetings={} sessions={}", run.day, run.meetings.get(), run.sessions.get());
        return s;
    }
}
