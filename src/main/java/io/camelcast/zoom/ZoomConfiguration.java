package io.camelcast.zoom;

import io.camelcast.config.Settings;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.slf4j.LoggerFactory;

/**
 * Zoom's beans: the accounts ({@code zoomAccounts}: each account's API client and webhook signature check),
 * and, for what knows only one account, the default account's API client ({@code zoomApi}) and webhook check
 * ({@code webhookVerifier}).
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
    }
}
