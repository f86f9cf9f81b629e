package io.camelcast.recording;

import io.camelcast.store.RecordingStatus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import io.camelcast.messages.IncomingRecording;
import io.camelcast.messages.StagedRecording;
import io.camelcast.store.WorkClaims;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fetch stage's decisions, as the seed's {@code zoom_downloader.py}: the minimum-duration gate, the
 * series in the seed's order (override → on-demand series → the meeting's override set over HTTP → class
 * schedule → default series), segment
 * numbering by distinct start time, the staging keys, and the upload-queue message.
 */
public final class RecordingFetch {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingFetch.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RecordingStatus status;
    private final ScheduleStore schedules;
    private final RecordingStaging staging;
    private final int minimumDuration;
    private final ZoneId zone;
    private final int bufferMinutes;
    private final String defaultSeriesId;
    private final WorkClaims claims;
    private final long doneSeconds;
    private final long recheckSeconds;
    private final FreshDownloads freshDownloads;
    private final HostConsent consent;

    public RecordingFetch(RecordingStatus status, ScheduleStore schedules, RecordingStaging staging, int minimumDuration,
                          ZoneId zone, int bufferMinutes, String defaultSeriesId, WorkClaims claims, long doneSeconds,
                          long recheckSeconds) {
        this(status, schedules, staging, minimumDuration, zone, bufferMinutes, defaultSeriesId, claims, doneSeconds,
                recheckSeconds, null, HostConsent.everyone());
    }

    /**
     * @param claims         one fetch per recording across the cluster ({@code fetch} claims and done marks)
     * @param doneSeconds    how long a fetched recording's done mark drops later copies (the idempotency TTL)
     * @param recheckSeconds how soon a copy that found another live instance fetching looks again
     * @param freshDownloads renews a download token Zoom refuses (null: a refusal is a failure at once)
     * @param consent        the hosts' opt-in / opt-out: an excluded host's recording is IGNORED, never downloaded
     */
    public RecordingFetch(RecordingStatus status, ScheduleStore schedules, RecordingStaging staging, int minimumDuration,
                          ZoneId zone, int bufferMinutes, String defaultSeriesId, WorkClaims claims, long doneSeconds,
                          long recheckSeconds, FreshDownloads freshDownloads, HostConsent consent) {
        this.freshDownloads = freshDownloads;
        this.consent = consent;
        this.claims = claims;
        this.doneSeconds = doneSeconds;
        this.recheckSeconds = recheckSeconds;
        this.status = status;
        this.schedules = schedules;
        this.staging = staging;
        this.minimumDuration = minimumDuration;
        this.zone = zone;
        this.bufferMinutes = bufferMinutes;
        this.defaultSeriesId = defaultSeriesId;
    }

    /** Reads the message and decides whether (and into which series) the recording is ingested. */
    public Download plan(String body) throws JsonProcessingException {
        IncomingRecording message = JSON.readValue(body, IncomingRecording.class);
        if (message.zipId() == null || message.uuid() == null) {
            throw new IllegalArgumentException("not a recording download message (no zip_id/uuid)");
        }
        Download d = new Download(message);
        if (!claim(d)) {
            return d;
        }
        String excluded = consent.exclusion(message.hostEmail());
        if (excluded != null) {
            // before anything else: without the host's consent nothing of the recording is fetched, for any target
            d.ignore(excluded);
        } else if (message.durationMinutes() < minimumDuration) {
            d.ignore("Recording <" + minimumDuration + " minutes");
        } else if (!d.isToOpencast()) {
            // the archive and Bunny need no Opencast series
            status.set(d.getZipId(), RecordingStatus.SENT_TO_DOWNLOADER, "targets " + String.join(",", d.getTargets()));
            LOG.info("recording fetch zip_id={} targets={}", d.getZipId(), String.join(",", d.getTargets()));
            return d;
        } else if (!chooseSeries(d)) {
            d.ignore("No opencast series match");
        }
        if (d.isIgnored()) {
            status.set(d.getZipId(), RecordingStatus.IGNORED, d.getIgnoredReason());
            LOG.info("recording ignored zip_id={} uuid={} reason=\"{}\"", d.getZipId(), d.getUuid(), d.getIgnoredReason());
            handedOn(d);
        } else {
            status.set(d.getZipId(), RecordingStatus.OC_SERIES_FOUND, "", Map.of("oc_series_id", d.getSeriesId()));
            LOG.info("recording series zip_id={} series={} title=\"{}\"", d.getZipId(), d.getSeriesId(), d.getTitle());
        }
        return d;
    }

    /**
     * One fetch per recording in the cluster: a copy of a message whose recording was already fetched and
     * handed on is dropped; one that another live instance is fetching right now goes back on the queue for
     * {@code recheckSeconds} (the other instance's own message stays in flight until it is done, and returns
     * if that instance dies, so nothing rests on the copy). A claim left by a dead instance is taken over.
     */
    boolean claim(Download d) {
        if (claims.isDone("fetch", d.getZipId())) {
            d.skip("already fetched and handed on", 0);
            LOG.info("recording fetch skipped zip_id={}: a copy of a message already fetched and handed on", d.getZipId());
            return false;
        }
        WorkClaims.Claim c = claims.claim("fetch", d.getZipId(), d.token());
        if (!c.owned()) {
            d.skip("instance " + c.holderInstance() + " is fetching it", recheckSeconds);
            LOG.info("recording fetch skipped zip_id={}: instance {} is fetching it now; looking again in {} s", d.getZipId(),
                    c.holderInstance(), recheckSeconds);
            return false;
        }
        return true;
    }

    /** Fetched (or ignored) and handed on: later copies are dropped, the claim goes. */
    public void handedOn(Download d) {
        claims.done("fetch", d.getZipId(), d.token(), doneSeconds);
    }

    /** The fetch failed for good (the DLQ has it): the claim goes, so a replay is fetched at once. */
    public void release(Download d) {
        if (d != null && !d.isSkipped()) {
            claims.release("fetch", d.getZipId(), d.token());
        }
    }

    /** The message as it came, for a copy that goes back on the queue. */
    public String message(Download d) throws JsonProcessingException {
        return JSON.writeValueAsString(d.getMessage());
    }

    /** The seed's oc_series_found. */
    boolean chooseSeries(Download d) {
        IncomingRecording m = d.getMessage();
        String override = IncomingRecording.text(m.overrideSeriesId());
        if (override != null) {
            d.setSeries(override, null);
            return true;
        }
        String onDemand = IncomingRecording.text(m.onDemandSeriesId());
        if (onDemand != null) {
            d.setSeries(onDemand, null);
            return true;
        }
        Schedule schedule = m.skipsSchedule() ? null : schedules.get(m.zoomSeriesId().asText());
        Optional<ScheduleEvent> event = schedule == null ? Optional.empty()
                : ScheduleMatcher.match(schedule, createdLocal(m), bufferMinutes);
        // PUT /schedule/meetings/{id}: its series wins over the schedule's (and the default) for every recording
        // of the meeting; a matching schedule slot still names the episode (Lecture, Section...)
        String meetingOverride = m.zoomSeriesId() == null ? null : schedules.override(m.zoomSeriesId().asText());
        if (meetingOverride != null) {
            d.setSeries(meetingOverride, event.map(ScheduleEvent::title).orElse(null));
            return true;
        }
        if (event.isPresent()) {
            d.setSeries(schedule.opencastSeriesId(), event.get().title());
            return true;
        }
        if (defaultSeriesId != null && !defaultSeriesId.isBlank() && !"None".equals(defaultSeriesId)) {
            d.setSeries(defaultSeriesId, null);
            return true;
        }
        return false;
    }

    ZonedDateTime createdLocal(IncomingRecording m) {
        return Instant.parse(m.startTime()).atZone(zone);
    }

    /**
     * Streams every file to staging. Files already staged by an earlier try are not fetched again, so a
     * redelivery resumes at the first missing file. Throws {@link RecordingStaging.PermanentFailure} when
     * no file at all could be fetched (all deleted), as the seed.
     */
    public Download stage(Download d) throws IOException {
        IncomingRecording m = d.getMessage();
        List<IncomingRecording.File> files = m.recordingFiles();
        TreeSet<String> starts = new TreeSet<>();
        files.forEach(f -> starts.add(f.recordingStart()));
        List<String> segmentStarts = new ArrayList<>(starts);
        long epoch = createdLocal(m).toEpochSecond();
        LOG.info("recording fetch zip_id={} uuid={} files={}", d.getZipId(), d.getUuid(), files.size());
        d.getStaged().clear();
        for (int seg = 0; seg < segmentStarts.size(); seg++) {
            for (IncomingRecording.File f : files) {
                if (!f.recordingStart().equals(segmentStarts.get(seg))) {
                    continue;
                }
                String view = RecordingViews.standardize(f.recordingType());
                String stem = String.format("%s/%d/%03d-%s", m.zoomSeriesId().asText(), epoch, seg, view);
                StagedFile staged = stageFile(d, f, stem, view, seg);
                if (staged != null) {
                    d.getStaged().add(staged);
                }
            }
        }
        if (d.getStaged().isEmpty()) {
            throw new RecordingStaging.PermanentFailure("No files could be downloaded for this recording");
        }
        return d;
    }

    /**
     * One file with the message's download token, or, once Zoom refused it (expired: a late replay), with a fresh
     * token and URL from the recording's own account; a refusal of the fresh one is a failure.
     */
    private StagedFile stageFile(Download d, IncomingRecording.File f, String stem, String view, int seg) throws IOException {
        while (true) {
            FreshDownloads.Fresh fresh = d.getFresh();
            Map<String, String> file = fileFields(f);
            if (fresh != null) {
                file.put("download_url", fresh.url(f.recordingId(), f.downloadUrl()));
            }
            String token = fresh != null ? fresh.token() : d.getMessage().downloadToken();
            try {
                return staging.stage(d.getZipId(), stem, view, seg, file, token, d.getUuid());
            } catch (RecordingStaging.DownloadRefused refused) {
                if (fresh != null) {
                    throw new RecordingStaging.PermanentFailure(refused.getMessage()
                            + " even with a fresh download token of Zoom account '" + fresh.account() + "'");
                }
                if (freshDownloads == null) {
                    throw new RecordingStaging.PermanentFailure(refused.getMessage());
                }
                LOG.info("recording download refused zip_id={} file_id={} status={}: fetching fresh download URLs", d.getZipId(),
                        f.recordingId(), refused.getStatus());
                d.setFresh(freshDownloads.renew(d.getZipId(), d.getMessage().account(), d.getUuid(),
                        refused.getMessage() + " with the stored download token"));
            }
        }
    }

    /** The seed's upload message (s3_files grouped by view, ffprobe totals), for the deliver stage. */
    public String uploadMessage(Download d) throws JsonProcessingException {
        IncomingRecording m = d.getMessage();
        Map<String, List<StagedRecording.Segment>> byView = new LinkedHashMap<>();
        Map<String, Double> segmentDurations = new LinkedHashMap<>();
        for (StagedFile f : d.getStaged()) {
            byView.computeIfAbsent(f.view(), v -> new ArrayList<>()).add(new StagedRecording.Segment(f.key(), f.segment(),
                    f.recordingStart(), f.recordingEnd(), f.probeBytes(), f.seconds(), f.bytes(), f.sha256(), f.language()));
            if (f.seconds() > 0) {
                segmentDurations.put(f.recordingStart(), f.seconds());
            }
        }
        Map<String, StagedRecording.View> s3Files = new LinkedHashMap<>();
        long allBytes = 0;
        double allSeconds = 0;
        for (Map.Entry<String, List<StagedRecording.Segment>> view : byView.entrySet()) {
            long bytes = view.getValue().stream().mapToLong(StagedRecording.Segment::ffprobeBytes).sum();
            double seconds = 0;
            for (StagedRecording.Segment s : view.getValue()) {
                seconds += s.ffprobeSeconds();
            }
            s3Files.put(view.getKey(), new StagedRecording.View(view.getValue(), bytes, seconds));
            allBytes += bytes;
            allSeconds += seconds;
        }
        Instant start = Instant.parse(m.startTime());
        StagedRecording out = new StagedRecording(d.getUuid(), m.zoomSeriesId(), d.getSeriesId(), d.getTitle(),
                m.topic(), RecordingIntake.TIMESTAMP.format(start),
                // the seed's quirk, kept: local time with a Z
                RecordingIntake.TIMESTAMP.withZone(zone).format(start), m.receivedTime(), d.getZipId(),
                s3Files, allBytes, allSeconds, segmentDurations.values().stream().mapToDouble(Double::doubleValue).sum(),
                m.allowMultipleIngests(), m.zoomProcessingMinutes(), m.ingestAllMp4(), m.ocWorkflow(), m.account(), m.hostEmail());
        return JSON.writeValueAsString(out);
    }

    public void staged(Download d) {
        if (!d.isToOpencast()) {
            status.set(d.getZipId(), RecordingStatus.SENT_TO_UPLOADS, "targets " + String.join(",", d.getTargets()));
        } else {
            // files Zoom no longer served (skipped): a partial ingest, which the Zoom clean-up leaves alone
            int skipped = d.getMessage().recordingFiles().size() - d.getStaged().size();
            status.set(d.getZipId(), RecordingStatus.SENT_TO_UPLOADER, skipped > 0 ? skipped + " Zoom files could not be fetched" : "",
                    Map.of("files_skipped", Integer.toString(Math.max(0, skipped))));
        }
        LOG.info("recording staged zip_id={} files={} bytes={}", d.getZipId(), d.getStaged().size(),
                d.getStaged().stream().mapToLong(StagedFile::bytes).sum());
    }

    /** A file's fields under the seed's names, as the staging records them. */
    private static Map<String, String> fileFields(IncomingRecording.File f) {
        Map<String, String> file = new LinkedHashMap<>();
        file.put("recording_id", f.recordingId());
        file.put("recording_start", f.recordingStart());
        file.put("recording_end", f.recordingEnd());
        file.put("download_url", f.downloadUrl());
        file.put("file_type", f.fileType());
        file.put("recording_type", f.recordingType());
        if (f.language() != null) {
            file.put("language", f.language());
        }
        return file;
    }
}
