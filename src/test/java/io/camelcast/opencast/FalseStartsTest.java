package io.camelcast.opencast;




import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The seed's test_s3_filename_filter_false_start (views, chat and recording times), with no pause events. */
class FalseStartsTest {

    static Segment seg(String file, double seconds, String start, String end, int n) {
        return new Segment(file, n, start, end, seconds, 0);
    }

    static Map<String, List<Segment>> views(Object... kv) {
        Map<String, List<Segment>> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<Segment> s = (List<Segment>) kv[i + 1];
            m.put((String) kv[i], new ArrayList<>(s));
        }
        return m;
    }

    static void check(Map<String, List<Segment>> data, int speaker, int screen, int chat, String times) {
        FalseStarts.Selection s = FalseStarts.select(data, 2);
        assertEquals(speaker, s.filenamesByView().get("speaker_view").size());
        assertEquals(screen, s.filenamesByView().get("screen_share").size());
        if (chat > 0) {
            assertEquals(chat, s.filenamesByView().get("chat_file").size());
        } else {
            assertFalse(s.filenamesByView().containsKey("chat_file"));
        }
        assertEquals(times, RecordingTimes.merge(s.recordingTimes(), List.of()));
    }

    @Test
    void singleFile() {
        check(views(
                "speaker_view", List.of(seg("a/b/000-speaker_view.mp4", 500, "2021-08-02T15:44:54Z", "2021-08-02T15:53:14Z", 0)),
                "screen_share", List.of(seg("a/b/000-shared_screen.mp4", 500, "2021-08-02T15:44:54Z", "2021-08-02T15:53:14Z", 0)),
                "chat_file", List.of(seg("a/b/000-chat_file.mp4", 0, "2021-08-02T15:44:54Z", "2021-08-02T15:53:14Z", 0))),
                1, 1, 1, "2021-08-02T15:44:54Z_2021-08-02T15:53:14Z");
    }

    @Test
    void aShortFirstSegmentIsDroppedWithItsChatAndTimes() {
        check(views(
                "speaker_view", List.of(
                        seg("a/b/000-speaker_view.mp4", 5, "2021-08-02T15:44:54Z", "2021-08-02T15:44:59Z", 0),
                        seg("a/b/001-speaker_view.mp4", 500, "2021-08-02T15:54:00Z", "2021-08-02T16:02:20Z", 1)),
                "screen_share", List.of(
                        seg("a/b/000-shared_screen.mp4", 5, "2021-08-02T15:44:54Z", "2021-08-02T15:44:59Z", 0),
                        seg("a/b/001-shared_screen.mp4", 500, "2021-08-02T15:54:00Z", "2021-08-02T16:02:20Z", 1)),
                "chat_file", List.of(
                        seg("a/b/000-chat_file.mp4", 0, "2021-08-02T15:44:54Z", "2021-08-02T15:44:59Z", 0),
                        seg("a/b/001-chat_file.mp4", 0, "2021-08-02T15:54:00Z", "2021-08-02T16:02:20Z", 1))),
                1, 1, 1, "2021-08-02T15:54:00Z_2021-08-02T16:02:20Z");
    }

    @Test
    void aShortLastSegmentIsKept() {
        check(views(
                "speaker_view", List.of(
                        seg("a/b/000-speaker_view.mp4", 500, "2021-08-02T15:44:54Z", "2021-08-02T15:53:14Z", 0),
                        seg("a/b/001-speaker_view.mp4", 5, "2021-08-02T15:54:00Z", "2021-08-02T15:54:05Z", 1)),
                "screen_share", List.of(
                        seg("a/b/000-shared_screen.mp4", 500, "2021-08-02T15:44:54Z", "2021-08-02T15:53:14Z", 0),
                        seg("a/b/001-shared_screen.mp4", 5, "2021-08-02T15:54:00Z", "2021-08-02T15:54:05Z", 1))),
                2, 2, 0, "2021-08-02T15:44:54Z_2021-08-02T15:53:14Z,2021-08-02T15:54:00Z_2021-08-02T15:54:05Z");
    }

    @Test
    void onlySegmentZeroCountsAsAFalseStartEvenWhenViewsHaveDifferentSegments() {
        check(views(
                "speaker_view", List.of(
                        seg("a/b/000-speaker_view.mp4", 5, "2021-08-02T15:40:00Z", "2021-08-02T15:40:05Z", 0),
                        seg("a/b/001-speaker_view.mp4", 10, "2021-08-02T15:54:00Z", "2021-08-02T15:54:10Z", 1),
                        seg("a/b/002-speaker_view.mp4", 500, "2021-08-02T16:00:00Z", "2021-08-02T16:08:20Z", 2)),
                "screen_share", List.of(
                        seg("a/b/001-shared_screen.mp4", 10, "2021-08-02T15:54:00Z", "2021-08-02T15:54:10Z", 1),
                        seg("a/b/002-shared_screen.mp4", 500, "2021-08-02T16:00:00Z", "2021-08-02T16:08:20Z", 2)),
                "chat_file", List.of(
                        seg("a/b/000-chat_file.mp4", 0, "2021-08-02T15:40:00Z", "2021-08-02T15:48:20Z", 0),
                        seg("a/b/001-chat_file.mp4", 0, "2021-08-02T15:54:00Z", "2021-08-02T15:54:10Z", 1),
                        seg("a/b/002-chat_file.mp4", 0, "2021-08-02T16:00:00Z", "2021-08-02T16:08:20Z", 2))),
                2, 2, 2, "2021-08-02T15:54:00Z_2021-08-02T15:54:10Z,2021-08-02T16:00:00Z_2021-08-02T16:08:20Z");
    }
}
