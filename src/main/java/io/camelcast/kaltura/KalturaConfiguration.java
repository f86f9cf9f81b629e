package io.camelcast.kaltura;

import io.camelcast.config.Settings;
import io.camelcast.embedded.GlacierFront;
import io.camelcast.store.AwsClients;
import io.camelcast.store.LoopbackPayloadSigning;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The Kaltura archive flow's beans (routes/kaltura-archive.yaml). The archive bucket is reached through the
 * embedded S3's Glacier front when the S3 is the embedded one ({@code camelcast.kaltura.glacier-front=auto}),
 * so copies written as GLACIER behave as in AWS (restore requests, 403 until restored).
 */
public final class KalturaConfiguration implements CamelConfiguration {

    private final Settings settings;

    public KalturaConfiguration(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void configure(CamelContext context) {
        Registry registry = context.getRegistry();
        Settings s3Settings = settings;
        GlacierFront front = null;
        String endpoint = settings.get("camelcast.s3.endpoint");
        String mode = settings.get("camelcast.kaltura.glacier-front", "auto");
        if (settings.isSet("camelcast.kaltura.s3-endpoint")) {
            s3Settings = settings.with("camelcast.s3.endpoint", settings.get("camelcast.kaltura.s3-endpoint"));
        } else if ("true".equals(mode) || ("auto".equals(mode) && LoopbackPayloadSigning.applies(endpoint))) {
            try {
                front = GlacierFront.start(endpoint, settings.dataDir(), settings.getLong("camelcast.kaltura.glacier-restore-seconds"));
            } catch (IOException e) {
                throw new Settings.ConfigException("cannot start the Glacier front of the embedded S3: " + e.getMessage());
            }
            s3Settings = settings.with("camelcast.s3.endpoint", front.endpoint());
        }
        S3Client s3 = AwsClients.s3(s3Settings);
        Clock clock = Clock.systemUTC();
        String placeholderSetting = settings.get("camelcast.kaltura.placeholder-video", "");
        Path placeholder = placeholderSetting.isBlank() ? null : Path.of(placeholderSetting);
        int restoreDays = settings.getInt("camelcast.kaltura.restore-days");
        String restoreTier = settings.get("camelcast.kaltura.restore-tier");
        ArchiveStore store = new ArchiveStore(s3, settings.get("camelcast.kaltura.bucket"), settings.getLong("camelcast.kaltura.part-size"),
                settings.get("camelcast.kaltura.storage-class"), restoreDays, restoreTier);
        KalturaApi api = new KalturaApi(context, settings.get("camelcast.kaltura.partner-id"), settings.get("camelcast.kaltura.secret"),
                settings.get("camelcast.kaltura.user-id"), settings.getLong("camelcast.kaltura.session-seconds"), clock);
        EntryEdits edits = new EntryEdits(api, settings.getInt("camelcast.kaltura.upload-chunk-size"),
                settings.getLong("camelcast.kaltura.ready-poll-ms"), settings.getLong("camelcast.kaltura.ready-timeout-seconds") * 1000);
        long placeholderKb = 0;
        try {
            placeholderKb = placeholder != null && Files.isReadable(placeholder) ? Files.size(placeholder) / 1024 : 0;
        } catch (IOException ignored) {
            // reported by `archive config` and refused by replace
        }
        CreatorDirectory directory = new CreatorDirectory(settings.get("camelcast.ldap.url", ""), settings.get("camelcast.ldap.bind-dn", ""),
                settings.get("camelcast.ldap.password", ""), settings.get("camelcast.ldap.base-dn"), settings.get("camelcast.ldap.uid-attribute"),
                java.util.Arrays.stream(settings.get("camelcast.ldap.name-attributes").split(",")).map(String::trim)
                        .filter(a -> !a.isEmpty()).toList(),
                settings.get("camelcast.ldap.org-unit-attribute"), settings.get("camelcast.ldap.active-filter", ""));
        ArchiveReports reports = new ArchiveReports(store, placeholderKb, directory);
        ContentSwap swap = new ContentSwap(store, edits, placeholder, settings.getInt("camelcast.kaltura.replace-min-age-years"),
                "Days " + restoreDays + ", Tier " + restoreTier);
        String timeout = settings.get("camelcast.kaltura.timeout");
        registry.bind("kalturaAnswers", new KalturaAnswers());
        registry.bind("kalturaApi", api);
        registry.bind("kalturaArchive", new KalturaArchive(api, store, reports, swap, edits, placeholder,
                settings.getInt("camelcast.kaltura.search-window"), clock));
        registry.bind("kalturaReports", reports);
        registry.bind("kalturaCopy", new KalturaCopy(store, edits,
                "disableStreamCache=true&connectTimeout=" + timeout + "&soTimeout=" + timeout));
        registry.bind("kalturaSwap", swap);
        GlacierFront started = front;
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    s3.close();
                    directory.close();
                    if (started != null) {
                        started.close();
                    }
                }
            }, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the Kaltura archive client shutdown", e);
        }
    }
}
