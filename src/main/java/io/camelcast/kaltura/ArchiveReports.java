package io.camelcast.kaltura;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;

/**
 * The read-only commands: list (TSV), count, health (TSV: entry_id, healthy, reason) and stats (counts and
 * sizes by created and by played year, and what replacing the archived originals would save).
 */
public final class ArchiveReports {

    static final String LIST_HEADER = String.join("\t", "entry_id", "name", "plays", "status", MediaEntry.ARCHIVED,
            MediaEntry.REPLACED, "created_date", "last_played_date", "creator_id", "category_ids", "original_size_kb");
    /** The seed's add_ldap_status.py columns, after the others. */
    static final String LDAP_COLUMNS = String.join("\t", "status", "name", "org_unit");
    static final String FLAVOR_HEADER = String.join("\t", "flavor_id", "entry_id", "original", "status", "size_kb");

    private final ArchiveStore store;
    private final long placeholderKb;
    private final CreatorDirectory directory;

    public ArchiveReports(ArchiveStore store, long placeholderKb) {
        this(store, placeholderKb, null);
    }

    public ArchiveReports(ArchiveStore store, long placeholderKb, CreatorDirectory directory) {
        this.store = store;
        this.placeholderKb = placeholderKb;
        this.directory = directory;
    }

    private boolean ldap(ArchiveRun run) {
        return run.ldap() && "list".equals(run.getCommand()) && !"flavor".equals(run.mode());
    }

    public void header(ArchiveRun run) {
        switch (run.getCommand()) {
            case "list" -> {
                if (ldap(run)) {
                    if (directory == null) {
                        throw new IllegalStateException("--ldap needs camelcast.ldap.url");
                    }
                    // a fresh connection and cache per run; unreachable: the run stops before any line
                    directory.close();
                    directory.open();
                }
                run.print("flavor".equals(run.mode()) ? FLAVOR_HEADER : ldap(run) ? LIST_HEADER + "\t" + LDAP_COLUMNS : LIST_HEADER);
            }
            case "health" -> run.print("entry_id\thealthy\treason");
            default -> {
            }
        }
    }

    public void list(ArchiveRun run, MediaEntry e) {
        if ("flavor".equals(run.mode())) {
            for (MediaEntry.Flavor f : e.flavors()) {
                run.print(String.join("\t", f.id(), e.id(), Boolean.toString(f.original()), flavorStatus(f.status()),
                        Long.toString(f.sizeKb())));
            }
            return;
        }
        MediaEntry.Flavor original = e.original();
        String person = "";
        if (ldap(run)) {
            CreatorDirectory.Person p = directory.lookup(e.creatorId());
            person = "\t" + String.join("\t", p.status(), p.name(), p.orgUnit());
        }
        run.print(String.join("\t", e.id(), clean(e.name()), Long.toString(e.plays()), entryStatus(e.status()),
                e.hasTag(MediaEntry.ARCHIVED) ? MediaEntry.ARCHIVED : "", e.hasTag(MediaEntry.REPLACED) ? MediaEntry.REPLACED : "",
                date(e.createdAt()), e.lastPlayedAt() == null ? "" : date(e.lastPlayedAt()), e.creatorId(), e.categoriesIds(),
                original == null ? "" : Long.toString(original.sizeKb())) + person);
    }

    public void health(ArchiveRun run, MediaEntry e) {
        EntryHealth.Verdict v = EntryHealth.check(e, store.head(e.id()), store.bucket());
        run.print(e.id() + "\t" + v.healthy() + "\t" + v.reason());
        run.outcome(v.healthy() ? "HEALTHY" : "UNHEALTHY");
    }

    /** Accumulates one entry into the run's stats. */
    public void stats(ArchiveRun run, MediaEntry e) {
        long size = e.totalSizeKb();
        bump(run, "created_year\t" + year(e.createdAt()), size, e.hasTag(MediaEntry.REPLACED));
        bump(run, e.lastPlayedAt() == null ? "played_year\tnever" : "played_year\t" + year(e.lastPlayedAt()), size, false);
        if (e.hasTag(MediaEntry.ARCHIVED) && !e.hasTag(MediaEntry.REPLACED)) {
            bump(run, "replace_would_save", Math.max(0, size - placeholderKb), false);
        }
        bump(run, "all", size, e.hasTag(MediaEntry.REPLACED));
    }

    private final Map<ArchiveRun, Map<String, long[]>> stats = new java.util.concurrent.ConcurrentHashMap<>();

    private void bump(ArchiveRun run, String key, long sizeKb, boolean placeholder) {
        long[] v = stats.computeIfAbsent(run, r -> new TreeMap<>()).computeIfAbsent(key, k -> new long[3]);
        v[0]++;
        v[1] += sizeKb;
        v[2] += placeholder ? 1 : 0;
    }

    public void statsReport(ArchiveRun run) {
        run.print("stats\tkey\tentries\tsize_kb\tplaceholders");
        Map<String, long[]> s = stats.remove(run);
        if (s == null) {
            s = Map.of();
        }
        s.forEach((k, v) -> run.print("stats\t" + k + "\t" + v[0] + "\t" + v[1] + "\t" + v[2]));
    }

    static String date(long epoch) {
        return Instant.ofEpochSecond(epoch).atZone(ZoneOffset.UTC).toLocalDate().toString();
    }

    static int year(long epoch) {
        return Instant.ofEpochSecond(epoch).atZone(ZoneOffset.UTC).getYear();
    }

    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\n', ' ');
    }

    static String entryStatus(int status) {
        return switch (status) {
            case -2 -> "ERROR_IMPORTING";
            case -1 -> "ERROR_CONVERTING";
            case 0 -> "IMPORT";
            case 1 -> "PRECONVERT";
            case 2 -> "READY";
            case 3 -> "DELETED";
            case 4 -> "PENDING";
            case 5 -> "MODERATE";
            case 6 -> "BLOCKED";
            case 7 -> "NO_CONTENT";
            default -> Integer.toString(status);
        };
    }

    static String flavorStatus(int status) {
        String[] names = {"ERROR", "QUEUED", "CONVERTING", "READY", "DELETED", "NOT_APPLICABLE", "TEMP", "WAIT_FOR_CONVERT",
                "IMPORTING", "VALIDATING", "EXPORTING"};
        return status >= -1 && status + 1 < names.length ? names[status + 1] : Integer.toString(status);
    }
}
