package io.camelcast.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * CORS for the endpoints a browser page uses ({@code /ingest}, TUS, the upload endpoints), from
 * {@code camelcast.http.cors-origins}. A Vert.x handler in front of those routes (runtime installs it): an allowed
 * {@code Origin} gets {@code Access-Control-Allow-Origin: <origin>} and the TUS answer headers exposed; its
 * preflight is answered here (204, before any API key check, which a preflight cannot pass: browsers send no
 * custom header with it). Another origin gets no grant: its preflight is refused (403 with the reason) and its
 * other requests go on without CORS headers, so the browser keeps the answer from the page.
 * <p>
 * Not Camel's own platform-http CORS ({@code VertxPlatformHttpServerConfiguration.Cors}): camel-main 4.17 has no
 * {@code camel.server.cors*} keys for it, and it covers every path, sends {@code Access-Control-Allow-Credentials:
 * true} and the allowed methods and headers to any origin, and no {@code Vary: Origin}.
 */
public final class Cors implements Handler<RoutingContext> {

    public static final List<String> METHODS = List.of("POST", "PATCH", "HEAD", "DELETE", "GET", "OPTIONS");
    /** What a browser TUS client (tus-js-client) and an /ingest page send. */
    public static final List<String> ALLOWED_HEADERS = List.of("Tus-Resumable", "Upload-Length", "Upload-Offset",
            "Upload-Metadata", "Upload-Checksum", "Upload-Defer-Length", "Upload-Concat", "Content-Type", "Authorization",
            "X-Api-Key", "X-HTTP-Method-Override", "X-Requested-With");
    /** TUS answer headers a browser client must read (tus-js-client reads Location and Upload-Offset). */
    public static final List<String> EXPOSED_HEADERS = List.of("Upload-Offset", "Location", "Tus-Resumable", "Upload-Length",
            "Upload-Metadata", "Upload-Defer-Length", "Upload-Concat", "Upload-Expires", "Tus-Version", "Tus-Extension",
            "Tus-Max-Size", "Tus-Checksum-Algorithm");
    /** How long a browser may reuse a preflight (seconds; Chromium caps it at 7200). */
    static final String MAX_AGE = "7200";
    private static final String DECIDED = "camelcast.cors.decided";

    /** What to do with one request: answer it now ({@code status} > 0) or go on; the headers to add either way. */
    public record Decision(int status, Map<String, String> headers, String body) {
    }

    private final Set<String> origins;
    private final boolean any;

    /** @param origins the comma list of {@code camelcast.http.cors-origins}; blank: no CORS */
    public Cors(String origins) {
        this.origins = origins == null ? Set.of() : Arrays.stream(origins.split(","))
                .map(String::strip).filter(o -> !o.isEmpty()).map(Cors::normalize).collect(Collectors.toUnmodifiableSet());
        this.any = this.origins.contains("*");
    }

    public boolean enabled() {
        return !origins.isEmpty();
    }

    public boolean allows(String origin) {
        return origin != null && (any || origins.contains(normalize(origin)));
    }

    /** The decision for a request with these headers (null origin: not a cross-origin request, nothing to add). */
    public Decision decide(String method, String origin, String requestMethod) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (origin == null || !enabled()) {
            return new Decision(0, headers, null);
        }
        // the answer differs per Origin: caches must keep them apart
        headers.put("Vary", "Origin");
        boolean preflight = "OPTIONS".equalsIgnoreCase(method) && requestMethod != null;
        if (!allows(origin)) {
            return preflight ? new Decision(403, headers, "{\"message\": \"origin not allowed by camelcast.http.cors-origins\"}")
                    : new Decision(0, headers, null);
        }
        headers.put("Access-Control-Allow-Origin", origin);
        if (preflight) {
            headers.put("Access-Control-Allow-Methods", String.join(", ", METHODS));
            headers.put("Access-Control-Allow-Headers", String.join(", ", ALLOWED_HEADERS));
            headers.put("Access-Control-Max-Age", MAX_AGE);
            return new Decision(204, headers, null);
        }
        headers.put("Access-Control-Expose-Headers", String.join(", ", EXPOSED_HEADERS));
        return new Decision(0, headers, null);
    }

    @Override
    public void handle(RoutingContext context) {
        // a path may match two of the installed routes (/files/ matches /files and /files/*): decide once
        if (context.get(DECIDED) != null) {
            context.next();
            return;
        }
        context.put(DECIDED, Boolean.TRUE);
        HttpServerRequest request = context.request();
        Decision d = decide(request.method().name(), request.getHeader("Origin"), request.getHeader("Access-Control-Request-Method"));
        HttpServerResponse response = context.response();
        d.headers().forEach((name, value) -> response.headers().add(name, value));
        if (d.status() == 0) {
            context.next();
        } else if (d.body() == null) {
            response.setStatusCode(d.status()).end();
        } else {
            response.setStatusCode(d.status()).putHeader("Content-Type", "application/json").end(d.body());
        }
    }

    /** Origins compare as browsers send them: lower-case scheme and host, no trailing slash. */
    private static String normalize(String origin) {
        String o = origin.strip().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
