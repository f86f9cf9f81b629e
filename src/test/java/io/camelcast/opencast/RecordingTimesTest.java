package io.camelcast.opencast;

import io.camelcast.store.RecordingEvent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The seed's tests/test_utils_recording_events.py (get_recording_segments). */
class RecordingTimesTest {

    static SortedMap<Integer, StartStop> segments(Object... kv) {
        SortedMap<Integer, StartStop> m = new TreeMap<>();
        for (int i = 0; i < kv.length; i += 3) {
            m.put((Integer) kv[i], new StartStop((String) kv[i + 1], (String) kv[i + 2]));
        }
        return m;
    }

    static List<RecordingEvent> events(Object... kv) {
        List<RecordingEvent> l = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            l.add(new RecordingEvent("recording." + kv[i], ((Number) kv[i + 1]).longValue()));
        }
        return l;
    }

    static final SortedMap<Integer, StartStop> TWO = segments(
            0, "2023-09-13T15:44:21Z", "2023-09-13T15:46:09Z",
            1, "2023-09-13T15:46:23Z", "2023-09-13T15:47:24Z");

    static final String ALL_PAUSES = "2023-09-13T15:44:21Z_2023-09-13T15:45:08Z,"
            + "2023-09-13T15:45:17Z_2023-09-13T15:45:37Z,"
            + "2023-09-13T15:45:52Z_2023-09-13T15:46:09Z,"
            + "2023-09-13T15:46:23Z_2023-09-13T15:46:37Z,"
            + "2023-09-13T15:46:47Z_2023-09-13T15:47:24Z";

    @Test
    void withoutWebhookEventsTheSegmentsStartAndStopTimesAreUsedSorted() {
        assertEquals("2023-09-13T15:29:32Z_2023-09-13T16:07:00Z,2023-09-13T16:29:32Z_2023-09-13T18:07:26Z",
                RecordingTimes.merge(segments(
                        0, "2023-09-13T16:29:32Z", "2023-09-13T18:07:26Z",
                        1, "2023-09-13T15:29:32Z", "2023-09-13T16:07:00Z"), List.of()));
    }

    @Test
    void pausesAndResumesSplitTheSegments() {
        assertEquals(ALL_PAUSES, RecordingTimes.merge(TWO, events(
                "started", 1694619861, "paused", 1694619908, "resumed", 1694619917, "paused", 1694619937,
                "resumed", 1694619952, "stopped", 1694619969, "started", 1694619983, "paused", 1694619997,
                "resumed", 1694620007, "stopped", 1694620044)));
    }

    @Test
    void eventsArrivingOutOfOrderAndTwiceGiveTheSameAnswer() {
        List<RecordingEvent> e = events("paused", 1694619908, "started", 1694619861, "paused", 1694619937,
                "resumed", 1694619917, "resumed", 1694619952, "started", 1694619983, "started", 1694619983,
                "stopped", 1694620044, "stopped", 1694620044, "stopped", 1694619969, "resumed", 1694620007,
                "paused", 1694619997);
        assertEquals(ALL_PAUSES, RecordingTimes.merge(TWO, e));
        Collections.reverse(e);
        assertEquals(ALL_PAUSES, RecordingTimes.merge(TWO, e));
    }

    @Test
    void missingEventsGiveTheBestAnswerAvailable() {
        assertEquals("2023-09-13T15:44:21Z_2023-09-13T15:45:08Z,"
                        + "2023-09-13T15:45:52Z_2023-09-13T15:46:09Z,"
                        + "2023-09-13T15:46:23Z_2023-09-13T15:47:24Z",
                RecordingTimes.merge(TWO, events("paused", 1694619908, "paused", 1694619937, "resumed", 1694619952,
                        "resumed", 1694620007)));
    }

    @Test
    void eventsBeforeADiscardedFirstSegmentAreIgnored() {
        assertEquals("2023-09-18T14:00:42Z_2023-09-18T14:02:06Z,2023-09-18T14:02:23Z_2023-09-18T14:03:16Z",
                RecordingTimes.merge(segments(1, "2023-09-18T14:00:42Z", "2023-09-18T14:03:16Z"), events(
                        "started", 1695045606, "stopped", 1695045636, "started", 1695045664, "paused", 1695045726,
                        "resumed", 1695045743, "stopped", 1695045797)));
    }
}
