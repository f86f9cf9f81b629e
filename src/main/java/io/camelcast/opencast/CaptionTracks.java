package io.camelcast.opencast;

import io.camelcast.messages.StagedRecording;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Zoom's captions (CC, the closed captions of the meeting, and TRANSCRIPT, the audio transcript; both WebVTT) as
 * Opencast captions tracks. Opencast keeps subtitles as tracks of main flavor {@code captions}; the ingest's
 * {@code addMediaPackage} takes no tags, so the language rides in the sub-flavor as Opencast's players read it
 * ({@code captions/vtt+<lang>}, the form of the speech-to-text operation's {@code vtt+#{lang}}). A track added later
 * to an event (the External API) gets the same flavor plus the tags Opencast's subtitle conventions name
 * ({@code lang:<lang>}, {@code generator-type:auto}, {@code generator:zoom}, {@code type:...}).
 */
public final class CaptionTracks {

    /** Zoom's closed captions view (file type CC). */
    public static final String CLOSED_CAPTION = "closed_caption";
    /** Zoom's audio transcript view (file type TRANSCRIPT). */
    public static final String AUDIO_TRANSCRIPT = "audio_transcript";
    private static final List<String> VIEWS = List.of(CLOSED_CAPTION, AUDIO_TRANSCRIPT);
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?");

    private CaptionTracks() {
    }

    /** {@code captions/vtt+<lang>}; a language that is not a BCP 47 code falls back to {@code fallback}. */
    public static String flavor(String language, String fallback) {
        return "captions/vtt+" + language(language, fallback);
    }

    public static String language(String language, String fallback) {
        if (language != null && LANGUAGE.matcher(language).matches()) {
            return language;
        }
        return fallback != null && LANGUAGE.matcher(fallback).matches() ? fallback : "en";
    }

    /** The tags of a captions track added through the External API. */
    public static String tags(String view, String language, String fallback) {
        return "lang:" + language(language, fallback) + ",generator-type:auto,generator:zoom,type:"
                + (CLOSED_CAPTION.equals(view) ? "closed-caption" : "subtitle");
    }

    /**
     * The {@code (flavor, mediaUri)} pairs of the captions files the selection kept (after a false start), closed
     * captions first; each file's language from the staged message.
     */
    public static List<Map.Entry<String, String>> params(Map<String, List<String>> selected, StagedRecording message,
                                                         Function<String, String> presign, String fallbackLanguage) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (String view : VIEWS) {
            for (String key : selected.getOrDefault(view, List.of())) {
                out.add(Map.entry("flavor", flavor(languageOf(message, view, key), fallbackLanguage)));
                out.add(Map.entry("mediaUri", presign.apply(key)));
            }
        }
        return out;
    }

    private static String languageOf(StagedRecording message, String view, String key) {
        StagedRecording.View v = message.s3Files() == null ? null : message.s3Files().get(view);
        if (v == null || v.segments() == null) {
            return null;
        }
        return v.segments().stream().filter(s -> key.equals(s.filename())).map(StagedRecording.Segment::language)
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }
}
