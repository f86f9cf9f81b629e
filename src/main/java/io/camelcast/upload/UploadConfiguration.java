package io.camelcast.upload;

import io.camelcast.bunny.BunnyVideos;
import io.camelcast.config.Settings;
import io.camelcast.config.UploadTargets;
import io.camelcast.http.UploadAuth;
import io.camelcast.store.AwsClients;
import io.camelcast.store.Instances;
import io.camelcast.store.StatusStore;
import io.camelcast.store.WorkClaims;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import redis.clients.jedis.UnifiedJedis;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The upload flow's beans (routes/upload-intake.yaml, upload-deliver.yaml): the TUS server, custom uploads,
 * the upload items and their retries, and the targets (archive bucket, Bunny Stream, site notification).
 */
public final class UploadConfiguration implements CamelConfiguration {

    private final Settings settings;

    public UploadConfiguration(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void configure(CamelContext context) {
        Registry registry = context.getRegistry();
        UnifiedJedis redis = registry.lookupByNameAndType("redis", UnifiedJedis.class);
        S3Client s3 = registry.lookupByNameAndType("s3Client", S3Client.class);
        StatusStore status = registry.lookupByNameAndType("statusStore", StatusStore.class);
        Clock clock = Clock.systemUTC();
        // upload bytes live in the shared staging bucket (camelcast.s3.bucket), so any instance serves any upload
        StagingParts stagingParts = new StagingParts(s3, settings.get("camelcast.s3.bucket"));
        long partSize = settings.getLong("camelcast.upload.part-size");
        TusUploads tus = new TusUploads(redis, stagingParts, settings.getLong("camelcast.upload.max-size"), partSize,
                Duration.ofHours(settings.getInt("camelcast.upload.expiry-hours")), clock,
                settings.getLong("camelcast.upload.lock-ttl-ms"), settings.getLong("camelcast.upload.janitor-seconds") * 1000,
                registry.lookupByNameAndType("instances", Instances.class).id());
        LocalFiles localFiles;
        try {
            String root = settings.get("camelcast.upload.root");
            localFiles = new LocalFiles(root == null || root.isBlank() ? null : Path.of(root));
        } catch (IOException e) {
            throw new Settings.ConfigException("camelcast.upload.root: " + e.getMessage());
        }
        Map<String, String> bunnyConfig = new HashMap<>();
        for (String k : List.of("tus-url", "library-id", "api-key", "collection-id", "wait", "poll-seconds",
                "encode-timeout-minutes", "signature-minutes", "request-bytes", "cdn-host")) {
            String v = settings.get("camelcast.bunny." + k);
            if (v != null && !v.isBlank()) {
                bunnyConfig.put(k, v);
            }
        }
        String notifyUrl = settings.get("camelcast.upload.notify-url");
        boolean notify = notifyUrl != null && !notifyUrl.isBlank();
        UploadItems items = new UploadItems(status, registry.lookupByNameAndType("uploadTargets", UploadTargets.class), tus,
                localFiles, s3, !"none".equalsIgnoreCase(settings.get("camelcast.bunny.wait")), notify,
                settings.getBoolean("camelcast.upload.delete-custom-files"),
                settings.getBoolean("camelcast.upload.cleanup-staging"), clock,
                registry.lookupByNameAndType("workClaims", WorkClaims.class), settings.getInt("camelcast.upload.recheck-seconds"),
                stagingParts, partSize);
        S3Client archive = AwsClients.archive(settings);
        BunnyVideos bunny = new BunnyVideos(items, redis, s3, bunnyConfig, clock);
        registry.bind("tusUploads", tus);
        registry.bind("tusProtocol", new TusProtocol(tus, settings.get("camelcast.upload.tus-path"),
                settings.get("camelcast.upload.tus-base-url")));
        registry.bind("uploadAuth", new UploadAuth(settings.get("camelcast.api-key"), settings.get("camelcast.upload.jwt-secret"),
                settings.get("camelcast.upload.jwt-issuer")));
        registry.bind("uploadItems", items);
        registry.bind("uploadRetries", new UploadRetries(settings.get("camelcast.upload.retry-delays"), status, items, clock));
        registry.bind("archiveUpload", new ArchiveUpload(archive, s3, settings.get("camelcast.archive.bucket"),
                settings.get("camelcast.archive.key-pattern"), settings.getLong("camelcast.archive.part-size"),
                settings.get("camelcast.archive.storage-class"), items, clock, AwsClients.archiveSharesStaging(settings)));
        registry.bind("bunnyVideos", bunny);
        registry.bind("notifications", new Notifications(items, bunny,
                notify ? new NotifySigner(settings.get("camelcast.upload.notify-secret")) : null, clock));
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    tus.close();
                    archive.close();
                }
            }, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the archive client shutdown", e);
        }
    }
}
