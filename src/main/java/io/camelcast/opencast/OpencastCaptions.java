package io.camelcast.opencast;

import io.camelcast.messages.LateCaptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.client5.http.entity.mime.AbstractContentBody;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A captions file Zoom finished after the recording ({@code recording.transcript_completed}) goes into the SAME
 * Opencast event as the recording, never a second one: Opencast's External API {@code POST /api/events/{id}/track}
 * (flavor, {@code overwriteExisting=false} so the closed captions ingested with the recording stay, tags, the file)
 * adds it to the event whose id is the recording's mediapackage id ({@link MediapackageIds#deterministic}). The
 * route (routes/recording-captions.yaml) asks Opencast for the event first: until the recording's own ingest has
 * happened the message goes back on the captions queue ({@code camelcast.recording.captions-recheck} seconds),
 * at most {@code camelcast.recording.captions-max-wait} seconds after it was queued; then it is a dead letter.
 * The file streams from the staging bucket (a repeatable part: Digest authentication sends the request twice).
 */
public final class OpencastCaptions {

    private static final Logger LOG = LoggerFactory.getLogger(OpencastCaptions.class);

    private final UnifiedJedis redis;
    private final S3Client s3;
    private final String bucket;
    private final String fallbackLanguage;
    private final long recheckSeconds;
    private final long maxWaitSeconds;
    private final Clock clock;

    public OpencastCaptions(UnifiedJedis redis, S3Client s3, String bucket, String fallbackLanguage, long recheckSeconds,
                            long maxWaitSeconds, Clock clock) {
        this.redis = redis;
        this.s3 = s3;
        this.bucket = bucket;
        this.fallbackLanguage = fallbackLanguage;
        this.recheckSeconds = Math.max(1, recheckSeconds);
        this.maxWaitSeconds = maxWaitSeconds;
        this.clock = clock;
    }

    /** Which event the captions go to; done at once when an earlier copy of this message added them. */
    public LateTrack prepare(LateCaptions c) {
        LateTrack t = new LateTrack(c, MediapackageIds.deterministic(c.uuid()));
        if (redis.exists(addedKey(t))) {
            t.done("already added");
            LOG.info("captions skipped uuid={} mediapackage={} file_id={}: already added", c.uuid(), t.getMediapackageId(),
                    c.file().recordingId());
        }
        return t;
    }

    /** After {@code GET /api/events/{id}}: 200 goes on; 404 waits for the recording's ingest (or gives up). */
    public void eventAnswered(LateTrack t, Integer code) throws IOException {
        if (code != null && code / 100 == 2) {
            return;
        }
        if (code != null && code == 404) {
            waitForIngest(t, "not in Opencast yet");
            return;
        }
        throw new IOException("Opencast answered HTTP " + code + " when asked for event " + t.getMediapackageId());
    }

    private void waitForIngest(LateTrack t, String why) {
        long waited = clock.instant().getEpochSecond() - t.getMessage().firstQueued();
        if (waited >= maxWaitSeconds) {
            throw new OpencastDelivery.Unrecoverable("event " + t.getMediapackageId() + " of Zoom recording "
                    + t.getMessage().uuid() + " still " + why + " after " + waited
                    + " s (camelcast.recording.captions-max-wait): its captions were not added");
        }
        t.defer(Math.min(recheckSeconds, 900));
        LOG.info("captions deferred uuid={} mediapackage={} file_id={}: event {}; looking again in {} s",
                t.getMessage().uuid(), t.getMediapackageId(), t.getMessage().file().recordingId(), why, t.getDeferSeconds());
    }

    /** The External API's track form: flavor, overwriteExisting, tags, then the file from staging. */
    public HttpEntity trackForm(LateTrack t) {
        LateCaptions c = t.getMessage();
        String view = "CC".equalsIgnoreCase(c.file().fileType()) ? CaptionTracks.CLOSED_CAPTION : CaptionTracks.AUDIO_TRANSCRIPT;
        ContentType text = ContentType.TEXT_PLAIN.withCharset(StandardCharsets.UTF_8);
        return MultipartEntityBuilder.create().setCharset(StandardCharsets.UTF_8)
                .addTextBody("flavor", CaptionTracks.flavor(c.file().language(), fallbackLanguage), text)
                .addTextBody("overwriteExisting", "false", text)
                .addTextBody("tags", CaptionTracks.tags(view, c.file().language(), fallbackLanguage), text)
                .addPart("track", new StagedBody(s3, bucket, c.stagedKey(), c.bytes(), fileName(c)))
                .build();
    }

    /** After the POST: 2xx is done (marked, so a redelivery does not add it twice); 404 waits; others fail. */
    public void trackAnswered(LateTrack t, Integer code, String body) throws HttpOperationFailedException {
        if (code != null && code / 100 == 2) {
            redis.set(addedKey(t), clock.instant().toString(), SetParams.setParams().ex(30L * 86_400));
            LOG.info("captions added uuid={} mediapackage={} file_id={} flavor={} bytes={}", t.getMessage().uuid(),
                    t.getMediapackageId(), t.getMessage().file().recordingId(),
                    CaptionTracks.flavor(t.getMessage().file().language(), fallbackLanguage), t.getMessage().bytes());
            return;
        }
        if (code != null && code == 404) {
            waitForIngest(t, "not found when the track was posted");
            return;
        }
        int status = code == null ? 0 : code;
        throw new HttpOperationFailedException("/api/events/" + t.getMediapackageId() + "/track", status,
                "Opencast refused the captions track of " + t.getMediapackageId(), null, Map.of(), body);
    }

    private static String fileName(LateCaptions c) {
        String key = c.stagedKey();
        return key.substring(key.lastIndexOf('/') + 1);
    }

    private static String addedKey(LateTrack t) {
        return "camelcast:opencast:captions:" + t.getMediapackageId() + ":" + t.getMessage().file().recordingId();
    }

    /** A staged object as a multipart file part: known length, read from S3 each time it is written (repeatable). */
    static final class StagedBody extends AbstractContentBody {
        private final S3Client s3;
        private final String bucket;
        private final String key;
        private final long length;
        private final String name;

        StagedBody(S3Client s3, String bucket, String key, long length, String name) {
            super(ContentType.create("text/vtt", StandardCharsets.UTF_8));
            this.s3 = s3;
            this.bucket = bucket;
            this.key = key;
            this.length = length;
            this.name = name;
        }

        @Override
        public String getFilename() {
            return name;
        }

        @Override
        public long getContentLength() {
            return length;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(key))) {
                in.transferTo(out);
            }
        }
    }
}
