package io.camelcast.upload;

import io.camelcast.http.Refused;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * request body is platform-http's stream ({@code useStreaming=true}), written to disk as it arrives.
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
    private final long minFreeBytes;

    /**
     * @param path         where TUS is served ({@code /files})
     * @param baseUrl      the public URL prefix for Location headers (behind a proxy); blank: from the Host header
     * @param minFreeBytes a creation that would leave less free disk than this in the upload folder is refused (507)
     */
    public TusProtocol(TusUploads uploads, String path, String baseUrl, long minFreeBytes) {
        this.uploads = uploads;
        this.path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.baseUrl = baseUrl == null || baseUrl.isBlank() ? null : baseUrl.replaceAll("/+$", "");
        this.minFreeBytes = minFreeBytes;
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

    /** POST: creation, and creation-with-upload when a body comes along. */
    public void create(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        requireVersion(in);
        String length = in.getHeader("Upload-Length", String.class);
        String metadata = in.getHeader("Upload-Metadata", String.class);
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        String checksum = in.getHeader("Upload-Checksum", String.class);
        String host = host(in);
        if (length != null && length.trim().matches("\\d{1,18}") && minFreeBytes >= 0
                && (uploads.maxSize() <= 0 || Long.parseLong(length.trim()) <= uploads.maxSize())) {
            long free = Files.getFileStore(uploads.dir()).getUsableSpace();
            if (free - Long.parseLong(length.trim()) < minFreeBytes) {
                throw new Refused(507, "not enough room for " + length.trim() + " more bytes in the upload folder; try later");
            }
        }
        TusUploads.Upload u = uploads.create(length, metadata);
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(OFFSET_OCTET_STREAM)) {
            u = uploads.append(u.id(), "0", body(in), checksum);
        }
        LOG.info("tus upload created id={} length={} offset={} filename=\"{}\"", u.id(), u.length(), u.offset(),
                u.metadata().getOrDefault("filename", ""));
        Answer m = answer(exchange, 201);
        m.setHeader("Location", location(host, u.id()));
        m.setHeader("Upload-Offset", u.offset());
        m.setHeader("Upload-Expires", HTTP_DATE.format(u.expires()));
        finished(exchange, u);
    }

    /** HEAD: where the upload stands; never cached. */
    public void head(Exchange exchange, String id) {
        requireVersion(exchange.getMessage());
        TusUploads.Upload u = uploads.get(id);
        Answer m = answer(exchange, 200);
        m.setHeader("Upload-Offset", u.offset());
        m.setHeader("Upload-Length", u.length());
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
        TusUploads.Upload u = uploads.append(id, in.getHeader("Upload-Offset", String.class), body(in),
                in.getHeader("Upload-Checksum", String.class));
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

    private void finished(Exchange exchange, TusUploads.Upload u) {
        if (u.complete()) {
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

    private static InputStream body(Message in) {
        if (in.getBody() instanceof io.vertx.core.http.HttpServerRequest request) {
            return new io.camelcast.http.VertxRequestStream(request);
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
