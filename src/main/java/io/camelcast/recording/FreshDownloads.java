package io.camelcast.recording;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelcast.http.Refused;
import io.camelcast.zoom.ZoomAccounts;
import io.camelcast.zoom.ZoomApi;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fresh download URLs and token for a recording whose stored ones Zoom refuses. A webhook's {@code download_token}
 * lives 24 hours; a replay from the dead-letter queue, a long outage or a slow backlog comes later than that.
 * Zoom then answers the download 401, and the recording's own account's OAuth app can still ask
 * {@code GET /meetings/{uuid}/recordings?include_fields=download_access_token} for a new token and the files'
 * current URLs. What cannot be renewed (no such account, no OAuth app, Zoom no longer has the recording) is a
 * {@link RecordingStaging.PermanentFailure} carrying the first refusal; a Zoom API that is down is retried.
 */
public final class FreshDownloads {

    private static final Logger LOG = LoggerFactory.getLogger(FreshDownloads.class);

    private final ZoomAccounts accounts;

    public FreshDownloads(ZoomAccounts accounts) {
        this.accounts = accounts;
    }

    /** A renewed download token and the files' current URLs (file id → download_url). */
    public record Fresh(String account, String token, Map<String, String> urls) {
        /** The file's current URL, or the stored one when Zoom's listing no longer names the file. */
        public String url(String fileId, String stored) {
            String u = urls.get(fileId);
            return u == null || u.isBlank() ? stored : u;
        }
    }

    /**
     * @param account the recording's account as its message names it (null: the default account)
     * @param refused why the stored download failed, for the failure's reason when no renewal is possible
     */
    public Fresh renew(String zipId, String account, String uuid, String refused) throws IOException {
        String name = ZoomAccounts.name(account);
        ZoomApi api;
        try {
            api = accounts.api(name);
        } catch (Refused unknown) {
            throw new RecordingStaging.PermanentFailure(refused + "; no Zoom account named '" + name
                    + "' is configured to fetch a fresh download token");
        }
        if (!api.configured()) {
            throw new RecordingStaging.PermanentFailure(refused + "; Zoom account '" + name + "' has no OAuth app "
                    + "(account-id, client-id, client-secret) to fetch a fresh download token");
        }
        JsonNode recording;
        try {
            recording = api.meetingRecordings(uuid);
        } catch (ZoomApi.ZoomApiException e) {
            int s = e.getStatus();
            if (s / 100 == 4 && s != 429 || s == 0) {
                throw new RecordingStaging.PermanentFailure(refused + "; fetching fresh download URLs from Zoom account '"
                        + name + "' failed: " + e.getMessage());
            }
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching fresh download URLs", e);
        }
        String token = recording.path("download_access_token").asText("");
        if (token.isBlank()) {
            throw new RecordingStaging.PermanentFailure(refused + "; Zoom account '" + name
                    + "' listed the recording without a download_access_token");
        }
        Map<String, String> urls = new LinkedHashMap<>();
        for (JsonNode f : recording.path("recording_files")) {
            if (f.hasNonNull("id") && f.hasNonNull("download_url")) {
                urls.put(f.path("id").asText(), f.path("download_url").asText());
            }
        }
        LOG.info("recording download token renewed zip_id={} account={} files={}: {}", zipId, name, urls.size(), refused);
        return new Fresh(name, token, urls);
    }
}
