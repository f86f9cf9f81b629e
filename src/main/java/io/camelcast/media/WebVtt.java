package io.camelcast.media;

import java.util.List;

/**
 * Speech engines' timed segments as a WebVTT document: {@code WEBVTT}, then one cue per segment with text,
 * {@code HH:MM:SS.mmm --> HH:MM:SS.mmm}. Text is trimmed, kept on one line, and escaped as WebVTT cue text
 * needs ({@code &}, {@code <}, {@code >}; a {@code -->} in speech cannot end a cue then). A segment whose end is not
 * after its start (engines round) lasts 1 ms.
 */
public final class WebVtt {

    /** {@code text} spoken from {@code startMs} to {@code endMs}, in milliseconds from the start of the audio. */
    public record Segment(long startMs, long endMs, String text) {
    }

    private WebVtt() {
    }

    public static String of(List<Segment> segments) {
        StringBuilder b = new StringBuilder(Transcriber.EMPTY);
        for (Segment s : segments) {
            String text = s.text() == null ? "" : s.text().replaceAll("\\s+", " ").trim();
            if (text.isEmpty()) {
                continue;
            }
            long start = Math.max(0, s.startMs());
            long end = Math.max(start + 1, s.endMs());
            b.append(time(start)).append(" --> ").append(time(end)).append('\n')
                    .append(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")).append("\n\n");
        }
        return b.toString();
    }

    static String time(long ms) {
        return String.format("%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    }
}
