package io.camelcast.recording;

import io.camelcast.opencast.MediapackageIds;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The seed's standardized recording types and first mediapackage id (test_first_ingest_mpid_from_uuid). */
class RecordingViewsTest {

    @Test
    void zoomsViewNamesAreStandardized() {
        assertEquals("shared_screen_with_speaker_view", RecordingViews.standardize("shared_screen_with_speaker_view(CC)"));
        assertEquals("shared_screen_with_gallery_view", RecordingViews.standardize("shared_screen_with_gallery_view"));
        assertEquals("shared_screen", RecordingViews.standardize("shared_screen"));
        assertEquals("active_speaker", RecordingViews.standardize("active_speaker"));
        assertEquals("active_speaker", RecordingViews.standardize("speaker_view"));
        assertEquals("gallery_view", RecordingViews.standardize("Gallery_View"));
        assertEquals("chat_file", RecordingViews.standardize("chat_file"));
        assertEquals("unrecognized_type_audio_only", RecordingViews.standardize("audio_only"));
    }

    @Test
    void theFirstMediapackageIdIsTheMd5OfTheUuidAsAUuid() {
        // python3 -c 'from uuid import UUID; from hashlib import md5; print(UUID(md5(b"mock_uuid").hexdigest()))'
        assertEquals("8d636340-8912-d700-9a98-f271c361ef97", MediapackageIds.deterministic("mock_uuid"));
        assertEquals("e133db5d-6bd7-9c4e-cfaf-107455e96ba0", MediapackageIds.deterministic("abcdefg1234=="));
    }
}
