package io.camelcast.runtime;

import io.camelcast.config.Settings;
import io.camelcast.http.Cors;
import io.camelcast.http.Refused;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Camelcast adds to the HTTP server camel-main runs ({@code camel.server.*}), once that server has started
 * and before the routes take requests:
 * <ul>
 * <li>the {@link Cors} handler in front of the routes a browser page calls; with
 * {@code camelcast.http.cors-origins} blank nothing is installed (no CORS, as before);</li>
 * <li>the answer to a body over {@code camelcast.http.max-body}: Vert.x's body handler refuses it before any
 * route runs, and without a handler of ours it answered plain "Request Entity Too Large" and logged an ERROR
 * with no request in it ("Unhandled exception in router"). Now it is a refusal like the routes' own: JSON
 * {@code {"message": ...}} and one INFO line with the method and path.</li>
 * </ul>
 */
final class HttpServerSetup implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServerSetup.class);
    /** Before every Camel route (they take Vert.x's default order, counting up from 0). */
    private static final int ORDER = -1000;

    private final Cors cors;
    private final List<String> paths;
    private final long maxBody;
    private boolean installed;

    HttpServerSetup(Settings settings) {
        this.cors = new Cors(settings.get("camelcast.http.cors-origins", ""));
        String tus = settings.get("camelcast.upload.tus-path").replaceAll("/+$", "");
        this.paths = List.of("/ingest", tus, tus + "/*", "/zoom-upload", "/manual-upload", "/custom-upload", "/uploads/*");
        this.maxBody = settings.getLong("camelcast.http.max-body");
    }

    static void register(CamelContext context, Settings settings) {
        try {
            context.addStartupListener(new HttpServerSetup(settings));
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the HTTP server: " + e.getMessage(), e);
        }
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        install(context);
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        install(context);
        if (!installed && cors.enabled() && context.hasService(MainHttpServer.class) != null) {
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
            // camel.server.enabled=false (one-shot commands): no HTTP
            return;
        }
        // a failure handler on every path: camel-main's routes sit in a sub-router, where the top router's
        // errorHandler(413, ...) is not reachable
        router.route().order(ORDER).failureHandler(this::failed);
        if (cors.enabled()) {
            for (String path : paths) {
                router.route(path).order(ORDER).handler(cors);
            }
            LOG.info("CORS (camelcast.http.cors-origins) on {}", String.join(" ", paths));
        }
        installed = true;
    }

    private void failed(RoutingContext ctx) {
        if (ctx.statusCode() == 413) {
            tooLarge(ctx);
        } else {
            ctx.next();
        }
    }

    private void tooLarge(RoutingContext ctx) {
        Refused refused = new Refused(413, "the body is larger than camelcast.http.max-body (" + maxBody + " bytes)");
        LOG.info("http refused status=413 method={} path={} reason=\"{}\"", ctx.request().method(), ctx.request().path(),
                refused.getMessage());
        HttpServerResponse response = ctx.response();
        if (!response.ended() && !response.closed()) {
            response.setStatusCode(413).putHeader("Content-Type", "application/json").end(refused.getJson());
        }
    }
}
