package io.camelcast.recording;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The seed's schedule_csv_to_dynamo: columns Course Code, Type, Day, Start, Meeting ID with Password
 * (the Zoom link), OC Series (an Opencast link whose fragment is the series id); header names
 * case-insensitive. A missing column is an error; a row without a usable link, time or series is
 * skipped with its reason; bad day letters are skipped one by one. Events are sorted M T W R F S U.
 */
public final class ScheduleCsv {

    static final String DAYS = "MTWRFSU";
    private static final List<String> REQUIRED = List.of("course code", "type", "day", "start",
            "meeting id with password", "oc series");
    /** Python's strptime("%H:%M"): one or two digits each. */
    private static final Pattern TIME = Pattern.compile("(\\d{1,2}):(\\d{1,2})");

    private ScheduleCsv() {
    }

    public record ScheduleImport(Map<String, Schedule> schedules, List<String> skipped) {
    }

    public static ScheduleImport parse(Reader csv) {
        List<List<String>> rows = new ArrayList<>();
        try {
            CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
            try (MappingIterator<List<String>> it = mapper.readerForListOf(String.class).readValues(csv)) {
                while (it.hasNext()) {
                    rows.add(it.next());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schedule CSV: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a CSV file: " + e.getMessage(), e);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("the schedule CSV is empty (it needs a header row and rows)");
        }
        List<String> header = rows.get(0).stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        if (rows.size() < 2) {
            throw new IllegalArgumentException("the schedule CSV has a header but no rows");
        }
        for (String col : REQUIRED) {
            if (!header.contains(col)) {
                throw new IllegalArgumentException("Missing required field \"" + col + "\"");
            }
        }
        Map<String, Schedule> out = new LinkedHashMap<>();
        Map<String, List<ScheduleEvent>> events = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        for (int i = 1; i < rows.size(); i++) {
            List<String> row = rows.get(i);
            String course = cell(header, row, "course code");
            String where = "row " + (i + 1) + " (" + course + ")";
            String link = cell(header, row, "meeting id with password");
            if (link.isEmpty()) {
                skipped.add(where + ": missing zoom link");
                continue;
            }
            URI zoom;
            try {
                zoom = URI.create(link.strip());
            } catch (IllegalArgumentException e) {
                skipped.add(where + ": invalid zoom link");
                continue;
            }
            if (zoom.getScheme() == null || !zoom.getScheme().startsWith("https")) {
                skipped.add(where + ": invalid zoom link");
                continue;
            }
            String start = cell(header, row, "start");
            if (parseTime(start) == null) {
                skipped.add(where + ": invalid start time: " + start);
                continue;
            }
            String series = fragment(cell(header, row, "oc series")).replace("/", "");
            if (series.isEmpty()) {
                skipped.add(where + ": missing oc series");
                continue;
            }
            String path = zoom.getPath() == null ? "" : zoom.getPath();
            String zoomSeriesId = path.substring(path.lastIndexOf('/') + 1);
            List<ScheduleEvent> list = events.computeIfAbsent(zoomSeriesId, k -> new ArrayList<>());
            // as the seed: the last row of a meeting sets its series and course code
            out.put(zoomSeriesId, new Schedule(zoomSeriesId, series, course, list));
            String title = pythonTitle(cell(header, row, "type").strip());
            for (char day : cell(header, row, "day").strip().replace(",", "").replace(" ", "").toCharArray()) {
                if (DAYS.indexOf(day) < 0) {
                    skipped.add(where + ": bad day value \"" + day + "\"");
                    continue;
                }
                list.add(new ScheduleEvent(String.valueOf(day), start, title));
            }
        }
        for (List<ScheduleEvent> list : events.values()) {
            list.sort(Comparator.comparingInt(e -> DAYS.indexOf(e.day())));
        }
        Map<String, Schedule> result = new LinkedHashMap<>();
        out.forEach((k, s) -> result.put(k, new Schedule(s.zoomSeriesId(), s.opencastSeriesId(), s.courseCode(),
                List.copyOf(events.get(k)))));
        return new ScheduleImport(result, skipped);
    }

    /** Hour and minute of an H:MM / HH:MM time (Python's %H:%M), or null when it is not one. */
    static int[] parseTime(String s) {
        if (s == null) {
            return null;
        }
        Matcher m = TIME.matcher(s);
        if (!m.matches()) {
            return null;
        }
        int h = Integer.parseInt(m.group(1));
        int min = Integer.parseInt(m.group(2));
        return h <= 23 && min <= 59 ? new int[] {h, min} : null;
    }

    /** urlparse(...).fragment: whatever follows the first '#'. */
    static String fragment(String url) {
        int hash = url.indexOf('#');
        return hash < 0 ? "" : url.substring(hash + 1);
    }

    /** Python's str.title(): a letter after a non-letter is upper case, every other letter lower case. */
    static String pythonTitle(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean previousLetter = false;
        for (char c : s.toCharArray()) {
            if (Character.isLetter(c)) {
                b.append(previousLetter ? Character.toLowerCase(c) : Character.toUpperCase(c));
                previousLetter = true;
            } else {
                b.append(c);
                previousLetter = false;
            }
        }
        return b.toString();
    }

    private static String cell(List<String> header, List<String> row, String column) {
        int i = header.indexOf(column);
        return i < 0 || i >= row.size() || row.get(i) == null ? "" : row.get(i);
    }
}
