package io.camelcast.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stateful stand-in for Zoom, written from Zoom's public API documentation: signed webhooks
 * (including the {@code endpoint.url_validation} challenge), recording downloads of any size streamed
 * from a generator (never held in memory, {@code Range} honoured), server-to-server OAuth and the
 * REST subset Camelcast uses (meeting recordings, users' recordings, Dashboard metrics, past-meeting
 * and report participants) with {@code next_page_token} paging.
 *
 * <p>HTTP endpoints (all but {@code /oauth/token} and {@code /_sim/...} need {@code Authorization:
 * Bearer <token>} with a token from {@code /oauth/token}; downloads also take a recording's
 * {@code download_token}):
 * <ul>
 *   <li>{@code POST /oauth/token?grant_type=account_credentials&account_id=...} (Basic client_id:client_secret;
 *       the parameters may also come as a form body)</li>
 *   <li>{@code GET|HEAD /rec/download/{fileId}[?size=N][&deleted=true]}</li>
 *   <li>{@code GET /v2/meetings/{meetingId|uuid}/recordings[?include_fields=download_access_token]}</li>
 *   <li>{@code DELETE /v2/meetings/{uuid}/recordings?action=trash|delete} (recorded at {@code GET /_sim/deletions})</li>
 *   <li>{@code GET /v2/users/{userId|me|email}/recordings?from&to&page_size&next_page_token}</li>
 *   <li>{@code GET /v2/metrics/meetings?type=past&from&to&page_size&next_page_token}</li>
 *   <li>{@code GET /v2/metrics/webinars?type=past&from&to}, {@code GET /v2/metrics/webinars/{id}/participants}</li>
 *   <li>{@code GET /v2/metrics/meetings/{id}/participants}, {@code GET /v2/past_meetings/{uuid}/participants},
 *       {@code GET /v2/report/meetings/{id}/participants}, each in its own Zoom shape</li>
 *   <li>{@code GET /v2/users?status&page_size&next_page_token} (the token's account's users)</li>
 *   <li>accounts and tokens ({@link ZoomAccounts}, {@link ZoomUsers}, {@link ZoomDownloadAccess}):
 *       {@code POST|GET /_sim/accounts}, {@code POST|GET /_sim/users}, {@code POST /_sim/users/page-size},
 *       {@code POST /_sim/download-tokens/expire}, {@code GET /_sim/downloads}</li>
 *   <li>{@code POST /_sim/recordings}, {@code GET /_sim/recordings}, {@code POST /_sim/meetings},
 *       {@code GET /_sim/meetings}, {@code GET /_sim/requests}, {@code POST /_sim/webhooks},
 *       {@code GET /_sim/webhooks}, {@code POST /_sim/files/{fileId}}, {@code DELETE /_sim/state},
 *       and the base class's {@code /_sim/faults}</li>
 * </ul>
 */
public final class ZoomSimulator extends SimServer {

    /** Server-to-server OAuth credentials the simulator accepts until {@link #setCredentials} changes them. */
    public static final String DEFAULT_ACCOUNT_ID = "sim-account";
    public static final String DEFAULT_CLIENT_ID = "sim-client-id";
    public static final String DEFAULT_CLIENT_SECRET = "sim-client-secret";
    /** A download token the simulator always accepts, as a webhook's {@code download_token}. */
    public static final String DEFAULT_DOWNLOAD_TOKEN = "sim-download-token";
    /** Size served for a registered media file that names no {@code file_size}. */
    public static final long DEFAULT_FILE_SIZE = 1L << 20;
    /** Scopes granted to every access token. */
    public static final String SCOPES = "cloud_recording:read:admin dashboard_meetings:read:admin "
            + "meeting:read:admin report:read:admin";

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final ZoomOAuth oauth;
    private final ZoomRecordings recordings;
    private final ZoomPastMeetings meetings;
    private final ZoomWebhooks webhooks;
    private final ZoomDownloads downloads;
    private final ZoomAccounts accounts = new ZoomAccounts();
    private final ZoomUsers users;
    private final ZoomDownloadAccess downloadAccess;
    private final ZoomTranscripts transcripts;
    private final ZoomDeletions deletions;

    public ZoomSimulator() {
        super("zoom");
        oauth = new ZoomOAuth(this::url, this::track, accounts);
        users = new ZoomUsers(oauth::accountId);
        recordings = new ZoomRecordings(this::url, oauth, users);
        downloadAccess = new ZoomDownloadAccess(recordings);
        meetings = new ZoomPastMeetings();
        webhooks = new ZoomWebhooks(this::url, oauth, recordings);
        downloads = new ZoomDownloads(recordings);
        transcripts = new ZoomTranscripts(recordings, webhooks);
        deletions = new ZoomDeletions(recordings);
        on("POST", "/oauth/token", oauth::token);
        on("GET", "/rec/download/(.+)", downloadAccess.gate(oauth, downloads::download));
        on("HEAD", "/rec/download/(.+)", downloadAccess.gate(oauth, downloads::download));
        on("GET", "/v2/meetings/(.+)/recordings", oauth.bearer(recordings::meetingRecordings));
        on("DELETE", "/v2/meetings/(.+)/recordings", oauth.bearer(deletions::delete));
        on("GET", "/_sim/deletions", r -> r.json(200, deletions.list()));
        on("GET", "/_sim/trash", r -> r.json(200, deletions.trash()));
        on("GET", "/v2/users/([^/]+)/recordings", oauth.bearer(recordings::userRecordings));
        on("GET", "/v2/metrics/meetings", oauth.bearer(meetings::metricsMeetings));
        on("GET", "/v2/metrics/meetings/(.+)/participants", oauth.bearer(meetings::metricsParticipants));
        on("GET", "/v2/metrics/webinars", oauth.bearer(meetings::metricsWebinars));
        on("GET", "/v2/metrics/webinars/(.+)/participants", oauth.bearer(meetings::metricsParticipants));
        on("GET", "/v2/past_meetings/(.+)/participants", oauth.bearer(meetings::pastParticipants));
        on("GET", "/v2/report/meetings/(.+)/participants", oauth.bearer(meetings::reportParticipants));
        on("POST", "/_sim/recordings", r -> r.json(201, registerRecording(ZoomConventions.objectBody(r))));
        on("GET", "/_sim/recordings", r -> r.json(200, recordings.list()));
        on("POST", "/_sim/meetings", r -> r.json(201, registerMeeting(ZoomConventions.objectBody(r))));
        on("GET", "/_sim/meetings", r -> r.json(200, meetings.list()));
        on("GET", "/_sim/requests", r -> r.json(200, requests));
        on("GET", "/_sim/webhooks", r -> r.json(200, webhooks.list()));
        on("POST", "/_sim/webhooks", webhooks::sendOnRequest);
        on("POST", "/_sim/files/([^/]+)", downloads::storeFile);
        accountRoutes();
        on("DELETE", "/_sim/state", r -> {
            reset();
            r.empty(204);
        });
    }

    /** Several accounts, their users and expiring download tokens (see the class comment's list). */
    private void accountRoutes() {
        on("GET", "/v2/users", oauth.bearer(users::listUsers));
        on("POST", "/_sim/accounts", accounts::addOnRequest);
        on("GET", "/_sim/accounts", r -> r.json(200, accounts.list()));
        on("POST", "/_sim/users", r -> r.json(201, users.register(ZoomConventions.objectBody(r))));
        on("GET", "/_sim/users", r -> r.json(200, users.list()));
        on("POST", "/_sim/users/page-size", users::pageSizeOnRequest);
        on("POST", "/_sim/download-tokens/expire", r -> r.json(200, Map.of("expired", oauth.expireDownloadTokens())));
        on("GET", "/_sim/downloads", r -> r.json(200, downloadAccess.list()));
    }

    // ---- state -------------------------------------------------------------------------------

    /** The server-to-server OAuth app the simulator accepts at {@code /oauth/token}. */
    public void setCredentials(String accountId, String clientId, String clientSecret) {
        oauth.setCredentials(accountId, clientId, clientSecret);
    }

    /** Lifetime of access tokens issued from now on ({@code expires_in}); one hour unless changed. */
    public void setAccessTokenTtl(Duration ttl) {
        oauth.setAccessTokenTtl(ttl);
    }

    /** Issues an access token as {@code /oauth/token} would, for tests that skip the OAuth call. */
    public String issueAccessToken() {
        return oauth.issueAccessToken();
    }

    /**
     * Registers a recording (Zoom's recording object as {@code GET /meetings/{id}/recordings} returns it)
     * and returns the stored copy. Missing fields get defaults; a file's {@code download_url} that is
     * absent or points at zoom.us is pointed at this simulator (other hosts are kept, so tests can stage
     * a foreign host). A recording with the uuid of an earlier one replaces it.
     */
    public ObjectNode registerRecording(ObjectNode recording) {
        return recordings.register(recording);
    }

    /**
     * Registers a past meeting for the Dashboard and report APIs with its {@code participants}
     * (array of Dashboard participant objects: id, user_id, user_name, email, join_time, leave_time, ...);
     * missing fields get defaults. A meeting with the uuid of an earlier one replaces it. {@code "webinar": true}
     * lists it under {@code /metrics/webinars} instead; a participant with {@code "external": true} gets Zoom's
     * blank {@code id} and email (a guest who did not sign in); list one user twice for a re-join.
     */
    public ObjectNode registerMeeting(ObjectNode meeting) {
        return meetings.register(meeting);
    }

    public List<ObjectNode> recordings() {
        return recordings.list();
    }

    /** Each {@code DELETE /v2/meetings/{uuid}/recordings} that found its recording: meetingUuid (decoded), action. */
    public List<Map<String, Object>> deletions() {
        return deletions.list();
    }

    /** Every call to {@code /oauth/token}, {@code /v2/...} and {@code /rec/...}: {@code "GET /v2/...?query"}. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** Webhooks sent so far: target, event, status, timestamp, at. */
    public List<Map<String, Object>> webhooks() {
        return webhooks.list();
    }

    /**
     * Forgets recordings, meetings, users, recorded requests, downloads and webhooks, stored files, recordings'
     * download tokens (the default one is valid again) and faults. Issued access tokens stay valid (a running
     * client keeps its cached token) and the credentials and accounts stay as set.
     */
    public void reset() {
        recordings.clear();
        meetings.clear();
        requests.clear();
        webhooks.clear();
        oauth.forgetDownloadTokens();
        downloads.clear();
        users.clear();
        downloadAccess.clear();
        deletions.clear();
        faults().clear();
    }

    /** This simulator's download URL of a file; {@code size} 0 leaves the size to the registered recording. */
    public String downloadUrl(String fileId, long size) {
        return recordings.downloadUrl(fileId, size);
    }

    // ---- accounts ----------------------------------------------------------------------------

    /** Adds a further account with its own Server-to-Server OAuth app; its tokens read only its recordings. */
    public void addAccount(String accountId, String clientId, String clientSecret) {
        accounts.add(accountId, clientId, clientSecret);
    }

    /** Registers a user (Zoom's user object; {@code account_id} picks the account) for {@code GET /v2/users}. */
    public ObjectNode registerUser(ObjectNode user) {
        return users.register(user);
    }

    /** At most {@code max} users per page of {@code GET /v2/users}, whatever {@code page_size} asks. */
    public void setUsersPageSize(int max) {
        users.setMaxPageSize(max);
    }

    /** Every download token issued so far (the default one too) is refused with 401 from now on; returns how many. */
    public int expireDownloadTokens() {
        return oauth.expireDownloadTokens();
    }

    /** Download requests so far: fileId, meetingUuid, account, tokenAccount, tokenKind, status. */
    public List<Map<String, Object>> downloads() {
        return downloadAccess.list();
    }

    /** {@link #recordingCompletedEvent(String, long, String, String, int, long)} of a recording in this account. */
    public ObjectNode recordingCompletedEvent(String accountId, String uuid, long meetingId, String topic, String startTimeIso,
                                              int durationMinutes, long fileSize) {
        return webhooks.recordingCompletedEvent(accountId, uuid, meetingId, topic, startTimeIso, durationMinutes, fileSize);
    }

    // ---- webhooks ----------------------------------------------------------------------------

    /** {@code v0=} + hex HMAC-SHA256 of {@code v0:{timestamp}:{body}}, as Zoom signs webhooks. */
    public static String sign(String secret, String timestamp, String body) {
        return ZoomWebhooks.sign(secret, timestamp, body);
    }

    /** Lowercase hex HMAC-SHA256 of {@code message} keyed by {@code secret} (UTF-8 both). */
    public static String hmacHex(String secret, String message) {
        return ZoomWebhooks.hmacHex(secret, message);
    }

    /** Posts a webhook signed now, as Zoom does. */
    public HttpResponse<String> sendWebhook(URI target, String secretToken, String eventJson) throws IOException, InterruptedException {
        return sendWebhook(target, secretToken, eventJson, Instant.now().getEpochSecond());
    }

    /** Posts a webhook signed for the given timestamp (epoch seconds): replay-window tests send old ones. */
    public HttpResponse<String> sendWebhook(URI target, String secretToken, String eventJson, long timestamp)
            throws IOException, InterruptedException {
        return webhooks.send(target, secretToken, eventJson, timestamp);
    }

    /** Zoom's endpoint validation: the endpoint must answer {plainToken, encryptedToken=HMAC(secret, plainToken)}. */
    public boolean validateEndpoint(URI target, String secret) throws IOException, InterruptedException {
        return webhooks.validateEndpoint(target, secret);
    }

    /**
     * A {@code recording.completed} event as Zoom documents it: one MP4 per view (shared screen with
     * speaker, active speaker, gallery), an audio-only M4A and the chat file, downloads served here.
     * The recording is registered too, so the REST API and downloads know it.
     */
    public ObjectNode recordingCompletedEvent(String uuid, long meetingId, String topic, String startTimeIso,
                                              int durationMinutes, long fileSize) {
        return webhooks.recordingCompletedEvent(uuid, meetingId, topic, startTimeIso, durationMinutes, fileSize);
    }

    /** A {@code recording.completed} event for a registered recording (as {@link #registerRecording} returned it). */
    public ObjectNode recordingCompletedEvent(ObjectNode recording) {
        return webhooks.recordingCompletedEvent(recording);
    }

    /**
     * A {@code recording.transcript_completed} event for a registered recording: its audio transcript ({@code
     * transcript}: a Zoom file object, defaults filled in; null for all defaults) is added to the recording and is
     * the event's only file. Tests store the VTT's bytes with {@link #storeFile} under the file's id.
     */
    public ObjectNode transcriptCompletedEvent(String uuid, ObjectNode transcript) {
        return transcripts.transcriptCompletedEvent(uuid, transcript);
    }

    // ---- downloads ---------------------------------------------------------------------------

    /**
     * The next {@code count} downloads drop their connection after {@code afterBytes} bytes of the body,
     * as a flaky network does half way through a large recording; a client that resumes with
     * {@code Range} gets the rest.
     */
    public void cutNextDownloads(int count, long afterBytes) {
        downloads.cutNextDownloads(count, afterBytes);
    }

    /** Serves the given file's bytes for {@code fileId} (copied to the simulator's folder). */
    public void storeFile(String fileId, Path source) throws IOException {
        downloads.storeFile(fileId, source);
    }

    /** The bytes a generated download consists of, for tests to compare with what landed in S3. */
    public static InputStream expectedContent(String fileId, long size) {
        return ZoomDownloads.expectedContent(fileId, size);
    }

    /** Lowercase hex SHA-256 of {@link #expectedContent}, computed block by block. */
    public static String sha256Hex(String fileId, long size) {
        return ZoomDownloads.sha256Hex(fileId, size);
    }

    // ---- helpers -----------------------------------------------------------------------------

    private void track(Request r) {
        String q = r.uri().getRawQuery();
        requests.add(r.method() + " " + r.uri().getRawPath() + (q == null ? "" : "?" + q));
    }

    @Override
    public synchronized void close() {
        super.close();
        downloads.close();
    }
}
