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
 * the chat file's segment 0 with it, and segment 0's times). Chat files carry no duration and never decide.
 */
public final class FalseStarts {

    private FalseStarts() {
    }

    public record Selection(Map<String, List<String>> filenamesByView, SortedMap<Integer, StartStop> recordingTimes) {
    }

    public static Selection select(Map<String, List<Segment>> filesByView, int minimumDurationMinutes) {
        Map<String, List<String>> names = new LinkedHashMap<>();
        SortedMap<Integer, StartStop> times = new TreeMap<>();
        boolean segment0Discarded = false;
        boolean chatHasSegment0 = false;
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
            if ("chat_file".equals(view.getKey())) {
                chatHasSegment0 = segments.get(0).segmentNum() == 0;
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
            if (chatHasSegment0) {
                names.get("chat_file").remove(0);
            }
        }
        return new Selection(names, times);
    }
}
