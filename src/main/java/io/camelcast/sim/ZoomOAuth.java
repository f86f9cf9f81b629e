package io.camelcast.sim;

import io.camelcast.sim.SimServer.Handler;
import io.camelcast.sim.SimServer.Request;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The Zoom simulator's server-to-server OAuth: the account it accepts, {@code /oauth/token}, and the
 * Bearer check every API call passes. Kept apart so the REST areas never see credentials, only a gate.
 */
final class ZoomOAuth {

    private final Supplier<String> apiUrl;
    private final Consumer<Request> track;
    private volatile String accountId = ZoomSimulator.DEFAULT_ACCOUNT_ID;
    private volatile String clientId = ZoomSimulator.DEFAULT_CLIENT_ID;
    private volatile String clientSecret = ZoomSimulator.DEFAULT_CLIENT_SECRET;
    private volatile Duration accessTokenTtl = Duration.ofHours(1);
    /** Access tokens and download tokens with their expiry. */
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();

    /** @param track records each call to the token endpoint and behind the gate */
    ZoomOAuth(Supplier<String> apiUrl, Consumer<Request> track) {
        this.apiUrl = apiUrl;
        this.track = track;
        tokens.put(ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN, Instant.MAX);
    }

    void setCredentials(String accountId, String clientId, String clientSecret) {
        this.accountId = accountId;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
    }

    void setAccessTokenTtl(Duration ttl) {
        this.accessTokenTtl = ttl;
    }

    String accountId() {
        return accountId;
    }

    String issueAccessToken() {
        String token = "sim-access-" + UUID.randomUUID();
        tokens.put(token, Instant.now().plus(accessTokenTtl));
        return token;
    }

    /** A recording's download token: valid until {@link #forgetDownloadTokens}. */
    void acceptDownloadToken(String token) {
        tokens.put(token, Instant.MAX);
    }

    /** Forgets recordings' download tokens; access tokens and the default download token stay valid. */
    void forgetDownloadTokens() {
        tokens.entrySet().removeIf(e -> e.getValue().equals(Instant.MAX) && !ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN.equals(e.getKey()));
    }

    void token(Request r) throws IOException {
        track.accept(r);
        Map<String, List<String>> params = new LinkedHashMap<>(r.queryAll());
        String contentType = String.valueOf(r.header("Content-Type"));
        if (contentType.startsWith("application/x-www-form-urlencoded")) {
            SimServer.parseForm(r.bodyText()).forEach(params::putIfAbsent);
        }
        String expected = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(r.header("Authorization"))) {
            r.json(401, Map.of("reason", "Invalid client_id or client_secret", "error", "invalid_client"));
            return;
        }
        if (!"account_credentials".equals(first(params, "grant_type"))) {
            r.json(400, Map.of("reason", "unsupported grant type", "error", "unsupported_grant_type"));
            return;
        }
        if (!accountId.equals(first(params, "account_id"))) {
            r.json(400, Map.of("reason", "Invalid account_id", "error", "invalid_request"));
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access_token", issueAccessToken());
        out.put("token_type", "bearer");
        out.put("expires_in", accessTokenTtl.getSeconds());
        out.put("scope", ZoomSimulator.SCOPES);
        out.put("api_url", apiUrl.get());
        r.json(200, out);
    }

    /** Every API call is recorded, then needs a Bearer token the simulator issued (or a download token). */
    Handler bearer(Handler handler) {
        return r -> {
            track.accept(r);
            String auth = r.header("Authorization");
            String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? auth.substring(7).trim() : r.query("access_token");
            Instant expiry = token == null ? null : tokens.get(token);
            if (expiry == null) {
                r.json(401, Map.of("code", 124, "message", "Invalid access token."));
                return;
            }
            if (Instant.now().isAfter(expiry)) {
                r.json(401, Map.of("code", 124, "message", "Access token is expired."));
                return;
            }
            handler.handle(r);
        };
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
