package io.camelcast.recording;

import io.camelcast.config.Settings;
import io.camelcast.config.UploadTargets;
import io.camelcast.store.Outbox;
import io.camelcast.store.RecordingStatus;
import io.camelcast.store.WorkClaims;
import io.camelcast.zoom.DownloadHosts;
import io.camelcast.zoom.ZoomAccounts;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The recording flow's beans (routes/recording-intake.yaml, recording-fetch.yaml): intake, on-demand ingest,
 * the fetch stage and its staging, the schedule, and the upload items a recording hands to the upload flow.
 * Shared parts (Redis, S3, the outbox, work claims, the status store) come from the registry.
 */
public final class RecordingConfiguration implements CamelConfiguration {

    private final Settings settings;

    public RecordingConfiguration(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void configure(CamelContext context) {
        Registry registry = context.getRegistry();
        UnifiedJedis redis = registry.lookupByNameAndType("redis", UnifiedJedis.class);
        S3Client s3 = registry.lookupByNameAndType("s3Client", S3Client.class);
        S3Presigner presigner = registry.lookupByNameAndType("s3Presigner", S3Presigner.class);
        RecordingStatus status = registry.lookupByNameAndType("recordingStatus", RecordingStatus.class);
        Clock clock = Clock.systemUTC();
        String bucket = settings.get("camelcast.recording.bucket");
        DownloadHosts hosts = new DownloadHosts(settings.get("camelcast.zoom.download-hosts"));
        ScheduleStore schedules = new ScheduleStore(redis);
        RecordingStaging.Checksums checksums = new RecordingStaging.Checksums() {
            @Override
            public String get(String key) {
                return redis.get("camelcast:staged:" + key);
            }

            @Override
            public void put(String key, String sha256) {
                redis.set("camelcast:staged:" + key, sha256, SetParams.setParams().ex(30L * 86_400));
            }
        };
        RecordingStaging staging = new RecordingStaging(s3, bucket, settings.getInt("camelcast.recording.part-size"),
                hosts, settings.getBoolean("camelcast.recording.ffprobe")
                        ? new FfprobeCheck(settings.get("camelcast.recording.ffprobe-path"), presigner) : null, checksums,
                settings.getLong("camelcast.recording.single-put-limit"));
        registry.bind("scheduleStore", schedules);
        registry.bind("scheduleFetch", new ScheduleFetch(schedules, settings.get("camelcast.schedule.url"),
                java.time.Duration.ofMillis(settings.getInt("camelcast.schedule.timeout")), clock));
        registry.bind("scheduleOverrides", new ScheduleOverrides(schedules));
        RecordingIntake intake = new RecordingIntake(status, hosts,
                settings.getInt("camelcast.recording.webhook-delay"), clock,
                registry.lookupByNameAndType("uploadTargets", UploadTargets.class),
                registry.lookupByNameAndType("outbox", Outbox.class), settings.get("camelcast.recording.incoming-queue"));
        registry.bind("recordingIntake", intake);
        HostConsent consent = HostConsent.of(settings.get("camelcast.zoom.opt-in"), settings.get("camelcast.zoom.opt-out"));
        registry.bind("lateTranscripts", new LateTranscripts(intake, staging, consent,
                registry.lookupByNameAndType("uploadTargets", UploadTargets.class), clock));
        ZoomAccounts accounts = registry.lookupByNameAndType("zoomAccounts", ZoomAccounts.class);
        registry.bind("onDemandIngest", new OnDemandIngest(accounts));
        registry.bind("recordingStaging", staging);
        registry.bind("recordingFetch", new RecordingFetch(status, schedules, staging,
                settings.getInt("camelcast.recording.minimum-duration"),
                ZoneId.of(settings.get("camelcast.schedule.time-zone")), settings.getInt("camelcast.schedule.buffer-minutes"),
                settings.get("camelcast.schedule.default-series-id"), registry.lookupByNameAndType("workClaims", WorkClaims.class),
                settings.getInt("camelcast.idempotency.ttl"), settings.getInt("camelcast.recording.fetch-recheck"),
                new FreshDownloads(accounts), consent));
        registry.bind("recordingFailures", new RecordingFailures(status));
        registry.bind("recordingUploads", new RecordingUploads(bucket,
                List.of(settings.get("camelcast.upload.zoom-views").split(",")), clock));
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() throws Exception {
                    staging.close();
                }
            }, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the staging client's shutdown", e);
        }
    }
}
