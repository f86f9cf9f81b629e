package io.camelcast.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Base of every simulator: a real HTTP server (the JDK's) on a port of its own, a small router,
 * JSON helpers and fault injection ({@code POST /_sim/faults}) so tests can stage outages.
 *
 * <p>Simulators stand in for services that cannot run here (Zoom, Opencast, ...). They keep state
 * in memory, stream large bodies, and expose what they received under {@code /_sim/...}.
 */
public abstract class SimServer implements AutoCloseable {

    protected static final ObjectMapper JSON = new ObjectMapper();

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String name;
    private final List<Route> routes = new ArrayList<>();
    private final Faults faults = new Faults();
    private HttpServer server;
    private ExecutorService executor;

    protected SimServer(String name) {
        this.name = name;
        on("POST", "/_sim/faults", this::addFault);
        on("GET", "/_sim/faults", r -> r.json(200, faults.list()));
        on("DELETE", "/_sim/faults", r -> {
            faults.clear();
            r.empty(204);
        });
    }

    /** Simulator name as printed by {@code camelcast sim}: zoom, opencast, ... */
    public String name() {
        return name;
    }

    /** Starts on the given port on loopback; 0 picks a free one. */
    public synchronized SimServer start(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sim-" + name);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        server.start();
        log.info("simulator {} listening on {}", name, url());
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Base URL without a trailing slash, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public Faults faults() {
        return faults;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    /** Registers a handler; {@code pathPattern} is a regex matched against the whole decoded path. */
    protected final void on(String method, String pathPattern, Handler handler) {
        routes.add(new Route(method, Pattern.compile(pathPattern), handler));
    }

    private void addFault(Request r) throws IOException {
        Faults.Fault fault = JSON.readValue(r.body(), Faults.Fault.class);
        if (fault.status() == 0 && !"close".equals(fault.mode()) && fault.delayMs() == 0) {
            r.text(400, "fault needs status, mode=close or delayMs");
            return;
        }
        faults.add(fault);
        r.json(201, fault);
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            if (!path.startsWith("/_sim/")) {
                Faults.Fault fault = faults.take(method, path);
                if (fault != null && applyFault(exchange, fault)) {
                    return;
                }
            }
            String decoded = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
            boolean pathKnown = false;
            for (Route route : routes) {
                Matcher m = route.pattern.matcher(decoded);
                if (m.matches()) {
                    pathKnown = true;
                    if (route.method.equals(method)) {
                        route.handler.handle(new Request(exchange, m));
                        return;
                    }
                }
            }
            Request r = new Request(exchange, null);
            if (pathKnown) {
                r.text(405, "method " + method + " not allowed on " + decoded);
            } else {
                r.text(404, "no such resource: " + decoded);
            }
        } catch (ConnectionDropped dropped) {
            throw dropped; // the JDK server closes the connection on an IOException from a handler
        } catch (Exception e) {
            log.warn("simulator {} failed on {} {}: {}", name, exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
            try {
                byte[] msg = String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(500, msg.length);
                exchange.getResponseBody().write(msg);
            } catch (IOException ignored) {
                // headers were already sent: the client sees a truncated body
            }
        }
    }

    /** Returns true when the fault answered (or dropped) the request. */
    private boolean applyFault(HttpExchange exchange, Faults.Fault fault) throws IOException {
        if (fault.delayMs() > 0) {
            try {
                Thread.sleep(fault.delayMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if ("close".equals(fault.mode())) {
            // abandon the exchange without a response: the client sees the connection close
            throw new ConnectionDropped();
        }
        if (fault.status() == 0) {
            return false; // delay only
        }
        if (fault.retryAfter() != null) {
            exchange.getResponseHeaders().set("Retry-After", fault.retryAfter());
        }
        byte[] body = ("simulated fault " + fault.status()).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(fault.status(), body.length);
        exchange.getResponseBody().write(body);
        return true;
    }

    /** Thrown to drop a connection without answering. */
    static final class ConnectionDropped extends IOException {
        ConnectionDropped() {
            super("connection dropped by fault");
        }
    }

    @FunctionalInterface
    public interface Handler {
        void handle(Request request) throws Exception;
    }

    private record Route(String method, Pattern pattern, Handler handler) {
    }

    /** One request: path groups, query, headers and body, plus ways to answer it. */
    public static final class Request {
        private final HttpExchange exchange;
        private final Matcher matcher;
        private Map<String, List<String>> query;

        Request(HttpExchange exchange, Matcher matcher) {
            this.exchange = exchange;
            this.matcher = matcher;
        }

        public HttpExchange exchange() {
            return exchange;
        }

        public String method() {
            return exchange.getRequestMethod();
        }

        public URI uri() {
            return exchange.getRequestURI();
        }

        /** Path group {@code i} of the route's regex (1-based). */
        public String path(int i) {
            return matcher.group(i);
        }

        public String header(String name) {
            return exchange.getRequestHeaders().getFirst(name);
        }

        public String query(String name) {
            List<String> values = queryAll().get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        public Map<String, List<String>> queryAll() {
            if (query == null) {
                query = parseForm(exchange.getRequestURI().getRawQuery());
            }
            return query;
        }

        public InputStream bodyStream() {
            return exchange.getRequestBody();
        }

        public byte[] body() throws IOException {
            return exchange.getRequestBody().readAllBytes();
        }

        public String bodyText() throws IOException {
            return new String(body(), StandardCharsets.UTF_8);
        }

        public void json(int status, Object value) throws IOException {
            send(status, "application/json", JSON.writeValueAsBytes(value));
        }

        public void text(int status, String text) throws IOException {
            send(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
        }

        public void xml(int status, String xml) throws IOException {
            send(status, "text/xml; charset=utf-8", xml.getBytes(StandardCharsets.UTF_8));
        }

        public void empty(int status) throws IOException {
            exchange.sendResponseHeaders(status, -1);
        }

        public void send(int status, String contentType, byte[] body) throws IOException {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            if ("HEAD".equals(method())) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }

        public void setHeader(String name, String value) {
            exchange.getResponseHeaders().set(name, value);
        }
    }

    /** Parses {@code a=1&b=2} (query strings and urlencoded forms); keeps every value in order. */
    public static Map<String, List<String>> parseForm(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }
}
