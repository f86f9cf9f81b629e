package io.camelcast.zoom;

import io.camelcast.config.Settings;
import io.camelcast.store.RecordingStatus;
import io.camelcast.store.WorkClaims;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/** Zoom's beans: the API client (Server-to-Server OAuth), the webhook signature check and the clean-up after a publish. */
public final class ZoomConfiguration implements CamelConfiguration {

    private final Settings settings;

    public ZoomConfiguration(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void configure(CamelContext context) {
        Registry registry = context.getRegistry();
        ZoomApi api = ZoomApi.from(settings);
        registry.bind("zoomApi", api);
        // the clean-up after a verified publish (routes/zoom-cleanup.yaml); the recording's account picks its
        // client here (one account for now: every account name gets the camelcast.zoom.* client)
        registry.bind("zoomCleanup", new ZoomCleanup(settings.get("camelcast.zoom.after-ingest"), account -> api,
                registry.lookupByNameAndType("workClaims", WorkClaims.class),
                registry.lookupByNameAndType("recordingStatus", RecordingStatus.class)));
        registry.bind("webhookVerifier", new WebhookVerifier(settings.get("camelcast.zoom.webhook-secret"),
                Duration.ofSeconds(settings.getInt("camelcast.zoom.replay-window")), Clock.systemUTC()));
    }
}
