package io.camelcast.kaltura;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run of an archive command in routes/kaltura-archive.yaml: its start (the filter checked, a Kaltura
 * session, the report's header), the selection it walks, count, config, download, and its end (the
 * summary). Scheduled runs ({@code camelcast.kaltura.archive-cron}, {@code restore-cron}) are made here from
 * their properties.
 */
public final class KalturaArchive {

    private static final Logger LOG = LoggerFactory.getLogger(KalturaArchive.class);
    /** Commands that change something: 25 entries at most unless --max-entries says otherwise (the seed's). */
    static final Set<String> WORK = Set.of("copy", "replace", "restore", "repair");

    private final KalturaApi api;
    private final ArchiveStore store;
    private final ArchiveReports reports;
    private final ContentSwap swap;
    private final EntryEdits edits;
    private final Path placeholder;
    private final int window;
    private final Clock clock;

    public KalturaArchive(KalturaApi api, ArchiveStore store, ArchiveReports reports, ContentSwap swap, EntryEdits edits,
                          Path placeholder, int window, Clock clock) {
        this.api = api;
        this.store = store;
        this.reports = reports;
        this.swap = swap;
        this.edits = edits;
        this.placeholder = placeholder;
        this.window = window;
        this.clock = clock;
    }

    public void begin(ArchiveRun run) {
        run.filter().validate();
        api.startSession();
        reports.header(run);
    }

    private Selection selection(ArchiveRun run) throws IOException {
        ArchiveFilter f = run.filter();
        long max = f.maxEntries != null ? f.maxEntries : WORK.contains(run.getCommand()) || "download".equals(run.getCommand()) ? 25 : -1;
        Integer extra = "replace".equals(run.getCommand()) ? swap.minAgeYears() : null;
        return new Selection(api, f, f.entryIds(), max, clock.instant().getEpochSecond(), extra, window);
    }

    public Iterator<MediaEntry> select(ArchiveRun run) throws IOException {
        Selection s = selection(run);
        if (WORK.contains(run.getCommand())) {
            long max = run.filter().maxEntries != null ? run.filter().maxEntries : 25;
            long count = s.count();
            run.setTotal(max < 0 ? count : Math.min(count, max));
        }
        return s;
    }

    public void count(ArchiveRun run) throws IOException {
        long n = selection(run).count();
        run.print("#FILTER\t" + run.filter());
        run.print("#COUNT\t" + n);
    }

    public void replace(ArchiveRun run, MediaEntry e) throws IOException {
        swap.replace(run, e, clock.instant().getEpochSecond());
    }

    /** A Kaltura error about one entry: reported by id, the run goes on. */
    public void failed(ArchiveRun run, MediaEntry e, Exception cause) {
        run.refused(e.id(), run.getCommand(), cause.getMessage());
    }

    /** archive config: can Kaltura, the bucket and the placeholder be used? Prints one line each. */
    public void config(ArchiveRun run) {
        check(run, "kaltura", () -> api.startSession());
        check(run, "bucket", () -> store.checkBucket());
        check(run, "placeholder", () -> {
            if (placeholder == null || !Files.isReadable(placeholder)) {
                throw new IOException("cannot read " + placeholder + " (camelcast.kaltura.placeholder-video)");
            }
        });
    }

    private interface Check {
        void run() throws Exception;
    }

    private static void check(ArchiveRun run, String what, Check check) {
        try {
            check.run();
            run.print("config\t" + what + "\tOK");
        } catch (Exception e) {
            run.print("config\t" + what + "\tFAILED\t" + e.getMessage());
            run.outcome("CONFIG_FAILED");
        }
    }

    public void saveDownload(ArchiveRun run, MediaEntry e, InputStream body) throws IOException {
        Files.createDirectories(run.target());
        Path file = run.target().resolve(e.id() + ".mp4");
        try (InputStream in = body) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        run.print("downloaded to " + file);
        run.entryDone(e.id(), Files.size(file));
    }

    public ArchiveRun finish(ArchiveRun run) {
        switch (run.getCommand()) {
            case "stats" -> reports.statsReport(run);
            case "copy", "replace", "restore", "repair" -> run.summary().forEach(run::print);
            default -> {
            }
        }
        return run;
    }

    /** A scheduled run: the filter words of its property, dry run unless camelcast.kaltura.scheduled-execute. */
    public ArchiveRun scheduled(String command, String filterWords, boolean execute) {
        ArchiveFilter f = ArchiveFilter.parse(filterWords);
        return new ArchiveRun(command, f, execute, "video", line -> LOG.info("kaltura scheduled {}: {}", command, line));
    }

    static List<String> commands() {
        return List.of("list", "count", "copy", "replace", "restore", "repair", "health", "stats", "config", "download");
    }
}
