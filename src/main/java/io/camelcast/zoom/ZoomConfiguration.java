package io.camelcast.zoom;

import io.camelcast.config.Settings;
import io.camelcast.store.RecordingStatus;
import io.camelcast.store.WorkClaims;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.slf4j.LoggerFactory;

/**
 * Zoom's beans: the accounts ({@code zoomAccounts}: each account's API client and webhook signature check),
 * for what knows only one account the default account's API client ({@code zoomApi}) and webhook check
 * ({@code webhookVerifier}), and the clean-up in Zoom after a publish ({@code zoomCleanup}).
 */
public final class ZoomConfiguration implements CamelConfiguration {

    private final Settings settings;

    public ZoomConfiguration(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void configure(CamelContext context) {
        Registry registry = context.getRegistry();
        ZoomAccounts accounts = ZoomAccounts.from(settings);
        registry.bind("zoomAccounts", accounts);
        registry.bind("zoomApi", accounts.api(ZoomAccounts.DEFAULT));
        registry.bind("webhookVerifier", accounts.verifier(ZoomAccounts.DEFAULT));
        if (accounts.names().size() > 1) {
            LoggerFactory.getLogger(ZoomConfiguration.class).info("zoom accounts {}", String.join(",", accounts.names()));
        }
        // the clean-up after a verified publish (routes/zoom-cleanup.yaml), with the recording's own account
        registry.bind("zoomCleanup", new ZoomCleanup(settings.get("camelcast.zoom.after-ingest"), accounts::api,
                registry.lookupByNameAndType("workClaims", WorkClaims.class),
                registry.lookupByNameAndType("recordingStatus", RecordingStatus.class)));
    }
}
