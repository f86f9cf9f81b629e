package io.camelcast.runtime;

import org.apache.camel.CamelContext;
import org.apache.camel.main.DefaultMainShutdownStrategy;
import org.apache.camel.main.Main;

/**
 * camel-main as Camelcast runs it. Our own shutdown hook stops Camel, then the embedded servers, in that
 * order, so Main's hang-up handling is off.
 * <p>
 * camel-main pre-parses every route file before loading it, looking for Camel K modelines, {@code beans}
 * and {@code Pipe} resources to set up first; the YAML is then parsed again to load the routes. Camelcast's
 * own route files have none of those, so when the routes are only ours that first parse (~0.2 s of every
 * start) is skipped. An operator's extra route files ({@code camel.main.routes-include-pattern}) get it as before.
 */
final class CamelcastMain extends Main {

    private final boolean ownRoutesOnly;

    CamelcastMain(String expandedRoutesPattern) {
        this.ownRoutesOnly = RouteFiles.ownOnly(expandedRoutesPattern);
        if (getShutdownStrategy() instanceof DefaultMainShutdownStrategy strategy) {
            strategy.disableHangupSupport();
        }
    }

    @Override
    protected void modelineRoutes(CamelContext context) throws Exception {
        if (!ownRoutesOnly) {
            super.modelineRoutes(context);
        }
    }
}
