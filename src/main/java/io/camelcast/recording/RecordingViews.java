package io.camelcast.recording;

import java.util.Locale;

/**
 * The seed's standardized recording type: Zoom does not always spell views the same
 * ({@code shared_screen_with_speaker_view(CC)}), so the name is reduced to one of six views, or one of the two
 * captions kinds ({@code audio_transcript}, {@code closed_caption}).
 */
public final class RecordingViews {

    private RecordingViews() {
    }

    public static String standardize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.contains("screen")) {
            if (n.contains("speaker")) {
                return "shared_screen_with_speaker_view";
            }
            if (n.contains("gallery")) {
                return "shared_screen_with_gallery_view";
            }
            return "shared_screen";
        }
        if (n.contains("speaker")) {
            return "active_speaker";
        }
        if (n.contains("gallery")) {
            return "gallery_view";
        }
        if (n.contains("chat")) {
            return "chat_file";
        }
        // captions (Zoom's CC and TRANSCRIPT files): views of their own, ingested as captions tracks
        if (n.contains("transcript")) {
            return "audio_transcript";
        }
        if (n.contains("caption")) {
            return "closed_caption";
        }
        return "unrecognized_type_" + name;
    }
}
