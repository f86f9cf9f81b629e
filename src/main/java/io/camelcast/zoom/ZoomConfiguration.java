package io.camelcast.zoom;

import io.camelcast.config.Settings;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/** Zoom's beans: the API client (Server-to-Server OAuth) and the webhook signature check. */
public final class ZoomConfiguration implements CamelConfiguration {

    private final Settings settings;

    public ZoomConfiguration(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void configure(CamelContext context) {
        Registry registry = context.getRegistry();
        registry.bind("zoomApi", ZoomApi.from(settings));
        registry.bind("webhookVerifier", new WebhookVerifier(settings.get("camelcast.zoom.webhook-secret"),
                Duration.ofSeconds(settings.getInt("camelcast.zoom.replay-window")), Clock.systemUTC()));
    }
}
