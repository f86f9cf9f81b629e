package io.camelcast.opencast;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The seed's view → flavor choice for the ingest form, as ordered {@code (flavor, mediaUri)} pairs.
 *
 * <p>{@link #publish}: Opencast's workflow needs one "presenter" ({@code multipart/chunked+source}), a
 * "presentation" when there are two or more streams, at most one "other", and the chat as an
 * attachment. The presenter is active speaker, else shared screen with speaker; then the secondary
 * views in the seed's priority order. {@link #archive} (ingest_all_mp4): every view under its own flavor.
 */
public final class FileParams {

    static final String PRESENTER = "multipart/chunked+source";
    static final String PRESENTATION = "presentation/chunked+source";
    static final String OTHER = "other/chunked+source";
    static final String CHAT = "chat/chunked+source";
    private static final int MEDIA_FLAVORS = 3;

    private static final Map<String, String> ARCHIVE_FLAVORS = new LinkedHashMap<>();
    private static final Map<String, List<String>> VIEW_PRIORITIES = new LinkedHashMap<>();
    private static final List<String> FALLBACK = List.of("shared_screen", "shared_screen_with_gallery_view", "gallery_view");

    static {
        ARCHIVE_FLAVORS.put("active_speaker", "speaker/chunked+source");
        ARCHIVE_FLAVORS.put("shared_screen", "shared-screen/chunked+source");
        ARCHIVE_FLAVORS.put("gallery_view", "gallery/chunked+source");
        ARCHIVE_FLAVORS.put("shared_screen_with_gallery_view", "shared-screen-gallery/chunked+source");
        ARCHIVE_FLAVORS.put("shared_screen_with_speaker_view", "shared-screen-speaker/chunked+source");
        VIEW_PRIORITIES.put("active_speaker", List.of("shared_screen", "gallery_view", "shared_screen_with_gallery_view",
                "shared_screen_with_speaker_view"));
        VIEW_PRIORITIES.put("shared_screen_with_speaker_view", List.of("shared_screen", "shared_screen_with_gallery_view",
                "gallery_view"));
    }

    private FileParams() {
    }

    public static List<Map.Entry<String, String>> archive(Map<String, List<String>> files, Function<String, String> presign) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        ARCHIVE_FLAVORS.forEach((view, flavor) -> {
            if (files.containsKey(view)) {
                add(out, flavor, files.get(view), "mediaUri", presign);
            }
        });
        return out;
    }

    public static List<Map.Entry<String, String>> publish(Map<String, List<String>> files, Function<String, String> presign) {
        return new Publish(files, presign).generate();
    }

    private static void add(List<Map.Entry<String, String>> out, String flavor, List<String> keys, String uriParam,
                            Function<String, String> presign) {
        for (String key : keys) {
            out.add(Map.entry("flavor", flavor));
            out.add(Map.entry(uriParam, presign.apply(key)));
        }
    }

    /** PublishFileParamGenerator, state and all. */
    private static final class Publish {
        private final Map<String, List<String>> files;
        private final Function<String, String> presign;
        private final List<Map.Entry<String, String>> params = new ArrayList<>();
        private final Set<String> usedViews = new HashSet<>();
        private final Set<String> usedMediaViews = new HashSet<>();

        Publish(Map<String, List<String>> files, Function<String, String> presign) {
            this.files = files;
            this.presign = presign;
        }

        List<Map.Entry<String, String>> generate() {
            for (Map.Entry<String, List<String>> p : VIEW_PRIORITIES.entrySet()) {
                if (!hasView(p.getKey()) || hasFlavor("multipart")) {
                    continue;
                }
                addView(PRESENTER, p.getKey(), true);
                for (String view : p.getValue()) {
                    if (hasView(view)) {
                        addSecondary(view);
                    }
                }
            }
            for (String view : FALLBACK) {
                if (!hasView(view)) {
                    continue;
                }
                if (!hasFlavor("multipart")) {
                    addView(PRESENTER, view, true);
                } else {
                    addSecondary(view);
                }
            }
            if (!hasFlavor("multipart")) {
                throw new IllegalStateException("Unable to find a presenter view");
            }
            if (files.containsKey("chat_file")) {
                addView(CHAT, "chat_file", false);
            }
            return params;
        }

        private boolean hasView(String view) {
            // OPC-1071: a view whose only file was a dropped false start is not there
            return files.containsKey(view) && ("chat_file".equals(view) || !files.get(view).isEmpty());
        }

        private boolean hasFlavor(String part) {
            return params.stream().anyMatch(p -> p.getKey().equals("flavor") && p.getValue().contains(part));
        }

        private void addSecondary(String view) {
            addView(hasFlavor("presentation") ? OTHER : PRESENTATION, view, true);
        }

        private void addView(String flavor, String view, boolean video) {
            if (usedViews.contains(view)) {
                return;
            }
            if (video && usedMediaViews.size() >= MEDIA_FLAVORS) {
                return;
            }
            add(params, flavor, files.get(view), video ? "mediaUri" : "attachmentUri", presign);
            usedViews.add(view);
            if (video) {
                usedMediaViews.add(view);
            }
        }
    }
}
