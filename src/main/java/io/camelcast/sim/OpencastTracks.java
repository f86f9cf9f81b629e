package io.camelcast.sim;

import io.camelcast.sim.SimServer.Request;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Opencast simulator's External API {@code POST /api/events/{eventId}/track}: adds a track (a file in the
 * multipart form, with {@code flavor}, {@code overwriteExisting} and optional {@code tags}) to an existing event,
 * without starting a workflow, as Opencast does. The track is recorded on the event's entry of
 * {@code GET /_sim/ingests} under {@code addedTracks}: {@code [{flavor, tags, overwriteExisting, filename, bytes,
 * sha256, receivedAt}]}. An unknown event is a 404, a form without flavor or file a 400.
 */
final class OpencastTracks {

    private final Function<String, Map<String, Object>> events;

    /** @param events the ingest (the event) of a mediapackage id, or null (OpencastIngest.latest) */
    OpencastTracks(Function<String, Map<String, Object>> events) {
        this.events = events;
    }

    @SuppressWarnings("unchecked")
    void addTrack(Request r) throws Exception {
        String id = r.path(1);
        Map<String, Object> event = events.apply(id);
        if (event == null) {
            r.text(404, "Event '" + id + "' not found");
            return;
        }
        String contentType = r.header("Content-Type");
        if (contentType == null || !contentType.toLowerCase().startsWith("multipart/form-data")) {
            r.text(400, "multipart/form-data expected");
            return;
        }
        String flavor = null;
        String tags = null;
        boolean overwrite = false;
        String fileName = null;
        byte[] file = null;
        for (String[] f : Forms.parse(contentType, r.body(), true)) {
            switch (f[0]) {
                case "flavor" -> flavor = f[1];
                case "tags" -> tags = f[1];
                case "overwriteExisting" -> overwrite = Boolean.parseBoolean(f[1]);
                case "track" -> file = f[1].getBytes(StandardCharsets.UTF_8);
                default -> { }
            }
        }
        List<String[]> names = Forms.parse(contentType, r.body(), false);
        for (String[] f : names) {
            if ("track".equals(f[0]) && f[1].startsWith("<file ")) {
                fileName = f[1].substring(6, f[1].lastIndexOf(','));
            }
        }
        if (flavor == null || flavor.isBlank() || !flavor.contains("/")) {
            r.text(400, "flavor missing or not type/subtype");
            return;
        }
        if (file == null) {
            r.text(400, "track file missing");
            return;
        }
        Map<String, Object> track = new LinkedHashMap<>();
        track.put("flavor", flavor);
        track.put("tags", tags == null ? List.of() : List.of(tags.split(",")));
        track.put("overwriteExisting", overwrite);
        track.put("filename", fileName);
        track.put("bytes", file.length);
        track.put("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file)));
        track.put("receivedAt", Instant.now().toString());
        synchronized (event) {
            List<Map<String, Object>> added = new ArrayList<>((List<Map<String, Object>>) event.getOrDefault("addedTracks",
                    List.of()));
            String f = flavor;
            if (overwrite) {
                added.removeIf(t -> f.equals(t.get("flavor")));
            }
            added.add(track);
            event.put("addedTracks", List.copyOf(added));
        }
        r.text(200, "The track has been added to the event.");
    }
}
