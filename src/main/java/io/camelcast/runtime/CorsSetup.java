package io.camelcast.runtime;

import io.camelcast.config.Settings;
import io.camelcast.http.Cors;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the {@link Cors} handler in front of the routes a browser page calls, on the HTTP server camel-main
 * runs ({@code camel.server.*}), once that server has started and before the routes take requests. With
 * {@code camelcast.http.cors-origins} blank nothing is installed (no CORS, as before).
 */
final class CorsSetup implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(CorsSetup.class);
    /** Before every Camel route (they take Vert.x's default order, counting up from 0). */
    private static final int ORDER = -1000;

    private final Cors cors;
    private final List<String> paths;
    private boolean installed;

    CorsSetup(Settings settings) {
        this.cors = new Cors(settings.get("camelcast.http.cors-origins", ""));
        String tus = settings.get("camelcast.upload.tus-path").replaceAll("/+$", "");
        this.paths = List.of("/ingest", tus, tus + "/*", "/zoom-upload", "/manual-upload", "/custom-upload", "/uploads/*");
    }

    static void register(CamelContext context, Settings settings) {
        CorsSetup setup = new CorsSetup(settings);
        if (setup.cors.enabled()) {
            try {
                context.addStartupListener(setup);
            } catch (Exception e) {
                throw new IllegalStateException("cannot install CORS: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        install(context);
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        install(context);
        if (!installed && context.hasService(MainHttpServer.class) != null) {
            LOG.warn("camelcast.http.cors-origins is set but the HTTP server had no router to install CORS on");
        }
    }

    private synchronized void install(CamelContext context) {
        if (installed) {
            return;
        }
        MainHttpServer server = context.hasService(MainHttpServer.class);
        VertxPlatformHttpRouter router = server == null ? null : server.getRouter();
        if (router == null) {
            // camel.server.enabled=false (one-shot commands): no HTTP, no CORS
            return;
        }
        for (String path : paths) {
            router.route(path).order(ORDER).handler(cors);
        }
        installed = true;
        LOG.info("CORS (camelcast.http.cors-origins) on {}", String.join(" ", paths));
    }
}
