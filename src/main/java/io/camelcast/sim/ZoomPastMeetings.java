package io.camelcast.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.sim.SimServer.Request;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static io.camelcast.sim.ZoomConventions.ZOOM_TIME;
import static io.camelcast.sim.ZoomConventions.answerDated;
import static io.camelcast.sim.ZoomConventions.byUuidOrId;
import static io.camelcast.sim.ZoomConventions.date;
import static io.camelcast.sim.ZoomConventions.meetingId;
import static io.camelcast.sim.ZoomConventions.page;
import static io.camelcast.sim.ZoomConventions.parseTime;
import static io.camelcast.sim.ZoomConventions.putIfAbsent;

/**
 * The Zoom simulator's past meetings and their participants, as the Dashboard (metrics), past-meetings
 * and report APIs list them, each in its own shape, for Camelcast's analytics to read.
 */
final class ZoomPastMeetings {

    private final List<ObjectNode> meetings = new CopyOnWriteArrayList<>();

    /** See {@link ZoomSimulator#registerMeeting}. */
    ObjectNode register(ObjectNode meeting) {
        ObjectNode m = meeting.deepCopy();
        putIfAbsent(m, "uuid", UUID.randomUUID().toString());
        String uuid = m.get("uuid").asText();
        if (!m.hasNonNull("id")) {
            m.put("id", 90_000_000_000L + Math.floorMod(uuid.hashCode(), 1_000_000_000L));
        }
        putIfAbsent(m, "topic", "Simulated meeting");
        putIfAbsent(m, "host", "Sim Host");
        putIfAbsent(m, "email", "host@example.edu");
        putIfAbsent(m, "user_type", "Licensed");
        putIfAbsent(m, "start_time", ZOOM_TIME.format(Instant.now().minusSeconds(7200)));
        Instant start = parseTime(m.get("start_time").asText());
        putIfAbsent(m, "end_time", ZOOM_TIME.format(start.plusSeconds(3600)));
        Instant end = parseTime(m.get("end_time").asText());
        if (!m.has("duration")) {
            long s = Math.max(0, Duration.between(start, end).getSeconds());
            m.put("duration", String.format("%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60));
        }
        for (String flag : new String[] {"has_pstn", "has_3rd_party_audio", "has_sip", "has_archiving", "has_screen_share", "has_recording"}) {
            if (!m.has(flag)) {
                m.put(flag, false);
            }
        }
        for (String flag : new String[] {"has_voip", "has_video"}) {
            if (!m.has(flag)) {
                m.put(flag, true);
            }
        }
        int i = 0;
        for (JsonNode p : m.withArray("participants")) {
            ObjectNode part = (ObjectNode) p;
            // Zoom blanks id (and email) of external participants (changelog of March 2023); user_id is per join
            if (part.path("external").asBoolean(false)) {
                part.remove("external");
                part.put("id", "");
                part.put("email", "");
            }
            putIfAbsent(part, "id", uuid + "-p" + i);
            putIfAbsent(part, "user_name", part.path("name").asText("Participant " + i));
            putIfAbsent(part, "user_id", Integer.toString(16_778_240 + i));
            putIfAbsent(part, "email", part.path("user_email").asText(""));
            putIfAbsent(part, "device", "Windows");
            putIfAbsent(part, "ip_address", "10.0.0." + (i % 250 + 1));
            putIfAbsent(part, "location", "Cambridge (US)");
            putIfAbsent(part, "network_type", "Wired");
            putIfAbsent(part, "join_time", m.get("start_time").asText());
            putIfAbsent(part, "leave_time", m.get("end_time").asText());
            for (String flag : new String[] {"share_application", "share_desktop", "share_whiteboard", "recording"}) {
                if (!part.has(flag)) {
                    part.put(flag, false);
                }
            }
            i++;
        }
        m.put("participants_count", m.withArray("participants").size());
        meetings.removeIf(x -> uuid.equals(x.path("uuid").asText()));
        meetings.add(m);
        return m;
    }

    List<ObjectNode> list() {
        return List.copyOf(meetings);
    }

    void clear() {
        meetings.clear();
    }

    /** Dashboard {@code GET /metrics/meetings}: every registered meeting is past; {@code type=live} lists none. */
    void metricsMeetings(Request r) throws IOException {
        metrics(r, false);
    }

    /** Dashboard {@code GET /metrics/webinars}: the meetings registered with {@code "webinar": true}. */
    void metricsWebinars(Request r) throws IOException {
        metrics(r, true);
    }

    private void metrics(Request r, boolean webinars) throws IOException {
        LocalDate from = date(r.query("from"), LocalDate.now(ZoneOffset.UTC).minusDays(1));
        LocalDate to = date(r.query("to"), LocalDate.now(ZoneOffset.UTC));
        boolean live = "live".equals(r.query("type"));
        List<ObjectNode> all = meetings.stream().filter(m -> {
            LocalDate day = LocalDate.ofInstant(parseTime(m.get("start_time").asText()), ZoneOffset.UTC);
            return !live && !day.isBefore(from) && !day.isAfter(to) && m.path("webinar").asBoolean(false) == webinars;
        }).map(m -> {
            ObjectNode c = m.deepCopy();
            c.remove("participants_count");
            c.remove("webinar");
            c.put("participants", m.withArray("participants").size());
            return c;
        }).toList();
        answerDated(r, all, from, to, webinars ? "webinars" : "meetings");
    }

    /** {@code GET /metrics/meetings/{id}/participants}: as registered (with defaults filled in). */
    void metricsParticipants(Request r) throws IOException {
        participants(r, p -> (ObjectNode) p.deepCopy());
    }

    /** {@code GET /past_meetings/{uuid}/participants}: id, name, user_email. */
    void pastParticipants(Request r) throws IOException {
        participants(r, ZoomPastMeetings::pastParticipant);
    }

    /** {@code GET /report/meetings/{id}/participants}: join/leave times and duration in seconds. */
    void reportParticipants(Request r) throws IOException {
        participants(r, ZoomPastMeetings::reportParticipant);
    }

    private void participants(Request r, Function<JsonNode, ObjectNode> shape) throws IOException {
        String id = meetingId(r);
        ObjectNode meeting = byUuidOrId(meetings, id);
        if (meeting == null) {
            r.json(404, Map.of("code", 3001, "message", "Meeting does not exist: " + id + "."));
            return;
        }
        List<ObjectNode> all = new ArrayList<>();
        meeting.withArray("participants").forEach(p -> all.add(shape.apply(p)));
        r.json(200, page(r, all, "participants"));
    }

    private static ObjectNode pastParticipant(JsonNode p) {
        ObjectNode out = SimServer.JSON.createObjectNode();
        out.put("id", p.path("id").asText());
        out.put("name", p.path("user_name").asText());
        out.put("user_email", p.path("email").asText());
        return out;
    }

    private static ObjectNode reportParticipant(JsonNode p) {
        ObjectNode out = SimServer.JSON.createObjectNode();
        out.put("id", p.path("id").asText());
        out.put("user_id", p.path("user_id").asText());
        out.put("name", p.path("user_name").asText());
        out.put("user_email", p.path("email").asText());
        out.put("join_time", p.path("join_time").asText());
        out.put("leave_time", p.path("leave_time").asText());
        long seconds;
        try {
            seconds = Math.max(0, Duration.between(parseTime(p.path("join_time").asText()), parseTime(p.path("leave_time").asText())).getSeconds());
        } catch (RuntimeException e) {
            seconds = 0;
        }
        out.put("duration", seconds);
        out.put("attentiveness_score", "");
        out.put("failover", false);
        out.put("status", "in_meeting");
        out.put("customer_key", "");
        return out;
    }
}
