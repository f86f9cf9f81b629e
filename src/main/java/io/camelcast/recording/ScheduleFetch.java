package io.camelcast.recording;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schedule from {@code camelcast.schedule.url}: the CSV {@code schedule import} reads (e.g. a Google Sheets
 * CSV export), fetched at start and on {@code camelcast.schedule.cron} (routes/recording-schedule.yaml). A good
 * fetch replaces the previous fetch's meetings (ScheduleStore.replaceFetched); a failed or malformed one keeps
 * the last good schedule, logs a WARN with the reason and records it for {@code schedule list} and status.
 * The URL's query string and long path keys are never logged ({@link #masked}): such URLs carry the sheet's key.
 */
public final class ScheduleFetch {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleFetch.class);
    /** A class schedule is a few hundred rows; anything much larger is not one. */
    static final int MAX_BYTES = 8 << 20;

    private final ScheduleStore store;
    private final String url;
    private final Duration timeout;
    private final HttpClient http;
    private final Clock clock;

    public ScheduleFetch(ScheduleStore store, String url, Duration timeout, Clock clock) {
        this.store = store;
        this.url = url == null || url.isBlank() ? null : url.strip();
        this.timeout = timeout;
        this.clock = clock;
        // Google's export URLs answer with a redirect to the file's host
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /** True when a URL is configured. */
    public boolean enabled() {
        return url != null;
    }

    /**
     * Fetches and stores the schedule; never throws for a bad answer (the last good schedule stays). Returns
     * what happened, one line.
     */
    public String fetch() {
        if (url == null) {
            return "no camelcast.schedule.url";
        }
        String source = masked(url);
        ScheduleCsv.ScheduleImport parsed;
        try {
            parsed = ScheduleCsv.parse(new StringReader(download()));
            if (parsed.schedules().isEmpty()) {
                throw new IllegalArgumentException("no usable row (" + parsed.skipped().size() + " skipped"
                        + (parsed.skipped().isEmpty() ? "" : ", first: " + parsed.skipped().get(0)) + ")");
            }
        } catch (IOException | RuntimeException e) {
            String reason = e instanceof java.net.http.HttpTimeoutException ? "timed out after " + timeout.toMillis() + " ms"
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            reason = reason.replace(url, source);
            store.fetchFailed(source, reason, clock.instant());
            String kept = store.sources().get("fetch.time");
            LOG.warn("schedule fetch from {} failed: {}; keeping {}", source, reason,
                    kept == null ? "the schedule as it is (no good fetch yet)" : "the schedule fetched at " + kept);
            return "failed: " + reason;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        int n = store.replaceFetched(parsed.schedules(), source, clock.instant());
        for (String skipped : parsed.skipped()) {
            LOG.info("schedule fetch from {}: skipped {}", source, skipped);
        }
        LOG.info("schedule fetched from {}: {} meeting(s), {} row(s) skipped", source, n, parsed.skipped().size());
        return "fetched " + n + " meeting(s)";
    }

    private String download() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Accept", "text/csv, text/plain;q=0.9, */*;q=0.1").GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + " from the schedule URL");
            }
            String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
            if (type.startsWith("text/html")) {
                // what Google answers for a sheet that is not shared or published: its sign-in page
                throw new IOException("the schedule URL answered an HTML page, not CSV (is the sheet shared or published as CSV?)");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[16384];
            for (int n; (n = body.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                if (out.size() > MAX_BYTES) {
                    throw new IOException("the schedule is larger than " + MAX_BYTES + " bytes: not a class schedule");
                }
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * The URL as logs, {@code schedule list} and status show it: no user info, no query string, and path
     * segments long enough to be a key (a published sheet's {@code /d/e/2PACX-...}) cut to their first four
     * characters. {@code https://docs.google.com/spreadsheets/d/e/2PAC…/pub?****}.
     */
    public static String masked(String url) {
        try {
            URI u = URI.create(url);
            StringBuilder b = new StringBuilder();
            b.append(u.getScheme()).append("://").append(u.getHost());
            if (u.getPort() >= 0) {
                b.append(':').append(u.getPort());
            }
            String path = u.getRawPath() == null ? "" : u.getRawPath();
            for (String segment : path.split("/", -1)) {
                if (segment.isEmpty()) {
                    continue;
                }
                b.append('/').append(segment.length() >= 20 ? segment.substring(0, 4) + "…" : segment);
            }
            if (u.getRawQuery() != null) {
                b.append("?****");
            }
            return b.toString();
        } catch (RuntimeException e) {
            return "(an unreadable URL)";
        }
    }
}
