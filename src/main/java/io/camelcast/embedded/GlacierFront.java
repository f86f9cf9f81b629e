package io.camelcast.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpEntityEnclosingRequestBase;
import org.apache.http.entity.InputStreamEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Glacier semantics in front of the embedded S3: S3Proxy 4.1 keeps objects of every storage class readable
 * and answers 501 to {@code POST ?restore}, so the archive flow's restore could not be run or tested on the
 * embedded default. This front forwards every request to S3Proxy unchanged (the Host header included, so
 * SigV4 signatures still verify there) and adds what Glacier does:
 * <ul>
 *   <li>an object written with {@code x-amz-storage-class: GLACIER} or {@code DEEP_ARCHIVE} (PUT or
 *   CreateMultipartUpload) is recorded as archived under {@code <data-dir>/s3-glacier/};</li>
 *   <li>HEAD and GET of it carry {@code x-amz-storage-class} and, once asked, {@code x-amz-restore};</li>
 *   <li>GET of an archived object not (or no longer) restored: 403 {@code InvalidObjectState};</li>
 *   <li>{@code POST ?restore}: 202 the first time, 409 {@code RestoreAlreadyInProgress} while it runs,
 *   200 once done; the copy is readable {@code restoreSeconds} after the request
 *   ({@code ongoing-request="false", expiry-date=...}) for the request's {@code Days}.</li>
 * </ul>
 * The restore request itself is answered here without checking its signature (the front listens on loopback
 * only, as the embedded S3 does). The state is files, so several processes on one data directory (a
 * {@code run} and a CLI command) see the same restores, and it survives restarts.
 */
public final class GlacierFront implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GlacierFront.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ARCHIVE_CLASSES = Set.of("GLACIER", "DEEP_ARCHIVE");
    private static final Set<String> HOP_HEADERS = Set.of("content-length", "transfer-encoding", "connection", "expect",
            "keep-alive");
    private static final Pattern DAYS = Pattern.compile("<Days>(\\d+)</Days>");

    private final HttpServer server;
    private final ExecutorService executor;
    private final CloseableHttpClient client;
    private final URI upstream;
    private final Path stateDir;
    private final long restoreMillis;

    private GlacierFront(HttpServer server, ExecutorService executor, URI upstream, Path stateDir, long restoreMillis) {
        this.server = server;
        this.executor = executor;
        this.upstream = upstream;
        this.stateDir = stateDir;
        this.restoreMillis = restoreMillis;
        this.client = HttpClients.custom().disableContentCompression().disableRedirectHandling()
                .disableAutomaticRetries().setMaxConnTotal(64).setMaxConnPerRoute(64).build();
    }

    /** Starts the front on a free loopback port, forwarding to {@code upstream} (the embedded S3). */
    public static GlacierFront start(String upstream, Path dataDir, long restoreSeconds) throws IOException {
        Path state = dataDir.resolve("s3-glacier");
        Files.createDirectories(state);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "glacier-front");
            t.setDaemon(true);
            return t;
        });
        GlacierFront front = new GlacierFront(server, executor, URI.create(upstream), state, restoreSeconds * 1000);
        server.createContext("/", front::handle);
        server.setExecutor(executor);
        server.start();
        LOG.info("Glacier front of the embedded S3 at {} (restores take {} s)", front.endpoint(), restoreSeconds);
        return front;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getRawPath();
            String query = ex.getRequestURI().getRawQuery();
            Map<String, List<String>> params = io.camelcast.embedded.GlacierFront.query(query);
            boolean objectPath = path.indexOf('/', 1) > 0 && path.indexOf('/', 1) < path.length() - 1;
            if (objectPath && "POST".equals(method) && params.containsKey("restore")) {
                restore(ex, path);
                return;
            }
            ObjectNode state = objectPath ? read(path) : null;
            boolean plainObjectCall = params.isEmpty() || params.keySet().stream().allMatch(k -> k.startsWith("response-")
                    || k.equals("versionId") || k.startsWith("X-Amz-") || k.equals("x-id"));
            if (state != null && "GET".equals(method) && plainObjectCall && !readable(state)) {
                error(ex, 403, "InvalidObjectState", "The operation is not valid for the object's storage class");
                return;
            }
            forward(ex, method, path, query, state, objectPath, params);
        } catch (IOException | RuntimeException e) {
            LOG.warn("glacier front: {} {} failed: {}", ex.getRequestMethod(), ex.getRequestURI(), e.toString());
            throw e;
        }
    }

    private void forward(HttpExchange ex, String method, String path, String query, ObjectNode state, boolean objectPath,
                         Map<String, List<String>> params) throws IOException {
        HttpEntityEnclosingRequestBase request = new HttpEntityEnclosingRequestBase() {
            @Override
            public String getMethod() {
                return method;
            }
        };
        request.setURI(URI.create(upstream + path + (query == null ? "" : "?" + query)));
        for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
            if (!HOP_HEADERS.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                for (String v : h.getValue()) {
                    request.addHeader(h.getKey(), v);
                }
            }
        }
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        boolean hasBody = (length != null && !"0".equals(length)) || ex.getRequestHeaders().containsKey("Transfer-Encoding");
        if (hasBody) {
            request.setEntity(new InputStreamEntity(ex.getRequestBody(), length == null ? -1 : Long.parseLong(length)));
        }
        String storageClass = ex.getRequestHeaders().getFirst("x-amz-storage-class");
        try (CloseableHttpResponse response = client.execute(request)) {
            int status = response.getStatusLine().getStatusCode();
            if (objectPath && status / 100 == 2) {
                recordWrite(method, path, params, storageClass, ex.getRequestHeaders().containsKey("x-amz-copy-source"));
            }
            for (Header h : response.getAllHeaders()) {
                if (!HOP_HEADERS.contains(h.getName().toLowerCase(Locale.ROOT))) {
                    ex.getResponseHeaders().add(h.getName(), h.getValue());
                }
            }
            if (state != null && status == 200 && ("HEAD".equals(method) || "GET".equals(method))) {
                ex.getResponseHeaders().set("x-amz-storage-class", state.path("storageClass").asText());
                String restore = restoreHeader(state);
                if (restore != null) {
                    ex.getResponseHeaders().set("x-amz-restore", restore);
                }
            }
            HttpEntity entity = response.getEntity();
            if ("HEAD".equals(method)) {
                Header cl = response.getFirstHeader("Content-Length");
                if (cl != null) {
                    ex.getResponseHeaders().set("Content-Length", cl.getValue());
                }
                ex.sendResponseHeaders(status, -1);
                return;
            }
            if (entity == null) {
                ex.sendResponseHeaders(status, -1);
                return;
            }
            long n = entity.getContentLength();
            ex.sendResponseHeaders(status, n == 0 ? -1 : n < 0 ? 0 : n);
            try (InputStream in = entity.getContent(); OutputStream out = ex.getResponseBody()) {
                in.transferTo(out);
            }
        }
    }

    /** A successful write: an archive class recorded, any other class (or a delete) clears the record. */
    private void recordWrite(String method, String path, Map<String, List<String>> params, String storageClass, boolean copy)
            throws IOException {
        boolean put = "PUT".equals(method) && !params.containsKey("partNumber") && !params.containsKey("tagging")
                && !params.containsKey("acl");
        boolean create = "POST".equals(method) && params.containsKey("uploads");
        if (put || create) {
            if (storageClass != null && ARCHIVE_CLASSES.contains(storageClass.toUpperCase(Locale.ROOT))) {
                ObjectNode s = JSON.createObjectNode();
                s.put("storageClass", storageClass.toUpperCase(Locale.ROOT));
                write(path, s);
            } else {
                Files.deleteIfExists(file(path));
            }
        } else if ("DELETE".equals(method) && params.isEmpty()) {
            Files.deleteIfExists(file(path));
        }
    }

    private void restore(HttpExchange ex, String path) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        synchronized (GlacierFront.class) {
            ObjectNode state = read(path);
            if (state == null) {
                error(ex, 403, "InvalidObjectState", "Restore is not allowed for the object's current storage class");
                return;
            }
            long now = System.currentTimeMillis();
            if (!state.has("restoreRequestedAt") || expired(state, now)) {
                Matcher days = DAYS.matcher(new String(body, StandardCharsets.UTF_8));
                state.put("restoreRequestedAt", now);
                state.put("restoreReadyAt", now + restoreMillis);
                state.put("days", days.find() ? Integer.parseInt(days.group(1)) : 1);
                write(path, state);
                LOG.info("glacier front: restore of {} requested, ready in {} s", path, restoreMillis / 1000);
                ex.sendResponseHeaders(202, -1);
            } else if (now < state.path("restoreReadyAt").asLong()) {
                error(ex, 409, "RestoreAlreadyInProgress", "Object restore is already in progress");
            } else {
                ex.sendResponseHeaders(200, -1);
            }
        }
    }

    private static boolean expired(ObjectNode state, long now) {
        return state.has("restoreReadyAt")
                && now > state.path("restoreReadyAt").asLong() + state.path("days").asLong(1) * 86_400_000L;
    }

    private static boolean readable(ObjectNode state) {
        long now = System.currentTimeMillis();
        return state.has("restoreReadyAt") && now >= state.path("restoreReadyAt").asLong() && !expired(state, now);
    }

    private static String restoreHeader(ObjectNode state) {
        if (!state.has("restoreRequestedAt") || expired(state, System.currentTimeMillis())) {
            return null;
        }
        if (!readable(state)) {
            return "ongoing-request=\"true\"";
        }
        long expiry = state.path("restoreReadyAt").asLong() + state.path("days").asLong(1) * 86_400_000L;
        return "ongoing-request=\"false\", expiry-date=\""
                + DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(expiry).atZone(ZoneOffset.UTC)) + "\"";
    }

    private Path file(String rawPath) {
        return stateDir.resolve(URLEncoder.encode(rawPath.substring(1), StandardCharsets.UTF_8) + ".json");
    }

    private ObjectNode read(String path) throws IOException {
        Path f = file(path);
        try {
            return (ObjectNode) JSON.readTree(Files.readAllBytes(f));
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    private void write(String path, ObjectNode state) throws IOException {
        Path f = file(path);
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp" + Thread.currentThread().getId());
        Files.write(tmp, JSON.writeValueAsBytes(state));
        Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void error(HttpExchange ex, int status, String code, String message) throws IOException {
        byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                + "</Message></Error>").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/xml");
        if ("HEAD".equals(ex.getRequestMethod())) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, xml.length);
        ex.getResponseBody().write(xml);
    }

    static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new java.util.ArrayList<>()).add(v);
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            client.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
