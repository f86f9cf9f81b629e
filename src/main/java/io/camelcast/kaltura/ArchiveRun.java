package io.camelcast.kaltura;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of an archive command: what it was asked (command, filter, dry run or not), where its lines go
 * (the CLI's output, or the log for a scheduled run), the outcome counts and the progress. Every action
 * line starts with {@code DRYRUN} or {@code EXEC}, as the seed's log did.
 */
public final class ArchiveRun {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveRun.class);

    private final String command;
    private final ArchiveFilter filter;
    private final boolean execute;
    private final String mode;
    private final Consumer<String> out;
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private final long startNanos = System.nanoTime();
    private long total = -1;
    private long done;
    private long bytes;
    private int failures;
    private java.nio.file.Path target = java.nio.file.Path.of(".");
    private boolean ldap;

    public ArchiveRun(String command, ArchiveFilter filter, boolean execute, String mode, Consumer<String> out) {
        this.command = command;
        this.filter = filter;
        this.execute = execute;
        this.mode = mode == null ? "video" : mode;
        this.out = out;
    }

    public String getCommand() {
        return command;
    }

    public ArchiveFilter filter() {
        return filter;
    }

    public boolean execute() {
        return execute;
    }

    public String mode() {
        return mode;
    }

    public String prefix() {
        return execute ? "EXEC" : "DRYRUN";
    }

    /** A line as it is (TSV reports). */
    public void print(String line) {
        out.accept(line);
    }

    /** An action line of one entry: {@code DRYRUN | 0_abc | copy | to s3://...}; also logged with the id. */
    public void action(String entryId, String action, String message) {
        String line = prefix() + " | " + entryId + " | " + action + " | " + message;
        out.accept(line);
        LOG.info("kaltura {} entry={} {}: {}", command, entryId, action, message);
    }

    public void outcome(String name) {
        counts.merge(name, 1, Integer::sum);
    }

    /** An entry refused or failed: reported, counted, not fatal. */
    public void refused(String entryId, String action, String reason) {
        action(entryId, action, "REFUSED: " + reason);
        failures++;
        outcome(command.toUpperCase() + "_REFUSED");
    }

    /** Where {@code download} writes (the seed's --tmp). */
    public java.nio.file.Path target() {
        return target;
    }

    public ArchiveRun target(java.nio.file.Path dir) {
        this.target = dir;
        return this;
    }

    /** {@code list --ldap}: the creator's status, name and org_unit from the LDAP directory as three more columns. */
    public boolean ldap() {
        return ldap;
    }

    public ArchiveRun ldap(boolean on) {
        this.ldap = on;
        return this;
    }

    public int failures() {
        return failures;
    }

    public void setTotal(long total) {
        this.total = total;
    }

    /** One entry done: progress in the log (entries done/total, bytes, rate). */
    public void entryDone(String entryId, long entryBytes) {
        done++;
        bytes += entryBytes;
        double seconds = Math.max((System.nanoTime() - startNanos) / 1e9, 1e-3);
        LOG.info("kaltura {} progress {}/{} entries, {} MB, {} MB/s (last {})", command, done,
                total < 0 ? "?" : Long.toString(total), bytes / 1_048_576, String.format("%.1f", bytes / 1_048_576.0 / seconds), entryId);
    }

    public long bytes() {
        return bytes;
    }

    public Map<String, Integer> counts() {
        return counts;
    }

    /** The closing lines: the filter and each outcome's count. */
    public List<String> summary() {
        List<String> lines = new java.util.ArrayList<>();
        lines.add(prefix() + " # " + command.toUpperCase() + " " + filter);
        counts.forEach((k, v) -> lines.add(prefix() + " # " + k + ": " + v));
        lines.add(prefix() + " # entries: " + done + ", bytes: " + bytes);
        return lines;
    }
}
