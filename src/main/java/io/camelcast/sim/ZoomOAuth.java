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
 *
 * <p>Every token belongs to one account (the default one, or one of {@link ZoomAccounts}); the gate tells
 * the REST areas which ({@link #account}), so they serve only that account's recordings. The default
 * download token {@code sim-download-token} belongs to none and opens every account's files. Download tokens
 * can be expired all at once ({@link #expireDownloadTokens}), as Zoom's {@code download_access_token} expires
 * (24 hours): each is then refused with 401, and a new one comes from the recording's API listing.
 */
final class ZoomOAuth {

    /**
     * Per exchange: the account of the token presented (null: any account) and its kind ("access" or
     * "download"). Not HttpExchange attributes: the JDK server keeps those per context, shared by all requests.
     */
    private static final Map<com.sun.net.httpserver.HttpExchange, String[]> PRESENTED =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /** A token: until when, of which account (null: any) and whether it is a download token. */
    record Token(Instant expires, String account, boolean download) {
    }

    private final Supplier<String> apiUrl;
    private final Consumer<Request> track;
    private volatile String accountId = ZoomSimulator.DEFAULT_ACCOUNT_ID;
    private volatile String clientId = ZoomSimulator.DEFAULT_CLIENT_ID;
    private volatile String clientSecret = ZoomSimulator.DEFAULT_CLIENT_SECRET;
    private volatile Duration accessTokenTtl = Duration.ofHours(1);
    /** Access tokens and download tokens with their expiry and account. */
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final ZoomAccounts accounts;

    /** @param track records each call to the token endpoint and behind the gate */
    ZoomOAuth(Supplier<String> apiUrl, Consumer<Request> track) {
        this(apiUrl, track, new ZoomAccounts());
    }

    ZoomOAuth(Supplier<String> apiUrl, Consumer<Request> track, ZoomAccounts accounts) {
        this.apiUrl = apiUrl;
        this.track = track;
        this.accounts = accounts;
        tokens.put(ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN, new Token(Instant.MAX, null, true));
    }

    /** The account of the token the gate accepted for this request; null when the token opens every account. */
    static String account(Request r) {
        String[] p = PRESENTED.get(r.exchange());
        return p == null ? null : p[0];
    }

    /** "access" or "download": the kind of token the request presented (null when none was known). */
    static String tokenKind(Request r) {
        String[] p = PRESENTED.get(r.exchange());
        return p == null ? null : p[1];
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
        return issueAccessToken(accountId);
    }

    /** An access token of this account. */
    String issueAccessToken(String account) {
        String token = "sim-access-" + UUID.randomUUID();
        tokens.put(token, new Token(Instant.now().plus(accessTokenTtl), account, false));
        return token;
    }

    /**
     * A recording's download token, of the recording's account, valid until {@link #forgetDownloadTokens} or
     * {@link #expireDownloadTokens}; the default token opens every account's files. A token already known keeps
     * its state (an expired one stays expired).
     */
    void acceptDownloadToken(String token, String account) {
        tokens.putIfAbsent(token, new Token(Instant.MAX, ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN.equals(token) ? null : account, true));
    }

    /** A new download token of this account for {@code ttlSeconds}, as a recording listing hands out. */
    String issueDownloadToken(String account, long ttlSeconds) {
        String token = "sim-download-" + UUID.randomUUID();
        tokens.put(token, new Token(Instant.now().plusSeconds(Math.max(1, ttlSeconds)), account, true));
        return token;
    }

    /** True while the download token is known and not expired. */
    boolean downloadTokenValid(String token) {
        Token t = token == null ? null : tokens.get(token);
        return t != null && t.download() && Instant.now().isBefore(t.expires());
    }

    /** Every download token issued so far (the default one too) is refused from now on with 401, as expired ones are. */
    int expireDownloadTokens() {
        int n = 0;
        for (Map.Entry<String, Token> e : tokens.entrySet()) {
            if (e.getValue().download() && Instant.now().isBefore(e.getValue().expires())) {
                e.setValue(new Token(Instant.EPOCH, e.getValue().account(), true));
                n++;
            }
        }
        return n;
    }

    /** Forgets recordings' download tokens; access tokens stay valid and the default download token is valid again. */
    void forgetDownloadTokens() {
        tokens.entrySet().removeIf(e -> e.getValue().download());
        tokens.put(ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN, new Token(Instant.MAX, null, true));
    }

    void token(Request r) throws IOException {
        track.accept(r);
        Map<String, List<String>> params = new LinkedHashMap<>(r.queryAll());
        String contentType = String.valueOf(r.header("Content-Type"));
        if (contentType.startsWith("application/x-www-form-urlencoded")) {
            SimServer.parseForm(r.bodyText()).forEach(params::putIfAbsent);
        }
        String expected = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        ZoomAccounts.Account other = accounts.byBasic(r.header("Authorization"));
        String account = expected.equals(r.header("Authorization")) ? accountId : other == null ? null : other.accountId();
        if (account == null) {
            r.json(401, Map.of("reason", "Invalid client_id or client_secret", "error", "invalid_client"));
            return;
        }
        if (!"account_credentials".equals(first(params, "grant_type"))) {
            r.json(400, Map.of("reason", "unsupported grant type", "error", "unsupported_grant_type"));
            return;
        }
        // an app's credentials open only its own account
        if (!account.equals(first(params, "account_id"))) {
            r.json(400, Map.of("reason", "Invalid account_id", "error", "invalid_request"));
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access_token", issueAccessToken(account));
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
            Token t = token == null ? null : tokens.get(token);
            if (t == null) {
                r.json(401, Map.of("code", 124, "message", "Invalid access token."));
                return;
            }
            PRESENTED.put(r.exchange(), new String[] {t.account(), t.download() ? "download" : "access"});
            if (!Instant.now().isBefore(t.expires())) {
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
