package io.camelcast.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.sim.Simulators;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code run --demo}: gives the Zoom simulator yesterday's meeting (six joins: a guest and a re-join among them) and
 * a webinar, so the demo's
 * harvests (user actions from the Opencast simulator's fixtures, then Zoom metrics) have something to
 * write. Does nothing outside the demo.
 */
public final class DemoAnalytics {

    private static final Logger LOG = LoggerFactory.getLogger(DemoAnalytics.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Simulators simulators;
    private final String sink;
    private final String dir;

    public DemoAnalytics(Simulators simulators, String sink, String dir) {
        this.simulators = simulators;
        this.sink = sink;
        this.dir = dir;
    }

    public void prepare() {
        if (simulators == null) {
            return;
        }
        String day = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        ObjectNode meeting = JSON.createObjectNode();
        meeting.put("uuid", "demo-meeting-" + day + "==");
        meeting.put("topic", "CSCI E-101 Section");
        meeting.put("start_time", day + "T14:00:00Z");
        meeting.put("end_time", day + "T15:15:00Z");
        var parts = meeting.putArray("participants");
        parts.addObject().put("user_name", "Ada").put("ip_address", "8.8.8.8").put("location", "Mountain View (US)");
        parts.addObject().put("user_name", "Grace").put("location", "Boston (US)");
        parts.addObject().put("user_name", "Edsger").put("location", "Amsterdam (NL)");
        // a guest who did not sign in (Zoom blanks its id) and a user who dropped out and came back: one session each
        parts.addObject().put("user_name", "Guest").put("external", true).put("join_time", day + "T14:05:00Z");
        parts.addObject().put("id", "demo-user-barbara").put("user_name", "Barbara").put("join_time", day + "T14:00:00Z")
                .put("leave_time", day + "T14:20:00Z");
        parts.addObject().put("id", "demo-user-barbara").put("user_name", "Barbara").put("join_time", day + "T14:22:00Z");
        simulators.zoom().registerMeeting(meeting);
        ObjectNode webinar = JSON.createObjectNode();
        webinar.put("uuid", "demo-webinar-" + day + "==");
        webinar.put("topic", "Extension School Open House");
        webinar.put("webinar", true);
        webinar.put("start_time", day + "T18:00:00Z");
        webinar.put("end_time", day + "T19:00:00Z");
        webinar.putArray("participants").addObject().put("user_name", "Prospective student").put("external", true);
        simulators.zoom().registerMeeting(webinar);
        LOG.info("demo: analytics harvests start: Opencast user actions of November 2026 (simulator fixtures) and Zoom meetings of {}"
                + " -> {} sink{}", day, sink, "file".equals(sink) ? " (" + dir + "/*.ndjson, _bulk format)" : "");
    }
}
