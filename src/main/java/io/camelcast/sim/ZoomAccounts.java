package io.camelcast.sim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Zoom simulator's further accounts: a university with one Zoom account per campus has one
 * Server-to-Server OAuth app per account, each with its own account id, client id and secret. The account
 * set by {@link ZoomSimulator#setCredentials} (by default {@code sim-account}) stays the default one; these
 * are the others. A token the simulator issues belongs to one account and reads only that account's
 * recordings and users, as Zoom's do.
 *
 * <p>{@code POST /_sim/accounts} {@code {"accountId","clientId","clientSecret"}} adds (or replaces) one;
 * {@code GET /_sim/accounts} lists them (ids only, no secrets).
 */
final class ZoomAccounts {

    record Account(String accountId, String clientId, String clientSecret) {
        String basic() {
            return "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        }
    }

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();

    void add(String accountId, String clientId, String clientSecret) {
        if (blank(accountId) || blank(clientId) || blank(clientSecret)) {
            throw new IllegalArgumentException("an account needs accountId, clientId and clientSecret");
        }
        accounts.put(accountId, new Account(accountId, clientId, clientSecret));
    }

    /** The account whose app sent this {@code Authorization: Basic} header, or null. */
    Account byBasic(String authorization) {
        if (authorization == null) {
            return null;
        }
        for (Account a : accounts.values()) {
            if (a.basic().equals(authorization)) {
                return a;
            }
        }
        return null;
    }

    List<Map<String, Object>> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Account a : accounts.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("accountId", a.accountId());
            m.put("clientId", a.clientId());
            out.add(m);
        }
        return out;
    }

    void clear() {
        accounts.clear();
    }

    /** {@code POST /_sim/accounts}. */
    void addOnRequest(SimServer.Request r) throws java.io.IOException {
        var body = ZoomConventions.objectBody(r);
        try {
            add(body.path("accountId").asText(null), body.path("clientId").asText(null), body.path("clientSecret").asText(null));
        } catch (IllegalArgumentException e) {
            r.json(400, Map.of("message", e.getMessage()));
            return;
        }
        r.json(201, Map.of("accountId", body.path("accountId").asText()));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
