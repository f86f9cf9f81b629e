package io.camelcast.zoom;

import io.camelcast.config.Settings;
import io.camelcast.http.Refused;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The Zoom accounts Camelcast serves, by name: each with its own webhook secret (its {@link WebhookVerifier})
 * and its own Server-to-Server OAuth app (its {@link ZoomApi}). A university with one Zoom account per
 * campus names them in {@code camelcast.zoom.accounts.<name>.webhook-secret|account-id|client-id|client-secret|api-url|oauth-url};
 * a key left unset falls back to the single-account key {@code camelcast.zoom.<key>}. The single-account keys
 * themselves are the account named {@value #DEFAULT} (its webhooks at {@code POST /zoom/webhook}), so a
 * configuration written before accounts existed keeps working unchanged.
 *
 * <p>Everything that talks to Zoom for a recording (downloads, backfill, on-demand ingest, clean-up) asks
 * this bean for the recording's own account: null or blank means {@value #DEFAULT}.
 */
public final class ZoomAccounts {

    /** The account the single-account keys ({@code camelcast.zoom.*}) describe. */
    public static final String DEFAULT = "default";
    /** The keys an account may set; each falls back to {@code camelcast.zoom.<key>}. */
    public static final List<String> KEYS = List.of("webhook-secret", "account-id", "client-id", "client-secret", "api-url",
            "oauth-url");
    private static final String PREFIX = "camelcast.zoom.accounts.";
    /** Names appear in URLs ({@code /zoom/webhook/<name>}) and queue messages: plain characters only. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private record Account(ZoomApi api, WebhookVerifier verifier) {
    }

    private final Map<String, Account> accounts;

    private ZoomAccounts(Map<String, Account> accounts) {
        this.accounts = accounts;
    }

    /** The accounts the settings describe: {@value #DEFAULT} always, plus every {@code camelcast.zoom.accounts.<name>}. */
    public static ZoomAccounts from(Settings s) {
        return from(s, Clock.systemUTC());
    }

    public static ZoomAccounts from(Settings s, Clock clock) {
        Set<String> names = new TreeSet<>(names(s.toProperties().stringPropertyNames()));
        Map<String, Account> out = new LinkedHashMap<>();
        out.put(DEFAULT, account(s, DEFAULT, clock));
        for (String name : names) {
            out.putIfAbsent(name, account(s, name, clock));
        }
        return new ZoomAccounts(Collections.unmodifiableMap(out));
    }

    /**
     * The account names among configuration keys. A key under {@code camelcast.zoom.accounts.} that is not
     * {@code <name>.<one of KEYS>} is refused, so a typo fails at start instead of silently falling back.
     */
    static Set<String> names(Iterable<String> keys) {
        Set<String> names = new TreeSet<>();
        for (String key : keys) {
            if (!key.startsWith(PREFIX)) {
                continue;
            }
            String rest = key.substring(PREFIX.length());
            int dot = rest.lastIndexOf('.');
            String name = dot < 0 ? rest : rest.substring(0, dot);
            String field = dot < 0 ? "" : rest.substring(dot + 1);
            if (!KEYS.contains(field)) {
                throw new Settings.ConfigException(key + ": an account takes only " + String.join(", ", KEYS));
            }
            if (!NAME.matcher(name).matches()) {
                throw new Settings.ConfigException(key + ": an account name is letters, digits, '-' and '_' (it is part of "
                        + "the webhook URL /zoom/webhook/<name>)");
            }
            names.add(name);
        }
        return names;
    }

    private static Account account(Settings s, String name, Clock clock) {
        ZoomApi api = new ZoomApi(value(s, name, "api-url"), value(s, name, "oauth-url"), value(s, name, "account-id"),
                value(s, name, "client-id"), value(s, name, "client-secret"), clock)
                .limitRate(Double.parseDouble(s.get("camelcast.zoom.requests-per-second", "0")));
        WebhookVerifier verifier = new WebhookVerifier(value(s, name, "webhook-secret"),
                Duration.ofSeconds(s.getInt("camelcast.zoom.replay-window")), clock);
        return new Account(api, verifier);
    }

    /** An account's value of {@code key}: its own when set, else the single-account one. */
    static String value(Settings s, String name, String key) {
        String own = s.get(PREFIX + name + "." + key);
        return own != null && !own.isEmpty() ? own : s.get("camelcast.zoom." + key);
    }

    /** The name an account is known by: null or blank is {@value #DEFAULT}. */
    public static String name(String account) {
        return account == null || account.isBlank() ? DEFAULT : account.trim();
    }

    /** The name as queue messages carry it: null for {@value #DEFAULT}, so older messages (without one) read alike. */
    public static String messageName(String account) {
        String n = name(account);
        return DEFAULT.equals(n) ? null : n;
    }

    public boolean known(String account) {
        return accounts.containsKey(name(account));
    }

    /** The account's name; {@link Refused} 404 when no account has it (a webhook to an unknown account's URL). */
    public String require(String account) {
        String n = name(account);
        if (!accounts.containsKey(n)) {
            throw new Refused(404, "no Zoom account named '" + n + "' (camelcast.zoom.accounts.<name>.*)");
        }
        return n;
    }

    /** {@link #require} for a route step: nothing back, so the request body stays as it is. */
    public void check(String account) {
        require(account);
    }

    /** The account's API client (its own OAuth app). */
    public ZoomApi api(String account) {
        return accounts.get(require(account)).api();
    }

    /** The account's webhook signature check (its own secret). */
    public WebhookVerifier verifier(String account) {
        return accounts.get(require(account)).verifier();
    }

    /** Every account's name, {@value #DEFAULT} first. */
    public List<String> names() {
        return List.copyOf(accounts.keySet());
    }

    /** {@link WebhookVerifier#verify} with the account's secret. */
    public void verify(String account, String signature, String timestamp, byte[] body) {
        verifier(account).verify(signature, timestamp, body);
    }

    /** {@link WebhookVerifier#validationAnswer} with the account's secret (Zoom's URL validation of that endpoint). */
    public String validationAnswer(String account, String plainToken) {
        return verifier(account).validationAnswer(plainToken);
    }

    @Override
    public String toString() {
        return "ZoomAccounts" + accounts.keySet();
    }
}
