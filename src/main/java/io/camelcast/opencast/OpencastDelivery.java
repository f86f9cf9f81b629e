package io.camelcast.opencast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelcast.store.RecordingStatus;
import io.camelcast.messages.StagedRecording;
import io.camelcast.store.Instances;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The deliver stage's decisions, as the seed's {@code zoom_uploader.py}: the deterministic mediapackage id
 * (md5 of the Zoom uuid), {@code allow_multiple_ingests}, the series catalog, the ordered
 * {@code addMediaPackage} form with presigned staging URLs (false starts dropped, views mapped to
 * flavors, chat as attachment, {@code zoomRecordingTimes} with pauses), and the workflow id from the answer.
 * The route makes the HTTP calls (camel-http, Digest auth); this bean reads and writes what they carry.
 *
 * <p>Exactly once: besides asking Opencast ({@code GET /api/events/{id}}), a marker in Redis is set when an
 * ingest is accepted, so a redelivery right after a crash is recognised even while Opencast's index lags.
 * With {@code allow_multiple_ingests} the second id is derived from the zip_id (the seed drew a random
 * one), so a redelivered on-demand request is still recognised.
 */
public final class OpencastDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(OpencastDelivery.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DC_TERMS = "http://purl.org/dc/terms/";

    private final RecordingStatus status;
    private final UnifiedJedis redis;
    private final S3Presigner presigner;
    private final String bucket;
    private final Duration presignFor;
    private final int minimumDuration;
    private final Map<String, String> settings;
    /** This process in the cluster: names it in the in-flight markers, and tells whether another marker's owner lives. */
    private final Instances instances;
    private final long graceSeconds;
    private final long recheckSeconds;
    private final EpisodeOwners owners;

    public OpencastDelivery(RecordingStatus status, UnifiedJedis redis, S3Presigner presigner, String bucket,
                            Duration presignFor, int minimumDuration, Map<String, String> settings, long graceSeconds,
                            Instances instances, long recheckSeconds) {
        this(status, redis, presigner, bucket, presignFor, minimumDuration, settings, graceSeconds, instances, recheckSeconds,
                EpisodeOwners.none());
    }

    /**
     * @param settings     workflow, publisher, override-publisher, license, language (the camelcast.opencast.* values)
     * @param graceSeconds how long an ingest that an instance started and never saw answered may still be under
     *                     way in Opencast ({@code camelcast.opencast.ingest-grace}; Opencast answers
     *                     addMediaPackage only once it has fetched every file)
     * @param recheckSeconds how soon a copy that found a live instance's ingest under way looks again
     *                       ({@code camelcast.opencast.ingest-recheck}): that ingest ends in seconds, and then
     *                       the copy is ignored; only a dead instance's ingest is waited out for the grace
     * @param owners         the owner map (camelcast.zoom.owner-map): the episode's rightsHolder and ACL
     */
    public OpencastDelivery(RecordingStatus status, UnifiedJedis redis, S3Presigner presigner, String bucket,
                            Duration presignFor, int minimumDuration, Map<String, String> settings, long graceSeconds,
                            Instances instances, long recheckSeconds, EpisodeOwners owners) {
        this.owners = owners;
        this.graceSeconds = graceSeconds;
        this.instances = instances;
        this.recheckSeconds = Math.max(1, recheckSeconds);
        this.status = status;
        this.redis = redis;
        this.presigner = presigner;
        this.bucket = bucket;
        this.presignFor = presignFor;
        this.minimumDuration = minimumDuration;
        this.settings = settings;
    }

    /** Thrown for what no retry can fix (unknown series, a 4xx): the message goes to the DLQ at once. */
    public static final class Unrecoverable extends RuntimeException {
        public Unrecoverable(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Another delivery of the same recording holds the in-flight marker (a second copy of the message taken at
     * the same moment, here or on another instance): this one goes back on the queue instead of ingesting too.
     */
    public static final class IngestUnderWay extends RuntimeException {
        public IngestUnderWay(String message) {
            super(message, null, false, false);
        }
    }

    public Delivery prepare(String body) throws IOException {
        StagedRecording message = JSON.readValue(body, StagedRecording.class);
        if (message == null || message.zipId() == null || message.uuid() == null) {
            throw new Unrecoverable("not a recording upload message (no zip_id/uuid)");
        }
        // a copy of a message already ingested (a redelivery after a crash) leaves the state where the ingest put it
        if (!java.util.Set.of(RecordingStatus.SENT_TO_OPENCAST, RecordingStatus.OPENCAST_SUCCEEDED, RecordingStatus.OPENCAST_FAILED)
                .contains(status.state(message.zipId()))) {
            status.set(message.zipId(), RecordingStatus.UPLOADER_RECEIVED);
        }
        if (message.opencastSeriesId() == null || message.opencastSeriesId().isBlank()) {
            throw new Unrecoverable("No opencast series id found!");
        }
        return new Delivery(message, MediapackageIds.deterministic(message.uuid()));
    }

    /** After {@code GET /api/events/{id}}: decides between ingest, a second id, or IGNORED. */
    public void priorIngest(Delivery d, Integer code, String body) throws IOException {
        d.checked();
        boolean known = alreadyIngested(d.getMediapackageId());
        if (code != null && code == 200) {
            known |= JSON.readTree(body == null || body.isBlank() ? "{}" : body).path("identifier").asText("")
                    .equals(d.getMediapackageId());
        } else if (code == null || code != 404) {
            throw new IOException("Opencast answered HTTP " + code + " to the prior-ingest check of " + d.getMediapackageId());
        }
        if (!known) {
            if (deferredForAnotherIngest(d)) {
                return;
            }
            LOG.info("recording deliver zip_id={} mediapackage={} not yet in Opencast", d.getZipId(), d.getMediapackageId());
            return;
        }
        if (d.getMessage().isAllowMultipleIngests() && !d.isAlternate()) {
            String second = UUID.nameUUIDFromBytes(("camelcast:" + d.getZipId()).getBytes(StandardCharsets.UTF_8)).toString();
            LOG.info("recording deliver zip_id={} mediapackage={} already ingested; allow_multiple_ingests: using {}",
                    d.getZipId(), d.getMediapackageId(), second);
            d.useAlternate(second);
            return;
        }
        if (d.getZipId().equals(redis.get(ingestedKey(d.getMediapackageId())))) {
            // this very attempt was ingested: a copy of its message (a redelivery after a crash); its status stays
            d.ignore("Already in opencast");
            // a crash may have come before its workflow was followed: the copy follows it (a second check is harmless)
            if (RecordingStatus.SENT_TO_OPENCAST.equals(status.state(d.getZipId()))) {
                d.setWorkflowId(status.field(d.getZipId(), "workflow_id"));
            }
            LOG.info("recording deliver skipped zip_id={} mediapackage={}: a copy of a message already ingested",
                    d.getZipId(), d.getMediapackageId());
            return;
        }
        d.ignore("Already in opencast");
        status.set(d.getZipId(), RecordingStatus.IGNORED, "Already in opencast");
        LOG.warn("recording ignored zip_id={} mediapackage={}: already in Opencast", d.getZipId(), d.getMediapackageId());
    }

    /** After {@code GET /series/{id}.json}: 404 is an invalid series (DLQ at once), other failures retry. */
    public void seriesCatalog(Delivery d, Integer code, String body) throws IOException {
        if (code != null && code == 404) {
            throw new Unrecoverable("Invalid Opencast series id. " + d.getSeriesId());
        }
        if (code == null || code / 100 != 2) {
            throw new IOException("Unable to reach Opencast: HTTP " + code + " for series " + d.getSeriesId());
        }
        d.setSeriesCatalog(body);
    }

    /**
     * Whether another delivery holds the in-flight marker of this recording's ingest. If that delivery's
     * instance still beats, its POST is under way and ends soon (Opencast's answer, or its own retries): this
     * copy looks again in {@code recheckSeconds}, and is ignored once the ingest is done. If that instance died
     * during its POST, Opencast may still finish the ingest on its own: this copy waits out what is left of
     * the grace (SQS delays a message 15 minutes at most: a longer wait takes more rounds).
     */
    private boolean deferredForAnotherIngest(Delivery d) {
        String holder = redis.get(inFlightKey(d.getMediapackageId()));
        long left = inFlightElsewhere(d);
        if (left <= 0 || holder == null) {
            return false;
        }
        String owner = Instances.ownerOf(holder);
        if (instances.alive(owner)) {
            d.defer(Math.min(left, recheckSeconds));
            LOG.info("recording deliver deferred zip_id={} mediapackage={}: instance {} is ingesting it now; looking again in {} s",
                    d.getZipId(), d.getMediapackageId(), owner, d.getDeferSeconds());
            return true;
        }
        d.defer(Math.min(left, 900));
        LOG.warn("recording deliver deferred zip_id={} mediapackage={}: instance {} died during its ingest, which is not in"
                + " Opencast yet and may still be under way; looking again in {} s", d.getZipId(), d.getMediapackageId(),
                owner, d.getDeferSeconds());
        return true;
    }

    /**
     * Seconds left in the grace of an ingest of this recording that another delivery started and never saw
     * answered; 0 when there is none or the marker is this delivery's own (a redelivery: this delivery saw its
     * own try fail, so Opencast does not have it and the retry may go ahead at once).
     */
    long inFlightElsewhere(Delivery d) {
        String key = inFlightKey(d.getMediapackageId());
        String owner = redis.get(key);
        if (owner == null || owner.equals(markerValue(d))) {
            return 0;
        }
        // milliseconds, rounded up: TTL's whole seconds round down, which ended the grace up to a second early
        long millis = redis.pttl(key);
        return millis > 0 ? (millis + 999) / 1000 : 0;
    }

    private String markerValue(Delivery d) {
        return instances.id() + "/" + d.token();
    }

    private static String inFlightKey(String mediapackageId) {
        return "camelcast:opencast:in-flight:" + mediapackageId;
    }

    /**
     * The seed's addMediaPackage form, in its order. Takes the in-flight marker for {@code ingest-grace} seconds
     * before the POST: if this instance dies before Opencast answers, Opencast may still finish the ingest, and
     * the delivery that picks the message up again waits that long before it ingests a second time.
     */
    public HttpEntity ingestForm(Delivery d) throws IOException {
        MultipartEntityBuilder form = MultipartEntityBuilder.create().setCharset(StandardCharsets.UTF_8);
        for (Map.Entry<String, String> f : ingestFields(d)) {
            form.addTextBody(f.getKey(), f.getValue(), ContentType.TEXT_PLAIN.withCharset(StandardCharsets.UTF_8));
        }
        takeInFlightMarker(d);
        d.ingestPosted();
        return form.build();
    }

    /**
     * Takes the marker atomically ({@code SET NX}): two copies of one message that both found the recording
     * missing from Opencast must not both ingest it. This delivery's own marker (a redelivery) gets its grace
     * again; another delivery's marker defers this one.
     */
    private void takeInFlightMarker(Delivery d) {
        instances.ensureBeating();
        String key = inFlightKey(d.getMediapackageId());
        if ("OK".equals(redis.set(key, markerValue(d), SetParams.setParams().nx().ex(graceSeconds)))) {
            // the other copy may have finished between our check and now: ingested() writes its marker before
            // it lets the in-flight one go, so once we hold the in-flight marker, an ingest done is visible
            if (alreadyIngested(d.getMediapackageId())) {
                clearOwnMarker(d);
                d.defer(1); // asked again, the recording is found in Opencast and this copy ignored
                LOG.info("recording deliver deferred zip_id={} mediapackage={}: another delivery has just ingested it",
                        d.getZipId(), d.getMediapackageId());
                throw new IngestUnderWay("mediapackage " + d.getMediapackageId() + " was just ingested by another delivery");
            }
            return;
        }
        if (markerValue(d).equals(redis.get(key))) {
            redis.set(key, markerValue(d), SetParams.setParams().xx().ex(graceSeconds));
            return;
        }
        if (!deferredForAnotherIngest(d)) {
            d.defer(1); // the other marker ended between the two calls: look again at once
        }
        throw new IngestUnderWay("another delivery is ingesting mediapackage " + d.getMediapackageId());
    }

    List<Map.Entry<String, String>> ingestFields(Delivery d) throws IOException {
        StagedRecording m = d.getMessage();
        String created = m.created();
        String title = m.ocTitle() == null ? "Lecture" : m.ocTitle();
        List<Map.Entry<String, String>> f = new ArrayList<>();
        f.add(Map.entry("identifier", d.getMediapackageId()));
        f.add(Map.entry("title", title));
        f.add(Map.entry("type", typeNum(title)));
        f.add(Map.entry("isPartOf", d.getSeriesId()));
        f.add(Map.entry("license", settings.getOrDefault("license", "")));
        f.add(Map.entry("publisher", escape(publisher(d.getSeriesCatalog()))));
        f.add(Map.entry("created", created));
        f.add(Map.entry("language", settings.getOrDefault("language", "en")));
        f.add(Map.entry("seriesDCCatalog", d.getSeriesCatalog() == null ? "" : d.getSeriesCatalog()));
        f.add(Map.entry("source", escape("ZIP-" + d.getUuid())));
        f.add(Map.entry("spatial", "Zoom " + (m.zoomSeriesId() == null ? "" : m.zoomSeriesId().asText())));
        f.add(Map.entry("zoomMeetingStart", created));

        Map<String, List<Segment>> byView = new LinkedHashMap<>();
        if (m.s3Files() != null) {
            m.s3Files().forEach((view, files) -> {
                List<Segment> segments = new ArrayList<>();
                for (StagedRecording.Segment s : files.segments() == null ? List.<StagedRecording.Segment>of() : files.segments()) {
                    segments.add(new Segment(s.filename(), s.segmentNum(), s.recordingStart(), s.recordingEnd(),
                            s.ffprobeSeconds(), s.ffprobeBytes()));
                }
                byView.put(view, segments);
            });
        }
        FalseStarts.Selection selection = FalseStarts.select(byView, minimumDuration);
        String times = RecordingTimes.merge(selection.recordingTimes(), status.events(d.getUuid()));
        List<Map.Entry<String, String>> files = m.isIngestAllMp4()
                ? FileParams.archive(selection.filenamesByView(), this::presign)
                : FileParams.publish(selection.filenamesByView(), this::presign);
        // ZIP-74: the segment times (with pauses) go to Opencast as a workflow configuration
        f.add(Map.entry("zoomRecordingTimes", times));
        for (Map.Entry<String, String> p : files) {
            f.add(p.getKey().equals("flavor") ? Map.entry("flavor", escape(p.getValue())) : p);
        }
        // beyond the seed, after its fields: Zoom's captions as captions tracks, and the episode's owner
        f.addAll(CaptionTracks.params(selection.filenamesByView(), m, this::presign, settings.getOrDefault("language", "en")));
        String owner = owners.owner(m.hostEmail());
        if (owner != null) {
            f.add(Map.entry("rightsHolder", escape(owner)));
            f.add(Map.entry("acl", EpisodeOwners.acl(owner)));
        }
        return f;
    }

    /**
     * Opencast's answer to the ingest POST. Not 2xx: Opencast is not working on it, so unless an earlier try
     * of this delivery went unanswered (that one may still be under way) the in-flight marker goes at once;
     * an instance that takes the recording up after this one (a replay after a restart) need not wait out the
     * grace. The answer is then thrown as camel-http would, for the retry and 4xx rules of the route.
     */
    public void ingestAnswered(Delivery d, Integer code, String body) throws HttpOperationFailedException {
        d.ingestAnswered();
        if (code != null && code / 100 == 2) {
            ingested(d, body);
            return;
        }
        if (d.everyIngestAnswered()) {
            clearOwnMarker(d);
        }
        int status = code == null ? 0 : code;
        throw new HttpOperationFailedException("/ingest/addMediaPackage", status, "Opencast refused the ingest of "
                + d.getMediapackageId(), null, Map.of(), body);
    }

    private void clearOwnMarker(Delivery d) {
        String key = inFlightKey(d.getMediapackageId());
        if (markerValue(d).equals(redis.get(key))) {
            redis.del(key);
        }
    }

    /** After the ingest: the workflow id from Opencast's XML answer, the marker, the final status. */
    public void ingested(Delivery d, String workflowXml) {
        String workflowId = workflowId(workflowXml);
        d.setWorkflowId(workflowId);
        redis.set(ingestedKey(d.getMediapackageId()), d.getZipId(), SetParams.setParams().ex(30L * 86_400));
        clearOwnMarker(d);
        status.set(d.getZipId(), RecordingStatus.SENT_TO_OPENCAST, "", Map.of("mediapackage_id", d.getMediapackageId(),
                "workflow_id", workflowId == null ? "" : workflowId));
        long minutes = 0;
        try {
            minutes = Duration.between(Instant.parse(String.valueOf(d.getMessage().webhookReceivedTime())), Instant.now()).toMinutes();
        } catch (RuntimeException ignored) {
            // an old message without the time: the log line simply says 0
        }
        LOG.info("recording ingested zip_id={} mediapackage={} workflow_id={} series={} minutes_in_pipeline={}",
                d.getZipId(), d.getMediapackageId(), workflowId, d.getSeriesId(), minutes);
    }

    /** The message as it came, to be put back on the queue while an earlier ingest may still be under way. */
    public String message(Delivery d) {
        try {
            return JSON.writeValueAsString(d.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the message of " + d.getZipId() + " back", e);
        }
    }

    static String workflowId(String xml) {
        if (xml == null || xml.isBlank()) {
            return null;
        }
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setNamespaceAware(true);
            Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
            String id = doc.getDocumentElement().getAttribute("id");
            return id.isEmpty() ? null : id;
        } catch (Exception e) {
            LOG.warn("could not read the workflow id from Opencast's answer: {}", e.getMessage());
            return null;
        }
    }

    /** The seed: L for Lecture, S for Section, P for anything else. */
    static String typeNum(String title) {
        return switch (title) {
            case "Lecture" -> "L";
            case "Section" -> "S";
            default -> "P";
        };
    }

    /** The seed: OVERRIDE_PUBLISHER, else the series' publisher, else DEFAULT_PUBLISHER. */
    String publisher(String seriesCatalog) throws IOException {
        String override = settings.getOrDefault("override-publisher", "");
        if (!override.isBlank() && !"None".equals(override)) {
            return override;
        }
        if (seriesCatalog != null && !seriesCatalog.isBlank()) {
            JsonNode p = JSON.readTree(seriesCatalog).path(DC_TERMS).path("publisher");
            if (p.isArray() && p.size() > 0 && p.get(0).hasNonNull("value")) {
                return p.get(0).get("value").asText();
            }
        }
        return settings.getOrDefault("publisher", "");
    }

    private boolean alreadyIngested(String mediapackageId) {
        return redis.exists(ingestedKey(mediapackageId));
    }

    private static String ingestedKey(String mediapackageId) {
        return "camelcast:opencast:ingested:" + mediapackageId;
    }

    private String presign(String key) {
        return presigner.presignGetObject(b -> b.signatureDuration(presignFor)
                .getObjectRequest(g -> g.bucket(bucket).key(key))).url().toString();
    }

    /** xml.sax.saxutils.escape: &amp;, &lt;, &gt;. */
    static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
