package io.camelcast.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.sim.SimServer.Request;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import static io.camelcast.sim.ZoomConventions.ZOOM_TIME;
import static io.camelcast.sim.ZoomConventions.putIfAbsent;

/**
 * The Zoom simulator's users, per account, as {@code GET /v2/users} lists them: Zoom's user object (id, email,
 * names, type, status, ...), filtered by {@code status} (default {@code active}) and paged with
 * {@code page_size} and {@code next_page_token}. A token sees only its own account's users. A recording's host
 * becomes a user of the recording's account when it is registered.
 *
 * <p>{@code POST /_sim/users} registers one (its {@code account_id} names the account, default the default
 * one); {@code GET /_sim/users} lists all; {@code POST /_sim/users/page-size} {@code {"max": N}} makes Zoom
 * answer at most N users per page whatever {@code page_size} asks (Zoom caps page sizes too), so a test can
 * see paging without registering hundreds of users.
 */
final class ZoomUsers {

    private final Supplier<String> defaultAccount;
    private final List<ObjectNode> users = new CopyOnWriteArrayList<>();
    private volatile int maxPageSize = 300;

    ZoomUsers(Supplier<String> defaultAccount) {
        this.defaultAccount = defaultAccount;
    }

    /** Registers a user (Zoom's user object; {@code account_id} picks the account); one with the same id in the account is replaced. */
    ObjectNode register(ObjectNode user) {
        ObjectNode u = user.deepCopy();
        putIfAbsent(u, "account_id", defaultAccount.get());
        putIfAbsent(u, "id", "sim-user-" + Integer.toHexString(Math.floorMod(u.toString().hashCode(), 1 << 24)));
        putIfAbsent(u, "email", u.get("id").asText().toLowerCase(Locale.ROOT) + "@example.edu");
        putIfAbsent(u, "first_name", "Sim");
        putIfAbsent(u, "last_name", u.get("id").asText());
        putIfAbsent(u, "display_name", u.get("first_name").asText() + " " + u.get("last_name").asText());
        if (!u.has("type")) {
            u.put("type", 2);
        }
        putIfAbsent(u, "status", "active");
        putIfAbsent(u, "timezone", "America/New_York");
        putIfAbsent(u, "user_created_at", ZOOM_TIME.format(Instant.parse("2024-01-15T12:00:00Z")));
        putIfAbsent(u, "created_at", u.get("user_created_at").asText());
        putIfAbsent(u, "role_id", "2");
        String account = u.get("account_id").asText();
        String id = u.get("id").asText();
        users.removeIf(x -> account.equals(x.path("account_id").asText()) && id.equals(x.path("id").asText()));
        users.add(u);
        return u;
    }

    /** A recording's host, known from now on as a user of the account (unless it is already). */
    void learnHost(String account, String hostId, String email) {
        boolean known = users.stream().anyMatch(x -> account.equals(x.path("account_id").asText()) && hostId.equals(x.path("id").asText()));
        if (!known) {
            ObjectNode u = SimServer.JSON.createObjectNode();
            u.put("account_id", account);
            u.put("id", hostId);
            u.put("email", email);
            register(u);
        }
    }

    List<ObjectNode> list() {
        return List.copyOf(users);
    }

    void clear() {
        users.clear();
    }

    void setMaxPageSize(int max) {
        this.maxPageSize = Math.max(1, Math.min(300, max));
    }

    /** {@code GET /v2/users?status=active|inactive|pending&page_size&next_page_token}: the token's account's users. */
    void listUsers(Request r) throws IOException {
        String account = ZoomOAuth.account(r) == null ? defaultAccount.get() : ZoomOAuth.account(r);
        String status = r.query("status") == null ? "active" : r.query("status");
        if (!List.of("active", "inactive", "pending").contains(status)) {
            r.json(400, Map.of("code", 300, "message", "Invalid field: status"));
            return;
        }
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode u : users) {
            if (account.equals(u.path("account_id").asText()) && status.equals(u.path("status").asText())) {
                ObjectNode c = u.deepCopy();
                c.remove("account_id");
                out.add(c);
            }
        }
        ObjectNode page = ZoomConventions.page(r, out, "users", maxPageSize);
        page.put("page_number", 1);
        r.json(200, page);
    }

    /** {@code POST /_sim/users/page-size}. */
    void pageSizeOnRequest(Request r) throws IOException {
        int max = ZoomConventions.objectBody(r).path("max").asInt(0);
        if (max < 1) {
            r.json(400, Map.of("message", "need {\"max\": N} with N >= 1"));
            return;
        }
        setMaxPageSize(max);
        r.json(200, Map.of("max", maxPageSize));
    }
}
