package io.camelcast.zoom;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelcast.messages.PublishedRecording;
import io.camelcast.store.RecordingStatus;
import io.camelcast.store.WorkClaims;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clean-up in Zoom after a verified publish ({@code camelcast.zoom.after-ingest}: {@code keep}, the
 * default, {@code trash} or {@code delete}; routes/zoom-cleanup.yaml): Zoom's
 * {@code DELETE /meetings/{uuid}/recordings?action=...} with the recording's own account, only for a recording
 * whose status record says {@code OPENCAST_SUCCEEDED} and whose every Zoom file was fetched (never a failed or
 * partial ingest), and once: a Redis claim per recording keeps two copies of the message (redeliveries, two
 * instances) from calling twice, and a done mark drops later copies.
 */
public final class ZoomCleanup {

    private static final Logger LOG = LoggerFactory.getLogger(ZoomCleanup.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CLAIM_KIND = "zoom-cleanup";
    static final Set<String> MODES = Set.of("keep", "trash", "delete");

    /** Another delivery of the same recording is calling Zoom now: this copy is tried again later. */
    public static final class CleanupUnderWay extends RuntimeException {
        public CleanupUnderWay(String message) {
            super(message, null, false, false);
        }
    }

    private final String mode;
    private final Function<String, ZoomApi> accounts;
    private final WorkClaims claims;
    private final RecordingStatus status;

    /**
     * @param accounts the Zoom client of an account name (null: the single-account settings); the one place
     *                 the clean-up chooses the recording's account
     */
    public ZoomCleanup(String mode, Function<String, ZoomApi> accounts, WorkClaims claims, RecordingStatus status) {
        if (!MODES.contains(mode)) {
            throw new IllegalArgumentException("camelcast.zoom.after-ingest must be keep, trash or delete, not '" + mode + "'");
        }
        this.mode = mode;
        this.accounts = accounts;
        this.claims = claims;
        this.status = status;
    }

    public String mode() {
        return mode;
    }

    /** Whether a published recording is cleaned up at all (after-ingest is not keep). */
    public boolean enabled() {
        return !"keep".equals(mode);
    }

    /** One message of the clean-up queue: the recording is trashed or deleted in Zoom, or (with a reason) left. */
    public void clean(String body) throws IOException, InterruptedException {
        PublishedRecording p = JSON.readValue(body, PublishedRecording.class);
        if (p == null || blank(p.uuid()) || blank(p.zipId())) {
            throw new IllegalArgumentException("not a published-recording message (no zip_id/uuid)");
        }
        if (!enabled()) {
            return;
        }
        String refused = refusal(p.zipId());
        if (refused != null) {
            LOG.warn("zoom recording kept zip_id={} uuid={}: {}", p.zipId(), p.uuid(), refused);
            return;
        }
        if (claims.isDone(CLAIM_KIND, p.uuid())) {
            LOG.info("zoom recording clean-up skipped zip_id={} uuid={}: done already", p.zipId(), p.uuid());
            return;
        }
        String token = UUID.randomUUID().toString();
        WorkClaims.Claim claim = claims.claim(CLAIM_KIND, p.uuid(), token);
        if (!claim.owned()) {
            throw new CleanupUnderWay("the Zoom clean-up of " + p.uuid() + " is under way at " + claim.holder());
        }
        try {
            boolean found = accounts.apply(p.account()).deleteRecordings(p.uuid(), mode);
            claims.done(CLAIM_KIND, p.uuid(), token, 30L * 86_400);
            String what = !found ? "Zoom had no recording left to " + mode
                    : "trash".equals(mode) ? "Zoom recording moved to the trash" : "Zoom recording deleted";
            // the same state again, with what happened in Zoom (no second event: the state did not change)
            status.set(p.zipId(), RecordingStatus.OPENCAST_SUCCEEDED, what, Map.of());
            LOG.info("zoom recording clean-up zip_id={} uuid={} action={}: {}", p.zipId(), p.uuid(), mode, what);
        } catch (IOException | InterruptedException | RuntimeException e) {
            claims.release(CLAIM_KIND, p.uuid(), token);
            throw e;
        }
    }

    /** Why this recording must stay in Zoom, or null: only a verified, complete publish is cleaned up. */
    String refusal(String zipId) {
        String state = status.state(zipId);
        if (!RecordingStatus.OPENCAST_SUCCEEDED.equals(state)) {
            return "its state is " + state + ", not " + RecordingStatus.OPENCAST_SUCCEEDED;
        }
        String skipped = status.field(zipId, "files_skipped");
        if (skipped != null && !skipped.isBlank() && !"0".equals(skipped)) {
            return "a partial ingest: " + skipped + " of its Zoom files could not be fetched";
        }
        return null;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
