package io.camelcast.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.sim.SimServer.Request;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Zoom's conventions that the Zoom simulator's API areas share: its time format, {@code next_page_token}
 * paging, meeting ids in paths and file extensions. In one place so recordings and past meetings parse
 * and page alike.
 */
final class ZoomConventions {

    static final DateTimeFormatter ZOOM_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private ZoomConventions() {
    }

    static ObjectNode objectBody(Request r) throws IOException {
        JsonNode node = SimServer.JSON.readTree(r.body());
        if (!(node instanceof ObjectNode object)) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        return object;
    }

    static void putIfAbsent(ObjectNode node, String field, String value) {
        if (!node.hasNonNull(field)) {
            node.put(field, value);
        }
    }

    /** The meeting id or uuid of the path; a uuid starting with '/' or containing '//' arrives double-encoded. */
    static String meetingId(Request r) {
        String id = r.path(1);
        for (int i = 0; i < 2 && id.contains("%"); i++) {
            id = URLDecoder.decode(id.replace("+", "%2B"), StandardCharsets.UTF_8);
        }
        return id;
    }

    /** The last registered item whose uuid or numeric id is {@code wanted}. */
    static ObjectNode byUuidOrId(List<ObjectNode> items, String wanted) {
        return items.stream().filter(x -> wanted.equals(x.path("uuid").asText()) || wanted.equals(x.path("id").asText()))
                .reduce((a, b) -> b).orElse(null);
    }

    /** A page of {@code meetings} with the from/to dates Zoom echoes back. */
    static void answerDated(Request r, List<ObjectNode> all, LocalDate from, LocalDate to, String field) throws IOException {
        ObjectNode page = SimServer.JSON.createObjectNode();
        page.put("from", from.toString());
        page.put("to", to.toString());
        page.setAll(page(r, all, field));
        r.json(200, page);
    }

    /** Zoom's paging: page_size (default 30, at most 300) and an opaque next_page_token, "" at the end. */
    static ObjectNode page(Request r, List<ObjectNode> all, String field) {
        return page(r, all, field, 300);
    }

    /** {@link #page(Request, List, String)} with at most {@code max} items a page, whatever page_size asks. */
    static ObjectNode page(Request r, List<ObjectNode> all, String field, int max) {
        int size = Math.max(1, Math.min(max, parseInt(r.query("page_size"), 30)));
        int offset = 0;
        String token = r.query("next_page_token");
        if (token != null && !token.isEmpty()) {
            try {
                offset = Math.max(0, parseInt(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8), 0));
            } catch (IllegalArgumentException e) {
                offset = 0;
            }
        }
        ObjectNode out = SimServer.JSON.createObjectNode();
        out.put("page_count", (all.size() + size - 1) / size);
        out.put("page_size", size);
        out.put("total_records", all.size());
        int end = Math.min(all.size(), offset + size);
        out.put("next_page_token", end < all.size()
                ? Base64.getUrlEncoder().withoutPadding().encodeToString(Integer.toString(end).getBytes(StandardCharsets.UTF_8)) : "");
        ArrayNode items = out.putArray(field);
        all.subList(Math.min(offset, all.size()), end).forEach(items::add);
        return out;
    }

    static String extensionOf(String fileType) {
        return switch (fileType.toUpperCase(Locale.ROOT)) {
            case "M4A" -> "m4a";
            case "CHAT" -> "txt";
            // Zoom's closed captions and audio transcript are both WebVTT
            case "CC", "TRANSCRIPT" -> "vtt";
            case "TIMELINE" -> "json";
            case "CSV" -> "csv";
            default -> "mp4";
        };
    }

    /** Zoom times are {@code yyyy-MM-ddTHH:mm:ssZ}; offsets and fractions are accepted too, a date alone is midnight UTC. */
    static Instant parseTime(String value) {
        if (value.length() == 10) {
            return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        return java.time.OffsetDateTime.parse(value).toInstant().truncatedTo(ChronoUnit.SECONDS);
    }

    static LocalDate date(String value, LocalDate fallback) {
        try {
            return value == null ? fallback : LocalDate.parse(value);
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    static int parseInt(String s, int fallback) {
        try {
            return s == null ? fallback : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
