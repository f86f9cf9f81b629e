package io.camelcast.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Settings that list Zoom hosts ({@code camelcast.zoom.opt-in}, {@code opt-out}, {@code owner-map}): either the
 * value itself (comma-separated) or the path of a CSV file, one host per row, the email in the first column and a
 * header row optional (a first row without an {@code @} in its first column is taken for one). Emails are
 * compared case-insensitively, so they are kept lower-cased.
 */
public final class HostLists {

    private HostLists() {
    }

    /** The rows of a CSV file (cells trimmed, quotes removed), the header row and blank rows left out. */
    public static List<String[]> csvRows(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read host list " + file, e);
        }
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = i == 0 && lines.get(i).startsWith("\uFEFF") ? lines.get(i).substring(1) : lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split("[,;]", -1);
            for (int c = 0; c < cells.length; c++) {
                cells[c] = cells[c].trim().replaceAll("^\"|\"$", "").trim();
            }
            if (rows.isEmpty() && i == firstNonBlank(lines) && !cells[0].contains("@")) {
                continue; // the header
            }
            rows.add(cells);
        }
        return rows;
    }

    /** The emails a setting names: a comma list, or a CSV file's first column. Lower-cased; empty when unset. */
    public static List<String> emails(String value) {
        List<String> out = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return out;
        }
        if (isFile(value)) {
            for (String[] row : csvRows(Path.of(value.trim()))) {
                if (!row[0].isEmpty()) {
                    out.add(normalize(row[0]));
                }
            }
            return out;
        }
        for (String e : value.split(",")) {
            if (!e.isBlank()) {
                out.add(normalize(e));
            }
        }
        return out;
    }

    /** A value that names an existing file, or one ending in .csv (a missing list file is an error, not a host). */
    public static boolean isFile(String value) {
        String v = value.trim();
        if (v.toLowerCase(Locale.ROOT).endsWith(".csv")) {
            if (!Files.isRegularFile(Path.of(v))) {
                throw new Settings.ConfigException("host list file not found: " + v);
            }
            return true;
        }
        return !v.contains("@") && Files.isRegularFile(Path.of(v));
    }

    public static String normalize(String email) {
        return email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
    }

    private static int firstNonBlank(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                return i;
            }
        }
        return -1;
    }
}
