package io.camelcast.zoom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zoom's REST API with Server-to-Server OAuth ({@code grant_type=account_credentials}; the token is
 * cached until a minute before it expires and fetched again after a 401). A 429 is honoured: the call
 * waits for {@code Retry-After} (capped) and tries again.
 *
 * <p>Why not camel-http's OAuth support: it speaks the client_credentials grant only, Zoom wants
 * account_credentials with an account id, and the CLI (on-demand, backfill) needs the same calls outside
 * a route.
 */
public final class ZoomApi {

    private static final Logger LOG = LoggerFactory.getLogger(ZoomApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_RATE_LIMIT_WAITS = 3;
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    private final String apiUrl;
    private final String oauthUrl;
    private final String accountId;
    private final String clientId;
    private final String clientSecret;
    private final HttpClient http;
    private final Clock clock;
    private String token;
    private Instant tokenExpires = Instant.EPOCH;
    private volatile long minIntervalNanos;
    private long nextRequestNanos;

    public ZoomApi(String apiUrl, String oauthUrl, String accountId, String clientId, String clientSecret, Clock clock) {
        this.apiUrl = apiUrl.replaceAll("/+$", "");
        this.oauthUrl = oauthUrl;
        this.accountId = accountId;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A non-2xx answer from Zoom, with its status. */
    public static final class ZoomApiException extends IOException {
        private final int status;

        public ZoomApiException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int getStatus() {
            return status;
        }
    }

    /**
     * At most {@code perSecond} requests per second from this client (Zoom's metrics endpoints are in its
     * "resource-intensive" rate-limit category); 0 or less: no limit.
     */
    public ZoomApi limitRate(double perSecond) {
        this.minIntervalNanos = perSecond <= 0 ? 0 : (long) (1_000_000_000L / perSecond);
        return this;
    }

    private void pace() throws InterruptedException {
        if (minIntervalNanos <= 0) {
            return;
        }
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long at = Math.max(now, nextRequestNanos);
            nextRequestNanos = at + minIntervalNanos;
            wait = at - now;
        }
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    public boolean configured() {
        return notBlank(accountId) && notBlank(clientId) && notBlank(clientSecret);
    }

    /** {@code GET} an API path ({@code meetings/...}); the path is joined to {@code camelcast.zoom.api-url} as the seed did. */
    public JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        URI uri = URI.create(apiUrl + "/" + pathAndQuery.replaceAll("^/+", ""));
        HttpResponse<String> r = send("GET", uri);
        if (r.statusCode() / 100 != 2) {
            throw new ZoomApiException(r.statusCode(), "Zoom API " + uri.getPath() + " answered HTTP " + r.statusCode()
                    + ": " + abbreviate(r.body()));
        }
        return JSON.readTree(r.body());
    }

    /**
     * Every item of a paged listing: {@code pathAndQuery} (with its own query, e.g. {@code users?status=active&page_size=300})
     * is asked page after page with Zoom's {@code next_page_token}, and each element of the page's {@code field}
     * array goes to {@code item}.
     */
    public void forEachItem(String pathAndQuery, String field, java.util.function.Consumer<JsonNode> item)
            throws IOException, InterruptedException {
        String token = "";
        do {
            JsonNode page = get(pathAndQuery + (token.isEmpty() ? "" : "&next_page_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)));
            page.path(field).forEach(item);
            token = page.path("next_page_token").asText("");
        } while (!token.isEmpty());
    }

    /** A meeting instance's recordings with a download token (uuids double-encoded, as Zoom requires). */
    public JsonNode meetingRecordings(String uuid) throws IOException, InterruptedException {
        return get("meetings/" + doubleEncode(uuid) + "/recordings?include_fields=download_access_token&ttl=3600");
    }

    /**
     * {@code DELETE /meetings/{uuid}/recordings?action=trash|delete}: moves a meeting instance's recordings to
     * Zoom's trash, or deletes them. Zoom's 204 returns true; its 404 (code 3301: no such recording, e.g. an
     * earlier call already took it) returns false. Anything else not 2xx (5xx, a 429 that outlasts the waits) is
     * thrown as {@link ZoomApiException} for the caller's retry rules.
     */
    public boolean deleteRecordings(String uuid, String action) throws IOException, InterruptedException {
        URI uri = URI.create(apiUrl + "/meetings/" + doubleEncode(uuid) + "/recordings?action="
                + URLEncoder.encode(action, StandardCharsets.UTF_8));
        HttpResponse<String> r = send("DELETE", uri);
        if (r.statusCode() == 404) {
            return false;
        }
        if (r.statusCode() / 100 != 2) {
            throw new ZoomApiException(r.statusCode(), "Zoom API DELETE " + uri.getPath() + " answered HTTP "
                    + r.statusCode() + ": " + abbreviate(r.body()));
        }
        return true;
    }

    /**
     * One call with the account's token, paced: a 401 fetches a new token and tries once more, a 429 waits for
     * {@code Retry-After} (at most {@code MAX_RATE_LIMIT_WAITS} times); every other answer is the caller's.
     */
    private HttpResponse<String> send(String method, URI uri) throws IOException, InterruptedException {
        if (!configured()) {
            throw new ZoomApiException(0, "Missing api credentials: set camelcast.zoom.account-id, client-id and client-secret");
        }
        boolean refreshed = false;
        for (int waits = 0; ; ) {
            pace();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token()).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 401 && !refreshed) {
                refreshed = true;
                invalidate();
                continue;
            }
            if (r.statusCode() == 429 && waits < MAX_RATE_LIMIT_WAITS) {
                waits++;
                Duration wait = retryAfter(r.headers().firstValue("Retry-After").orElse(null));
                LOG.warn("zoom api rate limited path={} wait_ms={} attempt={}", uri.getPath(), wait.toMillis(), waits);
                Thread.sleep(wait.toMillis());
                continue;
            }
            return r;
        }
    }

    public static String doubleEncode(String uuid) {
        return URLEncoder.encode(URLEncoder.encode(uuid, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    synchronized String token() throws IOException, InterruptedException {
        if (token != null && clock.instant().isBefore(tokenExpires)) {
            return token;
        }
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        String form = "grant_type=account_credentials&account_id=" + URLEncoder.encode(accountId, StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(oauthUrl)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new ZoomApiException(r.statusCode(), "Zoom OAuth answered HTTP " + r.statusCode()
                    + " (check camelcast.zoom.account-id, client-id, client-secret)");
        }
        JsonNode t = JSON.readTree(r.body());
        token = t.path("access_token").asText();
        tokenExpires = clock.instant().plusSeconds(Math.max(0, t.path("expires_in").asLong(3600) - 60));
        return token;
    }

    private synchronized void invalidate() {
        token = null;
    }

    /** Zoom's {@code Retry-After} (seconds or an HTTP date) as a wait, one second when absent, capped at a minute. */
    public static Duration retryAfter(String header) {
        Duration d = Duration.ofSeconds(1);
        if (header != null) {
            try {
                d = Duration.ofSeconds(Long.parseLong(header.trim()));
            } catch (NumberFormatException e) {
                try {
                    d = Duration.between(Instant.now(), java.time.ZonedDateTime.parse(header.trim(),
                            java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                } catch (RuntimeException ignored) {
                    // unparseable: one second
                }
            }
        }
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
