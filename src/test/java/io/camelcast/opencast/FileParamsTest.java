package io.camelcast.opencast;


import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The seed's test_publish_file_param_generator (all 30 cases, generated from the seed's table),
 * test_publish_file_param_generator_multi_set and test_archive_file_param_generator.
 */
class FileParamsTest {

    static final Function<String, String> SIGNED = f -> "signed-" + f;

    @Test
    @SuppressWarnings("unchecked")
    void publishChoosesFlavorsAsTheSeedsTable() {
        Object[][] cases = {
                {1, List.of("active_speaker", "gallery_view"), List.of(List.of("active_speaker", "multipart"), List.of("gallery_view", "presentation"))},
                {2, List.of("active_speaker", "shared_screen"), List.of(List.of("active_speaker", "multipart"), List.of("shared_screen", "presentation"))},
                {3, List.of("active_speaker", "shared_screen_with_speaker_view"), List.of(List.of("active_speaker", "multipart"), List.of("shared_screen_with_speaker_view", "presentation"))},
                {4, List.of("active_speaker", "shared_screen_with_gallery_view"), List.of(List.of("active_speaker", "multipart"), List.of("shared_screen_with_gallery_view", "presentation"))},
                {5, List.of("gallery_view", "shared_screen"), List.of(List.of("shared_screen", "multipart"), List.of("gallery_view", "presentation"))},
                {6, List.of("gallery_view", "shared_screen_with_speaker_view"), List.of(List.of("shared_screen_with_speaker_view", "multipart"), List.of("gallery_view", "presentation"))},
                {7, List.of("gallery_view", "shared_screen_with_gallery_view"), List.of(List.of("shared_screen_with_gallery_view", "multipart"), List.of("gallery_view", "presentation"))},
                {8, List.of("shared_screen", "shared_screen_with_speaker_view"), List.of(List.of("shared_screen_with_speaker_view", "multipart"), List.of("shared_screen", "presentation"))},
                {9, List.of("shared_screen", "shared_screen_with_gallery_view"), List.of(List.of("shared_screen", "multipart"), List.of("shared_screen_with_gallery_view", "presentation"))},
                {10, List.of("shared_screen_with_speaker_view", "shared_screen_with_gallery_view"), List.of(List.of("shared_screen_with_speaker_view", "multipart"), List.of("shared_screen_with_gallery_view", "presentation"))},
                {11, List.of("active_speaker", "gallery_view", "shared_screen"), List.of(List.of("active_speaker", "multipart"), List.of("shared_screen", "presentation"), List.of("gallery_view", "other"))},
                {12, List.of("active_speaker", "gallery_view", "shared_screen_with_speaker_view"), List.of(List.of("active_speaker", "multipart"), List.of("gallery_view", "presentation"), List.of("shared_screen_with_speaker_view", "other"))},
                {13, List.of("active_speaker", "gallery_view", "shared_screen_with_gallery_view"), List.of(List.of("active_speaker", "multipart"), List.of("gallery_view", "presentation"), List.of("shared_screen_with_gallery_view", "other"))},
                {14, List.of("active_speaker", "shared_screen", "shared_screen_with_speaker_view"), List.of(List.of("active_speaker", "multipart"), List.of("shared_screen", "presentation"), List.of("shared_screen_with_speaker_view", "other"))},
                {15, List.of("active_speaker", "shared_screen", "shared_screen_with_gallery_view"), List.of(List.of("active_speaker", "multipart"), List.of("shared_screen", "presentation"), List.of("shared_screen_with_gallery_view", "other"))},
                {16, List.of("active_speaker", "shared_screen_with_speaker_view", "shared_screen_with_gallery_view"), List.of(List.of("active_speaker", "multipart"), List.of("shared_screen_with_gallery_view", "presentation"), List.of("shared_screen_with_speaker_view", "other"))},
                {17, List.of("gallery_view", "shared_screen", "shared_screen_with_speaker_view"), List.of(List.of("shared_screen_with_speaker_view", "multipart"), List.of("shared_screen", "presentation"), List.of("gallery_view", "other"))},
                {18, List.of("gallery_view", "shared_screen", "shared_screen_with_gallery_view"), List.of(List.of("shared_screen", "multipart"), List.of("shared_screen_with_gallery_view", "presentation"), List.of("gallery_view", "other"))},
                {19, List.of("gallery_view", "shared_screen_with_speaker_view", "shared_screen_with_gallery_view"), List.of(List.of("shared_screen_with_speaker_view", "multipart"), List.of("shared_screen_with_gallery_view", "presentation"), List.of("gallery_view", "other"))},
                {20, List.of("shared_screen", "shared_screen_with_speaker_view", "shared_screen_with_gallery_view"), List.of(List.of("shared_screen_with_speaker_view", "multipart"), List.of("shared_screen", "presentation"), List.of("shared_screen_with_gallery_view", "other"))},
                {21, List.of("active_speaker", "gallery_view", "shared_screen", "shared_screen_with_speaker_view"), List.of(List.of("active_speaker", "multipart"), List.of("shared_screen", "presentation"), List.of("gallery_view", "other"))},
                {22, List.of("active_speaker", "gallery_view", "shared_screen", "shared_screen_with_gallery_view"), List.of(List.of("active_speaker", "multipart"), List.of("shared_screen", "presentation"), List.of("gallery_view", "other"))},
                {23, List.of("active_speaker", "gallery_view", "shared_screen_with_speaker_view", "shared_screen_with_gallery_view"), List.of(List.of("active_speaker", "multipart"), List.of("gallery_view", "presentation"), List.of("shared_screen_with_gallery_view", "other"))},
                {24, List.of("active_speaker", "shared_screen", "shared_screen_with_speaker_view", "shared_screen_with_gallery_view"), List.of(List.of("active_speaker", "multipart"), List.of("shared_screen", "presentation"), List.of("shared_screen_with_gallery_view", "other"))},
                {25, List.of("gallery_view", "shared_screen", "shared_screen_with_speaker_view", "shared_screen_with_gallery_view"), List.of(List.of("shared_screen_with_speaker_view", "multipart"), List.of("shared_screen", "presentation"), List.of("shared_screen_with_gallery_view", "other"))},
                {26, List.of("active_speaker", "gallery_view", "shared_screen", "shared_screen_with_speaker_view", "shared_screen_with_gallery_view"), List.of(List.of("active_speaker", "multipart"), List.of("shared_screen", "presentation"), List.of("gallery_view", "other"))},
                {27, List.of(), null},
                {28, List.of("active_speaker", "shared_screen", "chat_file"), List.of(List.of("active_speaker", "multipart"), List.of("shared_screen", "presentation"), List.of("chat_file", "chat"))},
                {29, List.of("active_speaker", "gallery_view", "shared_screen", "shared_screen_with_speaker_view", "shared_screen_with_gallery_view", "chat_file"), List.of(List.of("active_speaker", "multipart"), List.of("shared_screen", "presentation"), List.of("gallery_view", "other"), List.of("chat_file", "chat"))},
                {30, List.of("shared_screen", "shared_screen_with_speaker_view", "shared_screen_with_gallery_view", "chat_file"), List.of(List.of("shared_screen_with_speaker_view", "multipart"), List.of("shared_screen", "presentation"), List.of("shared_screen_with_gallery_view", "other"), List.of("chat_file", "chat"))},
        };
        assertEquals(30, cases.length);
        for (Object[] c : cases) {
            List<String> incoming = (List<String>) c[1];
            Map<String, List<String>> files = new LinkedHashMap<>();
            for (String view : incoming) {
                files.put(view, List.of(view + ("chat_file".equals(view) ? ".TXT" : ".MP4")));
            }
            if (c[2] == null) {
                assertThrows(IllegalStateException.class, () -> FileParams.publish(files, SIGNED), "case " + c[0]);
                continue;
            }
            List<Map.Entry<String, String>> expected = new ArrayList<>();
            for (List<String> pair : (List<List<String>>) c[2]) {
                boolean chat = pair.get(1).equals("chat");
                expected.add(Map.entry("flavor", pair.get(1) + "/chunked+source"));
                expected.add(Map.entry(chat ? "attachmentUri" : "mediaUri", "signed-" + pair.get(0) + (chat ? ".TXT" : ".MP4")));
            }
            assertEquals(expected, FileParams.publish(files, SIGNED), "case " + c[0]);
        }
    }

    static Map<String, List<String>> views(Object... kv) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> files = (List<String>) kv[i + 1];
            m.put((String) kv[i], files);
        }
        return m;
    }

    static List<Map.Entry<String, String>> pairs(String... kv) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.add(Map.entry(kv[i], kv[i + 1]));
        }
        return out;
    }

    @Test
    void publishKeepsEverySegmentOfEachChosenView() {
        // ZIP-98: two speaker segments, one screen segment: the screen view is still ingested
        assertEquals(pairs("flavor", "multipart/chunked+source", "mediaUri", "signed-speaker-000.mp4",
                        "flavor", "multipart/chunked+source", "mediaUri", "signed-speaker-001.mp4",
                        "flavor", "presentation/chunked+source", "mediaUri", "signed-screen-001.mp4",
                        "flavor", "chat/chunked+source", "attachmentUri", "signed-chat-000.txt",
                        "flavor", "chat/chunked+source", "attachmentUri", "signed-chat-001.txt"),
                FileParams.publish(views("active_speaker", List.of("speaker-000.mp4", "speaker-001.mp4"),
                        "shared_screen", List.of("screen-001.mp4"),
                        "chat_file", List.of("chat-000.txt", "chat-001.txt")), SIGNED));
        assertEquals(pairs("flavor", "multipart/chunked+source", "mediaUri", "signed-speaker-000.mp4",
                        "flavor", "multipart/chunked+source", "mediaUri", "signed-speaker-001.mp4",
                        "flavor", "presentation/chunked+source", "mediaUri", "signed-screen-000.mp4",
                        "flavor", "presentation/chunked+source", "mediaUri", "signed-screen-001.mp4",
                        "flavor", "chat/chunked+source", "attachmentUri", "signed-chat-000.txt"),
                FileParams.publish(views("active_speaker", List.of("speaker-000.mp4", "speaker-001.mp4"),
                        "shared_screen", List.of("screen-000.mp4", "screen-001.mp4"),
                        "chat_file", List.of("chat-000.txt")), SIGNED));
        assertEquals(pairs("flavor", "multipart/chunked+source", "mediaUri", "signed-speaker-000.mp4",
                        "flavor", "multipart/chunked+source", "mediaUri", "signed-speaker-001.mp4",
                        "flavor", "multipart/chunked+source", "mediaUri", "signed-speaker-002.mp4",
                        "flavor", "presentation/chunked+source", "mediaUri", "signed-screen-000.mp4",
                        "flavor", "presentation/chunked+source", "mediaUri", "signed-screen-001.mp4",
                        "flavor", "presentation/chunked+source", "mediaUri", "signed-screen-002.mp4",
                        "flavor", "chat/chunked+source", "attachmentUri", "signed-chat-000.txt",
                        "flavor", "chat/chunked+source", "attachmentUri", "signed-chat-001.txt",
                        "flavor", "chat/chunked+source", "attachmentUri", "signed-chat-002.txt"),
                FileParams.publish(views("active_speaker", List.of("speaker-000.mp4", "speaker-001.mp4", "speaker-002.mp4"),
                        "shared_screen_with_speaker_view", List.of("screen-000.mp4", "screen-001.mp4", "screen-002.mp4"),
                        "chat_file", List.of("chat-000.txt", "chat-001.txt", "chat-002.txt")), SIGNED));
    }

    @Test
    void publishSkipsAViewLeftEmptyByAFalseStart() {
        // OPC-1071: the speaker view's only file was a false start; the screen share becomes presenter
        assertEquals(pairs("flavor", "multipart/chunked+source", "mediaUri", "signed-screen.mp4"),
                FileParams.publish(views("active_speaker", List.of(), "shared_screen", List.of("screen.mp4")), SIGNED));
    }

    @Test
    void archiveIngestsEveryViewUnderItsOwnFlavor() {
        assertEquals(pairs("flavor", "speaker/chunked+source", "mediaUri", "signed-speaker-000.mp4",
                        "flavor", "speaker/chunked+source", "mediaUri", "signed-speaker-001.mp4",
                        "flavor", "speaker/chunked+source", "mediaUri", "signed-speaker-002.mp4",
                        "flavor", "shared-screen/chunked+source", "mediaUri", "signed-screen-001.mp4"),
                FileParams.archive(views("active_speaker", List.of("speaker-000.mp4", "speaker-001.mp4", "speaker-002.mp4"),
                        "shared_screen", List.of("screen-001.mp4")), SIGNED));
        assertEquals(pairs("flavor", "speaker/chunked+source", "mediaUri", "signed-speaker-000.mp4",
                        "flavor", "speaker/chunked+source", "mediaUri", "signed-speaker-001.mp4",
                        "flavor", "shared-screen/chunked+source", "mediaUri", "signed-screen-000.mp4",
                        "flavor", "gallery/chunked+source", "mediaUri", "signed-gallery-000.mp4",
                        "flavor", "shared-screen-gallery/chunked+source", "mediaUri", "signed-shared-screen-gallery-000.mp4",
                        "flavor", "shared-screen-speaker/chunked+source", "mediaUri", "signed-shared-screen-speaker-000.mp4"),
                FileParams.archive(views("active_speaker", List.of("speaker-000.mp4", "speaker-001.mp4"),
                        "shared_screen", List.of("screen-000.mp4"), "gallery_view", List.of("gallery-000.mp4"),
                        "shared_screen_with_gallery_view", List.of("shared-screen-gallery-000.mp4"),
                        "shared_screen_with_speaker_view", List.of("shared-screen-speaker-000.mp4")), SIGNED));
    }
}
