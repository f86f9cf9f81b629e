package io.camelcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelcast.http.Refused;
import io.camelcast.runtime.Services;
import io.camelcast.zoom.ZoomAccounts;
import io.camelcast.zoom.ZoomApi;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code camelcast backfill --from DATE --to DATE [--user ID] [--account NAME]}: every cloud recording Zoom lists
 * for the range (one-month windows, as the API requires; {@code next_page_token} paging) is queued as its webhook
 * would have been. Recordings already queued by the webhook or an earlier backfill are skipped, so a
 * backfill can be run again after an interruption.
 *
 * <p>{@code --account NAME} backfills a whole Zoom account ({@code camelcast.zoom.accounts.<NAME>}, or
 * {@code default}) with that account's OAuth app: every user Zoom lists for it ({@code GET /users}, active and
 * deactivated, paged), each user's recordings window by window; with {@code --user} only that user of the account.
 */
@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = {"Queue past Zoom cloud recordings for ingest, as their webhooks would have.",
                "Already queued recordings are skipped; progress goes to stderr, the summary to stdout."})
public final class BackfillCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ConfigOption config;

    @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD")
    String from;

    @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD")
    String to;

    @Option(names = "--user", paramLabel = "ID",
            description = "Zoom user id or email whose recordings are listed (default: me; with --account: every user).")
    String user;

    @Option(names = "--account", paramLabel = "NAME",
            description = "Zoom account to backfill (camelcast.zoom.accounts.<NAME>, or default): every user of it unless --user.")
    String account;

    @Option(names = "--dry-run", description = "List what would be queued; queue nothing.")
    boolean dryRun;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LocalDate start;
        LocalDate end;
        try {
            start = LocalDate.parse(from);
            end = LocalDate.parse(to);
        } catch (DateTimeParseException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "dates are YYYY-MM-DD: " + e.getParsedString());
        }
        if (end.isBefore(start)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--to is before --from");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Services services = Services.open(config.load());
             RecordingQueue queue = new RecordingQueue(services.settings())) {
            String name;
            try {
                name = queue.account(account);
            } catch (Refused r) {
                throw new CommandLine.ParameterException(spec.commandLine(), r.getMessage());
            }
            ZoomApi zoom = queue.zoom(name);
            if (!zoom.configured()) {
                throw new CommandLine.ParameterException(spec.commandLine(), name == null
                        ? "set camelcast.zoom.account-id, client-id and client-secret (Server-to-Server OAuth app)"
                        : "set camelcast.zoom.accounts." + name + ".account-id, client-id and client-secret (its Server-to-Server OAuth app)");
            }
            List<String> users = account != null && user == null ? users(zoom, err) : List.of(user == null ? "me" : user);
            Map<String, JsonNode> meetings = new LinkedHashMap<>();
            for (String u : users) {
                for (LocalDate[] w : windows(start, end)) {
                    zoom.forEachItem("users/" + URLEncoder.encode(u, StandardCharsets.UTF_8) + "/recordings?from=" + w[0]
                            + "&to=" + w[1] + "&page_size=300", "meetings", m -> meetings.putIfAbsent(m.path("uuid").asText(), m));
                    err.printf("backfill listed%s window=%s..%s recordings_so_far=%d%n", users.size() > 1 ? " user=" + u : "",
                            w[0], w[1], meetings.size());
                    err.flush();
                }
            }
            int queued = 0;
            int skipped = 0;
            int failed = 0;
            int n = 0;
            for (Map.Entry<String, JsonNode> m : meetings.entrySet()) {
                n++;
                String uuid = m.getKey();
                String zipId = "auto-ingest-" + uuid;
                String outcome;
                if (queue.alreadyQueued(zipId)) {
                    skipped++;
                    outcome = "skipped (already queued)";
                } else if (dryRun) {
                    outcome = "would queue";
                } else {
                    try {
                        JsonNode recording = queue.onDemand().fetch(name, uuid);
                        var event = queue.onDemand().event(uuid, recording, JSON.createObjectNode(), zipId).withAccount(name);
                        if (queue.enqueue(event) != null) {
                            queued++;
                            outcome = "queued";
                        } else {
                            skipped++;
                            outcome = "skipped (already queued)";
                        }
                    } catch (Refused r) {
                        failed++;
                        outcome = "not queued: " + r.getMessage();
                    }
                }
                err.printf("backfill %d/%d uuid=%s topic=\"%s\" %s%n", n, meetings.size(), uuid,
                        m.getValue().path("topic").asText(), outcome);
                err.flush();
            }
            out.printf("backfill %s..%s %s: %d recording(s) listed, %d queued, %d skipped, %d not queued%n", start, end,
                    account != null && user == null ? "account=" + ZoomAccounts.name(account) + " users=" + users.size()
                            : (account != null ? "account=" + ZoomAccounts.name(account) + " " : "") + "user=" + (user == null ? "me" : user),
                    meetings.size(), queued, skipped, failed);
            out.flush();
            return failed == 0 ? 0 : 1;
        } catch (ZoomApi.ZoomApiException e) {
            err.println("camelcast: " + e.getMessage());
            return 1;
        }
    }

    /** Every user of the account, active and deactivated (their cloud recordings stay), in Zoom's pages. */
    static List<String> users(ZoomApi zoom, PrintWriter err) throws java.io.IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        for (String status : List.of("active", "inactive")) {
            zoom.forEachItem("users?status=" + status + "&page_size=300", "users", u -> {
                String id = u.path("id").asText("");
                if (!id.isEmpty() && !ids.contains(id)) {
                    ids.add(id);
                }
            });
        }
        err.printf("backfill listed users=%d%n", ids.size());
        err.flush();
        return ids;
    }

    /** Zoom lists recordings for at most a month at a time. */
    static List<LocalDate[]> windows(LocalDate start, LocalDate end) {
        List<LocalDate[]> out = new ArrayList<>();
        LocalDate s = start;
        while (!s.isAfter(end)) {
            LocalDate e = s.plusMonths(1).minusDays(1);
            if (e.isAfter(end)) {
                e = end;
            }
            out.add(new LocalDate[] {s, e});
            s = e.plusDays(1);
        }
        return out;
    }
}
