package io.camelcast.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.recording.Schedule;
import io.camelcast.recording.ScheduleEvent;
import io.camelcast.recording.ScheduleMatcher;
import io.camelcast.recording.ScheduleStore;
import io.camelcast.sim.Simulators;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code run --demo}: the recording flow end to end on the simulators. A class schedule maps a Zoom
 * meeting to the Opencast simulator's series for a lecture that started an hour ago today; the Zoom
 * simulator then posts a signed {@code recording.completed} for it to our webhook. The log shows each
 * step (queued, series, staged, ingested, published: OPENCAST_SUCCEEDED, trashed in Zoom) and the Opencast
 * simulator ends with one mediapackage ({@code GET <opencast>/_sim/ingests}), the Zoom simulator with one trash
 * call ({@code GET <zoom>/_sim/deletions}). Does nothing outside the demo.
 */
public final class DemoRecording {

    private static final Logger LOG = LoggerFactory.getLogger(DemoRecording.class);
    static final long MEETING_ID = 86_012_345_678L;
    static final String SERIES = "20270112345";

    private final Simulators simulators;
    private final ScheduleStore schedules;
    private final ZoneId zone;
    private final URI webhook;
    private final String secret;
    private final long fileSize;

    public DemoRecording(Simulators simulators, ScheduleStore schedules, ZoneId zone, URI webhook, String secret, long fileSize) {
        this.simulators = simulators;
        this.schedules = schedules;
        this.zone = zone;
        this.webhook = webhook;
        this.secret = secret;
        this.fileSize = fileSize;
    }

    public void send() throws Exception {
        if (simulators == null) {
            return;
        }
        ZonedDateTime start = ZonedDateTime.now(zone).minusMinutes(65).truncatedTo(ChronoUnit.SECONDS);
        String day = ScheduleMatcher.dayCode(start.getDayOfWeek());
        String time = start.format(DateTimeFormatter.ofPattern("HH:mm"));
        schedules.put(new Schedule(Long.toString(MEETING_ID), SERIES, "CSCI E-101",
                List.of(new ScheduleEvent(day, time, "Lecture"))));
        LOG.info("demo: schedule maps Zoom meeting {} ({} {} Lecture) to Opencast series {}", MEETING_ID, day, time, SERIES);
        String uuid = UUID.randomUUID().toString().replace("-", "").substring(0, 22) + "==";
        ObjectNode event = simulators.zoom().recordingCompletedEvent(uuid, MEETING_ID, "CSCI E-101 Lecture",
                start.toInstant().toString(), 60, fileSize);
        HttpResponse<String> r = simulators.zoom().sendWebhook(webhook, secret, event.toString());
        LOG.info("demo: Zoom simulator sent a signed recording.completed uuid={} to {}: HTTP {} — follow it with "
                        + "GET /recordings?uuid={} or `camelcast status auto-ingest-{}`; Opencast's ingests: {}/_sim/ingests; once"
                        + " Opencast's workflow succeeded (OPENCAST_SUCCEEDED) the recording goes to Zoom's trash: {}/_sim/deletions",
                uuid, webhook, r.statusCode(), uuid, uuid, simulators.opencast().url(), simulators.zoom().url());
    }

}
