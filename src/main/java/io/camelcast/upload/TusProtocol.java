package io.camelcast.upload;

import io.camelcast.http.Refused;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TUS 1.0.0 over Camel's platform-http: reads the request's TUS headers, calls {@link TusUploads}, and
 * leaves only the answer's headers on the message (request headers would otherwise be echoed back). The
 * request body is platform-http's paused request, streamed to the staging bucket as it arrives.
 * A finished upload is left in the exchange property {@code tusUpload} for the route to hand on.
 */
public final class TusProtocol {

    private static final Logger LOG = LoggerFactory.getLogger(TusProtocol.class);
    static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";
    /** RFC 7231 dates, as TUS's Upload-Expires wants. */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final TusUploads uploads;
    private final String path;
    private final String baseUrl;
    /**
     * @param path    where TUS is served ({@code /files})
     * @param baseUrl the public URL prefix for Location headers (behind a proxy); blank: from the Host header
     */
    public TusProtocol(TusUploads uploads, String path, String baseUrl) {
        this.uploads = uploads;
        this.path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.baseUrl = baseUrl == null || baseUrl.isBlank() ? null : baseUrl.replaceAll("/+$", "");
    }

    /** OPTIONS: what this server supports (no Tus-Resumable needed from the client). */
    public void options(Exchange exchange) {
        Answer m = answer(exchange, 204);
        m.setHeader("Tus-Version", TusUploads.VERSION);
        m.setHeader("Tus-Extension", TusUploads.EXTENSIONS);
        m.setHeader("Tus-Checksum-Algorithm", TusUploads.CHECKSUMS);
        if (uploads.maxSize() > 0) {
            m.setHeader("Tus-Max-Size", uploads.maxSize());
        }
    }

    /**
     * POST: creation (with a length, or deferred), creation-with-upload when a body comes along, a partial
     * upload, or the final upload of a concatenation ({@code Upload-Concat: final;...}, complete at once).
     */
    public void create(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        requireVersion(in);
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        String concat = in.getHeader("Upload-Concat", String.class);
        String host = host(in);
        TusUploads.Upload u;
        if (concat != null && concat.trim().startsWith("final;")) {
            u = uploads.concatenate(concat, in.getHeader("Upload-Metadata", String.class));
        } else {
            u = uploads.create(in.getHeader("Upload-Length", String.class), in.getHeader("Upload-Defer-Length", String.class),
                    in.getHeader("Upload-Metadata", String.class), concat);
            if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(OFFSET_OCTET_STREAM)) {
                u = uploads.append(u.id(), "0", body(exchange), in.getHeader("Upload-Checksum", String.class), null);
            }
        }
        LOG.info("tus upload created id={} length={} offset={} concat={} filename=\"{}\"", u.id(), u.length(), u.offset(),
                u.concat() == null ? "-" : u.partial() ? "partial" : "final", u.metadata().getOrDefault("filename", ""));
        Answer m = answer(exchange, 201);
        m.setHeader("Location", location(host, u.id()));
        m.setHeader("Upload-Offset", u.offset());
        if (!u.complete()) {
            m.setHeader("Upload-Expires", HTTP_DATE.format(u.expires()));
        }
        finished(exchange, u);
    }

    /** HEAD: where the upload stands; never cached. */
    public void head(Exchange exchange, String id) {
        requireVersion(exchange.getMessage());
        TusUploads.Upload u = uploads.get(id);
        Answer m = answer(exchange, 200);
        m.setHeader("Upload-Offset", u.offset());
        if (u.lengthDeferred()) {
            m.setHeader("Upload-Defer-Length", 1);
        } else {
            m.setHeader("Upload-Length", u.length());
        }
        if (u.concat() != null) {
            m.setHeader("Upload-Concat", u.concat());
        }
        m.setHeader("Cache-Control", "no-store");
        if (!u.metadata().isEmpty()) {
            m.setHeader("Upload-Metadata", encode(u.metadata()));
        }
        if (!u.complete()) {
            m.setHeader("Upload-Expires", HTTP_DATE.format(u.expires()));
        }
    }

    /** PATCH: bytes at the upload's offset. */
    public void patch(Exchange exchange, String id) throws IOException {
        Message in = exchange.getMessage();
        requireVersion(in);
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(OFFSET_OCTET_STREAM)) {
            throw new Refused(415, "Content-Type must be " + OFFSET_OCTET_STREAM);
        }
        TusUploads.Upload u = uploads.append(id, in.getHeader("Upload-Offset", String.class), body(exchange),
                in.getHeader("Upload-Checksum", String.class), in.getHeader("Upload-Length", String.class));
        Answer m = answer(exchange, 204);
        m.setHeader("Upload-Offset", u.offset());
        if (!u.complete()) {
            m.setHeader("Upload-Expires", HTTP_DATE.format(u.expires()));
        }
        finished(exchange, u);
    }

    /** DELETE (termination). */
    public void delete(Exchange exchange, String id) throws IOException {
        requireVersion(exchange.getMessage());
        uploads.terminate(id);
        LOG.info("tus upload terminated id={}", id);
        answer(exchange, 204);
    }

    /** The request's method, or the one X-HTTP-Method-Override names (only on POST, as TUS says). */
    public String method(String override, String method) {
        return override != null && !override.isBlank() && "POST".equalsIgnoreCase(method)
                ? override.trim().toUpperCase(Locale.ROOT) : method;
    }

    /** A method TUS does not define on an upload (a POST without X-HTTP-Method-Override: PATCH). */
    public void unsupported(String method) {
        throw new Refused(405, method + " is not a TUS method on an upload (HEAD, PATCH, DELETE, OPTIONS)");
    }

    /** The id at the end of {@code /files/{id}}. */
    public String id(String requestPath) {
        String p = requestPath == null ? "" : requestPath;
        int slash = p.lastIndexOf('/');
        return slash < 0 ? p : p.substring(slash + 1);
    }

    /** A complete upload goes on to the pipeline; a partial one waits for the final upload that joins it. */
    private void finished(Exchange exchange, TusUploads.Upload u) {
        if (u.complete() && !u.partial()) {
            LOG.info("tus upload complete id={} bytes={}", u.id(), u.length());
            exchange.setProperty("tusUpload", u);
        }
    }

    private static void requireVersion(Message in) {
        String v = in.getHeader("Tus-Resumable", String.class);
        if (!TusUploads.VERSION.equals(v)) {
            throw new Refused(412, "Tus-Resumable: " + TusUploads.VERSION + " is required (got " + v + ")");
        }
    }

    private static InputStream body(Exchange exchange) {
        Message in = exchange.getMessage();
        if (in.getBody() instanceof io.vertx.core.http.HttpServerRequest request) {
            var stream = new io.camelcast.http.VertxRequestStream(request);
            // kept, so a refusal (http-errors) drops what this PATCH has not read
            exchange.setProperty(io.camelcast.http.UnreadBody.STREAM, stream);
            return stream;
        }
        InputStream body = in.getBody(InputStream.class);
        return body == null ? InputStream.nullInputStream() : body;
    }

    /** host:port the client used (HTTP/1.1 Host, or HTTP/2's authority in the request URL). */
    private static String host(Message in) {
        String url = in.getHeader(Exchange.HTTP_URL, String.class);
        if (url != null) {
            try {
                java.net.URI u = java.net.URI.create(url);
                if (u.getHost() != null) {
                    return u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
                }
            } catch (IllegalArgumentException ignored) {
                // fall back to Host
            }
        }
        return in.getHeader("Host", String.class);
    }

    private String location(String host, String id) {
        String base = baseUrl != null ? baseUrl : "http://" + (host == null ? "localhost" : host);
        return base + path + "/" + id;
    }

    /**
     * The answer is kept aside (exchange property {@code tusAnswer}) while the route may still queue the
     * finished upload, and put on the message by {@link #respond} as the route's last step.
     */
    private static Answer answer(Exchange exchange, int status) {
        Answer a = new Answer();
        a.put(Exchange.HTTP_RESPONSE_CODE, status);
        a.put("Tus-Resumable", TusUploads.VERSION);
        exchange.setProperty("tusAnswer", a);
        return a;
    }

    /** The TUS answer, and only it (request headers would otherwise be echoed back). */
    public void respond(Exchange exchange) {
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        Answer a = exchange.getProperty("tusAnswer", Answer.class);
        if (a != null) {
            a.forEach(m::setHeader);
        }
        m.setBody("");
    }

    /** Response headers by name. */
    static final class Answer extends java.util.LinkedHashMap<String, Object> {
        void setHeader(String name, Object value) {
            put(name, value);
        }
    }

    static String encode(Map<String, String> metadata) {
        return metadata.entrySet().stream()
                .map(e -> e.getKey() + (e.getValue().isEmpty() ? ""
                        : " " + Base64.getEncoder().encodeToString(e.getValue().getBytes(StandardCharsets.UTF_8))))
                .collect(Collectors.joining(","));
    }
}
