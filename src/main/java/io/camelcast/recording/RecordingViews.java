package io.camelcast.recording;

import java.util.Locale;

/**
 * The seed's standardized recording type: Zoom does not always spell views the same
 * ({@code shared_screen_with_speaker_view(CC)}), so the name is reduced to one of six views.
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
        return "unrecognized_type_" + name;
    }
}
