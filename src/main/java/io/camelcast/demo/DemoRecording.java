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
 * call ({@code GET <zoom>/_sim/deletions}). The recording carries Zoom's closed captions (a {@code CC} file,
 * WebVTT): the demo says which captions track Opencast's ingest got. Does nothing outside the demo.
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
        ObjectNode event = withClosedCaptions(simulators.zoom().recordingCompletedEvent(uuid, MEETING_ID, "CSCI E-101 Lecture",
                start.toInstant().toString(), 60, fileSize));
        HttpResponse<String> r = simulators.zoom().sendWebhook(webhook, secret, event.toString());
        LOG.info("demo: Zoom simulator sent a signed recording.completed uuid={} to {}: HTTP {} — follow it with "
                        + "GET /recordings?uuid={} or `camelcast status auto-ingest-{}`; Opencast's ingests: {}/_sim/ingests; once"
                        + " Opencast's workflow succeeded (OPENCAST_SUCCEEDED) the recording goes to Zoom's trash: {}/_sim/deletions",
                uuid, webhook, r.statusCode(), uuid, uuid, simulators.opencast().url(), simulators.zoom().url());
        reportCaptions(uuid);
    }

    /** Adds Zoom's closed captions (a CC file, a short WebVTT) to the demo's recording, registered and in the event. */
    private ObjectNode withClosedCaptions(ObjectNode event) throws java.io.IOException {
        ObjectNode recording = (ObjectNode) event.path("payload").path("object").deepCopy();
        recording.put("download_token", event.path("download_token").asText());
        String ccId = recording.path("uuid").asText() + "-cc";
        java.nio.file.Path vtt = java.nio.file.Files.createTempFile("demo-captions", ".vtt");
        java.nio.file.Files.writeString(vtt, "WEBVTT\n\n1\n00:00:01.000 --> 00:00:05.000\nWelcome to CSCI E-101.\n\n"
                + "2\n00:00:06.000 --> 00:00:10.000\nToday: integration with Apache Camel.\n");
        simulators.zoom().storeFile(ccId, vtt);
        java.nio.file.Files.deleteIfExists(vtt);
        recording.withArray("recording_files").addObject().put("id", ccId).put("file_type", "CC")
                .put("recording_type", "closed_caption").put("language", "en");
        return simulators.zoom().recordingCompletedEvent(simulators.zoom().registerRecording(recording));
    }

    /** Waits (a minute at most) for the ingest and names its captions track. */
    @SuppressWarnings("unchecked")
    private void reportCaptions(String uuid) throws InterruptedException {
        String source = "ZIP-" + uuid;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (java.util.Map<String, Object> ingest : simulators.opencast().ingests()) {
                List<List<String>> fields = (List<List<String>>) ingest.get("fields");
                if (!fields.contains(List.of("source", source))) {
                    continue;
                }
                for (java.util.Map<String, Object> m : (List<java.util.Map<String, Object>>) ingest.get("media")) {
                    if (String.valueOf(m.get("flavor")).startsWith("captions/")) {
                        LOG.info("demo: Opencast's ingest {} has the captions track flavor={} ({} bytes of Zoom's CC file, WebVTT)",
                                ingest.get("mediapackageId"), m.get("flavor"), m.get("bytes"));
                        return;
                    }
                }
                LOG.warn("demo: Opencast's ingest {} has no captions track", ingest.get("mediapackageId"));
                return;
            }
            Thread.sleep(250);
        }
        LOG.warn("demo: no ingest of the demo recording within a minute; its captions track is not confirmed");
    }

}
