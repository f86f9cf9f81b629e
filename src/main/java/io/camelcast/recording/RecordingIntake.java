package io.camelcast.recording;

import io.camelcast.store.RecordingStatus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.http.Refused;
import io.camelcast.messages.IncomingRecording;
import io.camelcast.store.Outbox;
import io.camelcast.zoom.DownloadHosts;
import io.camelcast.zoom.ZoomAccounts;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook's decisions, as the seed's {@code zoom_webhook.py}: which events matter, what a valid
 * recording looks like, the status records they write, and the download-queue message. The signature
 * was checked before this runs ({@code WebhookVerifier}); the route does the enqueueing.
 */
public final class RecordingIntake {

    private final io.camelcast.config.UploadTargets targets;

    private static final Logger LOG = LoggerFactory.getLogger(RecordingIntake.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final DateTimeFormatter TIMESTAMP = RecordingStatus.TIMESTAMP;

    static final List<String> STATUS_EVENTS = List.of("recording.started", "recording.resumed", "recording.paused",
            "recording.stopped", "meeting.ended", "webinar.ended");
    static final Set<String> INGEST_EVENTS = Set.of("recording.completed", "on.demand.ingest");
    /** ZIP-74: chat files are ingested too; captions (CC, TRANSCRIPT) as captions tracks; other file types are dropped. */
    static final Set<String> FILE_TYPES = Set.of("mp4", "chat", "cc", "transcript");
    /** Zoom's late transcript: its captions file is added to the recording's Opencast event (LateTranscripts). */
    static final String TRANSCRIPT_EVENT = "recording.transcript_completed";
    private static final List<String> REQUIRED_FILE_FIELDS = List.of("id", "recording_start", "recording_end",
            "download_url", "file_type", "recording_type");

    private final RecordingStatus status;
    private final DownloadHosts hosts;
    private final int webhookDelaySeconds;
    private final Clock clock;
    private final Outbox outbox;
    private final String queue;

    public RecordingIntake(RecordingStatus status, DownloadHosts hosts, int webhookDelaySeconds, Clock clock) {
        this(status, hosts, webhookDelaySeconds, clock, new io.camelcast.config.UploadTargets(Map.of()));
    }

    public RecordingIntake(RecordingStatus status, DownloadHosts hosts, int webhookDelaySeconds, Clock clock,
                           io.camelcast.config.UploadTargets targets) {
        this(status, hosts, webhookDelaySeconds, clock, targets, null, null);
    }

    public RecordingIntake(RecordingStatus status, DownloadHosts hosts, int webhookDelaySeconds, Clock clock,
                           io.camelcast.config.UploadTargets targets, Outbox outbox, String queue) {
        this.outbox = outbox;
        this.queue = queue;
        this.targets = targets;
        this.status = status;
        this.hosts = hosts;
        this.webhookDelaySeconds = webhookDelaySeconds;
        this.clock = clock;
    }

    /** {@link #classify(byte[])} of a webhook to this Zoom account's URL ({@code /zoom/webhook/<name>}; null: the default). */
    public ZoomEvent classify(byte[] body, String account) {
        return classify(body).withAccount(account);
    }

    /** Parses the body and says what the route does with it; 400 for what is not a Zoom event at all. */
    public ZoomEvent classify(byte[] body) {
        if (body == null || body.length == 0) {
            throw new Refused(400, "Bad data. No body found in event.");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (IOException e) {
            throw new Refused(400, "Webhook notification body is not valid json.");
        }
        if (!(tree instanceof ObjectNode json)) {
            throw new Refused(400, "Webhook notification body is not a JSON object.");
        }
        if (json.has("event") && !json.get("event").isTextual()) {
            throw new Refused(400, "event must be a string");
        }
        String event = json.path("event").asText("");
        if (event.isEmpty()) {
            throw new Refused(400, "Request has no event type?");
        }
        boolean known = STATUS_EVENTS.contains(event) || INGEST_EVENTS.contains(event) || "endpoint.url_validation".equals(event)
                || TRANSCRIPT_EVENT.equals(event);
        if (!known) {
            LOG.info("zoom webhook ignored event={}: handling not implemented", event);
            return new ZoomEvent(ZoomEvent.IGNORE, event, json);
        }
        if (!json.has("payload")) {
            throw new Refused(400, "Missing payload field in webhook notification body.");
        }
        if ("endpoint.url_validation".equals(event)) {
            if (!json.path("payload").path("plainToken").isTextual()) {
                throw new Refused(400, "endpoint.url_validation without payload.plainToken");
            }
            return new ZoomEvent(ZoomEvent.VALIDATION, event, json);
        }
        if (TRANSCRIPT_EVENT.equals(event)) {
            return new ZoomEvent(ZoomEvent.CAPTIONS, event, json);
        }
        return new ZoomEvent(INGEST_EVENTS.contains(event) ? ZoomEvent.INGEST : ZoomEvent.STATUS, event, json);
    }

    /**
     * recording.started/paused/resumed/stopped, meeting.ended, webinar.ended: the status record and the
     * pause/resume times. Always answered 204 (anything else makes Zoom retry).
     */
    public void statusEvent(ZoomEvent e) {
        JsonNode payload = e.getJson().path("payload");
        JsonNode object = payload.path("object");
        if (!object.has("uuid")) {
            LOG.info("zoom webhook ignored event={}: missing uuid", e.getEvent());
            return;
        }
        String uuid = object.path("uuid").asText();
        String zipId = "auto-ingest-" + uuid;
        String missing = missingObjectField(payload, List.of("id", "uuid", "topic", "start_time"));
        if (missing != null) {
            LOG.info("zoom webhook ignored event={} zip_id={}: {}", e.getEvent(), zipId, missing);
            return;
        }
        String state = switch (e.getEvent()) {
            case "recording.started", "recording.resumed" -> RecordingStatus.RECORDING_IN_PROGRESS;
            case "recording.paused" -> RecordingStatus.RECORDING_PAUSED;
            case "recording.stopped" -> RecordingStatus.RECORDING_STOPPED;
            default -> status.exists(zipId) ? RecordingStatus.RECORDING_PROCESSING : null;
        };
        if (state == null) {
            LOG.info("zoom webhook event={} zip_id={}: recording status ignored (not tracked)", e.getEvent(), zipId);
            return;
        }
        status.addEvent(uuid, e.getEvent(), e.getJson().path("event_ts").asLong(0));
        status.set(zipId, state, "", identity(object, "webhook_notification"));
        LOG.info("zoom webhook event={} zip_id={} state={}", e.getEvent(), zipId, state);
    }

    /**
     * recording.completed / on.demand.ingest: validated as the seed, with the download hosts checked. Returns
     * the download message; throws {@link Refused} (400, or 204 for a webhook without MP4 files) after
     * writing the status the seed writes.
     */
    public Accepted accept(ZoomEvent e) {
        return accept(e, "zoom");
    }

    /** @param source "zoom" ({@code /zoom/webhook}, {@code /ingest}) or "zoom-upload": chooses the targets */
    public Accepted accept(ZoomEvent e, String source) {
        ObjectNode json = e.getJson();
        JsonNode payload = json.path("payload");
        boolean onDemand = "on.demand.ingest".equals(e.getEvent());
        String zipId;
        String origin;
        if (onDemand) {
            zipId = payload.path("zip_id").asText("");
            if (zipId.isEmpty()) {
                throw new Refused(400, "Bad data: on.demand.ingest without zip_id");
            }
            origin = "on_demand";
        } else {
            if (!payload.path("object").has("uuid")) {
                throw new Refused(400, "Bad data: missing uuid");
            }
            zipId = "auto-ingest-" + payload.path("object").path("uuid").asText();
            origin = "webhook_notification";
        }
        String token = json.path("download_token").asText("");
        if (token.isEmpty()) {
            throw new Refused(400, "Missing download token");
        }
        String missing = missingObjectField(payload, List.of("id", "uuid", "topic", "start_time", "host_id", "duration",
                "recording_files"));
        if (missing != null) {
            status.set(zipId, RecordingStatus.WEBHOOK_FAILED, "Bad webhook data", Map.of("origin", origin));
            throw new Refused(400, "Bad data: Unrecognized payload format. " + missing);
        }
        JsonNode object = payload.path("object");
        Map<String, String> identity = identity(object, origin);
        // the recording's Zoom account, in the status record (GET /recordings/{uuid}) and on the queue messages
        identity.put("account", ZoomAccounts.name(e.getAccount()));
        try {
            validateFiles(object.path("recording_files"));
        } catch (NoMp4Files none) {
            status.set(zipId, RecordingStatus.WEBHOOK_RECEIVED, "", identity);
            status.set(zipId, RecordingStatus.IGNORED, "No mp4 files");
            // a webhook is answered 204: anything else makes Zoom retry; an on-demand caller gets the reason
            throw new Refused(onDemand ? 400 : 204, none.getMessage());
        } catch (Refused bad) {
            status.set(zipId, RecordingStatus.WEBHOOK_RECEIVED, "", identity);
            status.set(zipId, RecordingStatus.WEBHOOK_FAILED, "Bad webhook data");
            throw bad;
        }
        List<String> to = targets.forZoom(source == null ? "zoom" : source, payload.path("account_id").asText(null),
                object.path("host_email").asText(null));
        IncomingRecording message = message(payload, zipId, onDemand, token).withTargets(to).withAccount(e.getAccount())
                .withHostEmail(object.path("host_email").asText(null));
        try {
            return new Accepted(zipId, JSON.writeValueAsString(message), onDemand ? 0 : webhookDelaySeconds, onDemand, identity);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** First status of an accepted recording (inside the duplicate guard, so a Zoom retry does not rewind it). */
    public void received(Accepted a) {
        status.setInOrder(a.getZipId(), receivedSteps(a), null);
    }

    /**
     * The statuses of {@link #received} and {@link #queued} and the download message into the outbox, in
     * one Redis round trip (the webhook's hot path: three separate writes were half of its Redis time).
     */
    public void queue(Accepted a) {
        List<RecordingStatus.Step> steps = receivedSteps(a);
        steps.add(new RecordingStatus.Step(RecordingStatus.SENT_TO_DOWNLOADER, Map.of()));
        status.setInOrder(a.getZipId(), steps, p -> outbox.push(p, queue, a.getMessage(), a.getDelaySeconds()));
        logQueued(a);
    }

    private static List<RecordingStatus.Step> receivedSteps(Accepted a) {
        List<RecordingStatus.Step> steps = new ArrayList<>();
        if (a.isOnDemand()) {
            steps.add(new RecordingStatus.Step(RecordingStatus.ON_DEMAND_RECEIVED, a.getIdentity()));
        }
        steps.add(new RecordingStatus.Step(RecordingStatus.WEBHOOK_RECEIVED, a.getIdentity()));
        return steps;
    }

    public void queued(Accepted a) {
        status.set(a.getZipId(), RecordingStatus.SENT_TO_DOWNLOADER);
        logQueued(a);
    }

    private static void logQueued(Accepted a) {
        LOG.info("recording queued zip_id={} meeting_id={} uuid={} delay_s={}", a.getZipId(),
                a.getIdentity().get("meeting_id"), a.getIdentity().get("recording_id"), a.getDelaySeconds());
    }

    /** The seed's validate_recording_files, plus the download-host allow-list. */
    void validateFiles(JsonNode files) {
        if (!files.isArray()) {
            throw new Refused(400, "Bad data: Unrecognized payload format. recording_files is not a list");
        }
        boolean anyMp4 = false;
        for (JsonNode f : files) {
            if ("mp4".equalsIgnoreCase(f.path("file_type").asText(""))) {
                anyMp4 = true;
            }
        }
        if (!anyMp4) {
            throw new NoMp4Files("No mp4 files in recording data");
        }
        for (JsonNode f : files) {
            if (!f.has("file_type")) {
                throw new Refused(400, "Bad data: Missing required file field 'file_type'");
            }
            if (!FILE_TYPES.contains(f.path("file_type").asText().toLowerCase(Locale.ROOT)) || isCaptions(f)) {
                // captions never refuse a recording: one not usable yet is left out (see usableCaptions)
                continue;
            }
            for (String field : REQUIRED_FILE_FIELDS) {
                if (!f.has(field)) {
                    throw new Refused(400, "Bad data: Missing required file field '" + field + "'");
                }
            }
            if (f.has("status") && !"completed".equalsIgnoreCase(f.path("status").asText())) {
                throw new Refused(400, "Bad data: File with incomplete status " + f.path("status").asText());
            }
            String url = f.path("download_url").asText();
            if (!hosts.allowed(url)) {
                throw new Refused(400, "Bad data: download_url host is not an allowed Zoom host (camelcast.zoom.download-hosts)");
            }
        }
    }

    /** The seed's construct_sqs_message. */
    IncomingRecording message(JsonNode payload, String zipId, boolean onDemand, String token) {
        JsonNode object = payload.path("object");
        List<IncomingRecording.File> files = new ArrayList<>();
        for (JsonNode f : object.path("recording_files")) {
            if (isCaptions(f) && !usableCaptions(f)) {
                continue;
            }
            if (FILE_TYPES.contains(f.path("file_type").asText().toLowerCase(Locale.ROOT))) {
                files.add(file(f));
            }
        }
        return new IncomingRecording(object.path("uuid").asText(), object.path("id"), object.path("topic").asText(),
                object.path("start_time").asText(), object.path("duration"), object.path("host_id").asText(), files, onDemand,
                zipId,
                // the seed wrote local time with a Z suffix; UTC here, so minutes-in-pipeline is right
                TIMESTAMP.format(clock.instant()), token,
                flag(payload, "allow_multiple_ingests"), flag(payload, "ingest_all_mp4"), payload.get("on_demand_series_id"),
                payload.get("oc_workflow"), payload.get("override_series_id"), payload.get("ignore_schedule"),
                object.get("total_size"),
                onDemand ? null : LongNode.valueOf(processingMinutes(object.path("start_time").asText(),
                        object.path("duration").asLong(0))),
                null, null, null);
    }

    /** One file of Zoom's recording object as the download message lists it. */
    static IncomingRecording.File file(JsonNode f) {
        String language = f.path("language").asText("");
        return new IncomingRecording.File(f.path("id").asText(), f.path("recording_start").asText(),
                f.path("recording_end").asText(), f.path("download_url").asText(), f.path("file_type").asText(),
                f.path("recording_type").asText(), language.isBlank() ? null : language);
    }

    static boolean isCaptions(JsonNode f) {
        return IncomingRecording.CAPTION_TYPES.contains(f.path("file_type").asText("").toUpperCase(Locale.ROOT));
    }

    /**
     * A captions file that can be fetched now: every required field, completed (Zoom lists a transcript still being
     * made as processing, and sends recording.transcript_completed later), from an allowed host.
     */
    boolean usableCaptions(JsonNode f) {
        for (String field : REQUIRED_FILE_FIELDS) {
            if (!f.hasNonNull(field)) {
                return false;
            }
        }
        if (f.has("status") && !"completed".equalsIgnoreCase(f.path("status").asText())) {
            return false;
        }
        return hosts.allowed(f.path("download_url").asText());
    }

    /** An on-demand flag as the caller sent it, false when absent. */
    private static JsonNode flag(JsonNode payload, String name) {
        return payload.has(name) ? payload.get(name) : BooleanNode.FALSE;
    }

    long processingMinutes(String start, long durationMinutes) {
        try {
            Instant end = Instant.parse(start).plus(Duration.ofMinutes(durationMinutes));
            return Math.floorDiv(Duration.between(end, clock.instant()).toSeconds(), 60);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static String missingObjectField(JsonNode payload, List<String> fields) {
        if (!payload.isObject()) {
            return "payload is not an object";
        }
        if (!payload.has("object") || !payload.get("object").isObject()) {
            return "Missing required payload field 'object'. Keys found: " + keys(payload);
        }
        JsonNode object = payload.get("object");
        for (String f : fields) {
            if (!object.has(f)) {
                return "Missing required object field '" + f + "'. Keys found: " + keys(object);
            }
        }
        return null;
    }

    private static String keys(JsonNode n) {
        StringBuilder b = new StringBuilder();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            b.append(b.length() == 0 ? "" : ", ").append(it.next());
        }
        return "[" + b + "]";
    }

    private static Map<String, String> identity(JsonNode object, String origin) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("meeting_id", object.path("id").asText());
        m.put("recording_id", object.path("uuid").asText());
        m.put("recording_start_time", object.path("start_time").asText());
        m.put("topic", object.path("topic").asText());
        m.put("origin", origin);
        return m;
    }

    /** No MP4 in the recording: IGNORED, answered 204 to Zoom and 400 to an on-demand caller. */
    static final class NoMp4Files extends RuntimeException {
        NoMp4Files(String message) {
            super(message, null, false, false);
        }
    }
}
