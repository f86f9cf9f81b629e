package io.camelcast.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.sim.SimServer.Handler;
import io.camelcast.sim.SimServer.Request;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Who may download a recording file, and who did: a token of another account than the recording's is
 * refused (401, as an invalid token), a token of no account (the default download token) opens every file.
 * Every download request is remembered with the file, its recording's account, the account and kind of the
 * token presented and the answer's status, so a test can check that each account's recordings were fetched
 * with that account's own token ({@code GET /_sim/downloads}).
 */
final class ZoomDownloadAccess {

    private final ZoomRecordings recordings;
    private final List<Map<String, Object>> log = new CopyOnWriteArrayList<>();

    ZoomDownloadAccess(ZoomRecordings recordings) {
        this.recordings = recordings;
    }

    /** The download behind the OAuth gate, refused for another account's files, and logged. */
    Handler gate(ZoomOAuth oauth, Handler download) {
        Handler ownAccountOnly = r -> {
            ObjectNode owner = recordings.recordingOfFile(r.path(1));
            String account = ZoomOAuth.account(r);
            if (owner != null && account != null && !account.equals(owner.path("account_id").asText())) {
                r.json(401, Map.of("code", 124, "message", "Invalid access token."));
                return;
            }
            download.handle(r);
        };
        Handler gated = oauth.bearer(ownAccountOnly);
        return r -> {
            try {
                gated.handle(r);
            } finally {
                remember(r);
            }
        };
    }

    private void remember(Request r) {
        ObjectNode owner = recordings.recordingOfFile(r.path(1));
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("method", r.method());
        entry.put("fileId", r.path(1));
        entry.put("meetingUuid", owner == null ? null : owner.path("uuid").asText());
        entry.put("account", owner == null ? null : owner.path("account_id").asText());
        entry.put("tokenAccount", ZoomOAuth.account(r));
        entry.put("tokenKind", ZoomOAuth.tokenKind(r));
        entry.put("status", r.exchange().getResponseCode());
        log.add(entry);
    }

    List<Map<String, Object>> list() {
        return List.copyOf(log);
    }

    void clear() {
        log.clear();
    }
}
