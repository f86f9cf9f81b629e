package io.camelcast.opencast;

import io.camelcast.store.RecordingEvent;
import io.camelcast.store.RecordingStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;

/**
 * The seed's get_recording_segments (ZIP-74, ZIP-91): the ingested segments' start/stop times merged with
 * the pause/resume times Zoom reported by webhook, as {@code START_END,START_END,...} for Opencast's
 * {@code zoomRecordingTimes}. Events before the first kept segment are ignored; a start opens a span, the
 * next pause or stop closes it.
 */
public final class RecordingTimes {

    static final Set<String> START_EVENTS = Set.of("recording.started", "recording.resumed");
    static final Set<String> END_EVENTS = Set.of("recording.paused", "recording.stopped");

    private RecordingTimes() {
    }

    public static String merge(SortedMap<Integer, StartStop> segments, List<RecordingEvent> recorded) {
        List<RecordingEvent> all = new ArrayList<>();
        for (StartStop s : segments.values()) {
            all.add(new RecordingEvent("recording.started", epoch(s.start())));
            all.add(new RecordingEvent("recording.stopped", epoch(s.stop())));
        }
        long firstStart = all.stream().filter(e -> e.event().equals("recording.started"))
                .mapToLong(RecordingEvent::timestamp).min().orElse(Long.MIN_VALUE);
        if (recorded != null) {
            all.addAll(recorded);
        }
        // stable, as Python's sorted: equal times keep the segments' order before the webhooks'
        all.sort(Comparator.comparingLong(RecordingEvent::timestamp));
        List<String> spans = new ArrayList<>();
        Long start = null;
        for (RecordingEvent e : all) {
            if (e.timestamp() < firstStart) {
                continue;
            }
            if (START_EVENTS.contains(e.event()) && start == null) {
                start = e.timestamp();
            } else if (END_EVENTS.contains(e.event()) && start != null) {
                spans.add(RecordingStatus.TIMESTAMP.format(Instant.ofEpochSecond(start)) + "_" + RecordingStatus.TIMESTAMP.format(Instant.ofEpochSecond(e.timestamp())));
                start = null;
            }
        }
        return String.join(",", spans);
    }

    static long epoch(String utc) {
        return Instant.parse(utc).getEpochSecond();
    }
}
