package io.camelcast.recording;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens Zoom recording file downloads for {@link RecordingStaging}: the HTTP client and its timeouts, a
 * GET from an offset (with {@code Range}), and Zoom's 429s waited out as its {@code Retry-After} says.
 * Apart so the resume and the upload code never deal with rate limits.
 */
final class ZoomFileClient implements AutoCloseable {

    /** Logs under RecordingStaging, as before the split: one category for a file's staging. */
    private static final Logger LOG = LoggerFactory.getLogger(RecordingStaging.class);
    /** 429s waited out per request before the download fails (and its message is redelivered later). */
    private static final int MAX_RATE_LIMITED = 3;

    private final CloseableHttpClient http;

    ZoomFileClient() {
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofSeconds(15))
                                // a stalled transfer fails (and resumes) instead of hanging a consumer for ever
                                .setSocketTimeout(Timeout.ofSeconds(60)).build())
                        .setMaxConnTotal(64).setMaxConnPerRoute(16).build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(60)).build())
                .disableAutomaticRetries()
                .build();
    }

    /**
     * GET of Zoom's file (from {@code offset} with a Range header). A 429 is waited out for as long as
     * Zoom's {@code Retry-After} says (never sooner), up to three times, before it is left to fail.
     */
    ClassicHttpResponse open(String url, String token, long offset) throws IOException {
        for (int limited = 0; ; limited++) {
            HttpGet get = new HttpGet(URI.create(url));
            get.setHeader("Authorization", "Bearer " + token);
            if (offset > 0) {
                get.setHeader("Range", "bytes=" + offset + "-");
            }
            ClassicHttpResponse response = http.executeOpen(null, get, null);
            if (response.getCode() != 429 || limited >= MAX_RATE_LIMITED) {
                return response;
            }
            Duration wait = io.camelcast.zoom.ZoomApi.retryAfter(header(response, "Retry-After"));
            closeQuietly(response);
            LOG.warn("recording download rate limited by Zoom host={} at={} retry_after_ms={} try={}/{}", safeHost(url), offset,
                    wait.toMillis(), limited + 1, MAX_RATE_LIMITED);
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting out Zoom's Retry-After", e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        http.close();
    }

    /** A broken response cannot be drained; closing it must not hide the real outcome. */
    static void closeQuietly(ClassicHttpResponse response) {
        try {
            response.close();
        } catch (IOException ignored) {
            // the connection is gone already
        }
    }

    static String header(ClassicHttpResponse r, String name) {
        Header h = r.getFirstHeader(name);
        return h == null ? null : h.getValue();
    }

    static String safeHost(String url) {
        try {
            return String.valueOf(URI.create(url).getHost());
        } catch (RuntimeException e) {
            return "(unparseable URL)";
        }
    }
}
