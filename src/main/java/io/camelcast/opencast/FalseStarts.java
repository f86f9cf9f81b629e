package io.camelcast.opencast;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The seed's Upload.s3_filenames: per view, the files to ingest, dropping a false start. When the first
 * file of a video view belongs to segment 0 and is shorter than the minimum duration, it is dropped (and
 * the chat file's segment 0 with it, and segment 0's times). Chat files carry no duration and never decide; nor
 * do captions files (Zoom's CC and TRANSCRIPT views), whose segment 0 goes with the false start as the chat's.
 */
public final class FalseStarts {

    private FalseStarts() {
    }

    public record Selection(Map<String, List<String>> filenamesByView, SortedMap<Integer, StartStop> recordingTimes) {
    }

    /** Views of text files: no duration, never a false start themselves. */
    static final java.util.Set<String> TEXT_VIEWS = java.util.Set.of("chat_file", CaptionTracks.CLOSED_CAPTION,
            CaptionTracks.AUDIO_TRANSCRIPT);

    public static Selection select(Map<String, List<Segment>> filesByView, int minimumDurationMinutes) {
        Map<String, List<String>> names = new LinkedHashMap<>();
        SortedMap<Integer, StartStop> times = new TreeMap<>();
        boolean segment0Discarded = false;
        java.util.Set<String> textWithSegment0 = new java.util.HashSet<>();
        for (Map.Entry<String, List<Segment>> view : filesByView.entrySet()) {
            List<Segment> segments = view.getValue();
            List<String> files = new ArrayList<>();
            segments.forEach(s -> files.add(s.filename()));
            names.put(view.getKey(), files);
            for (Segment s : segments) {
                times.putIfAbsent(s.segmentNum(), new StartStop(s.recordingStart(), s.recordingEnd()));
            }
            if (segments.isEmpty()) {
                continue;
            }
            if (TEXT_VIEWS.contains(view.getKey())) {
                if (segments.get(0).segmentNum() == 0) {
                    textWithSegment0.add(view.getKey());
                }
                continue;
            }
            boolean tooShort = segments.get(0).ffprobeSeconds() < minimumDurationMinutes * 60.0;
            if (tooShort && segments.get(0).segmentNum() == 0) {
                files.remove(0);
                segment0Discarded = true;
            }
        }
        if (segment0Discarded) {
            times.remove(0);
            textWithSegment0.forEach(v -> names.get(v).remove(0));
        }
        return new Selection(names, times);
    }
}
