package io.camelcast.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.sim.SimServer.Request;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Zoom simulator's {@code DELETE /v2/meetings/{meetingUUID}/recordings?action=trash|delete}, as Zoom
 * documents it: {@code trash} (the default) moves the meeting's recordings to the trash, {@code delete}
 * removes them for good; either way they leave the REST listing, and Zoom answers 204. An unknown
 * recording (or one already gone) is Zoom's 404 with code 3301. Each call that found its recording is kept
 * for {@code GET /_sim/deletions} as {@code {meetingUuid, action}}, the uuid as Zoom's webhook carried it
 * (decoded), with the trashed recordings at {@code GET /_sim/trash}.
 */
final class ZoomDeletions {

    private final ZoomRecordings recordings;
    private final List<Map<String, Object>> deletions = new CopyOnWriteArrayList<>();
    private final List<ObjectNode> trash = new CopyOnWriteArrayList<>();

    ZoomDeletions(ZoomRecordings recordings) {
        this.recordings = recordings;
    }

    void delete(Request r) throws IOException {
        String uuid = ZoomConventions.meetingId(r);
        String action = r.query("action") == null ? "trash" : r.query("action");
        if (!"trash".equals(action) && !"delete".equals(action)) {
            r.json(400, Map.of("code", 300, "message", "Invalid action: " + action));
            return;
        }
        ObjectNode removed = recordings.remove(uuid);
        if (removed == null) {
            r.json(404, Map.of("code", 3301, "message", "This recording does not exist."));
            return;
        }
        if ("trash".equals(action)) {
            trash.add(removed);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("meetingUuid", removed.path("uuid").asText(uuid));
        d.put("action", action);
        deletions.add(d);
        r.empty(204);
    }

    List<Map<String, Object>> list() {
        return List.copyOf(deletions);
    }

    List<ObjectNode> trash() {
        return List.copyOf(trash);
    }

    void clear() {
        deletions.clear();
        trash.clear();
    }
}
