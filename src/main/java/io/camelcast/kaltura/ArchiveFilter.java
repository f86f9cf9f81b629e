package io.camelcast.kaltura;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Which entries a run works on: the seed's filter options, AND-combined, turned into one
 * {@code KalturaESearchEntryParams}. Used by the CLI (as a picocli mixin) and by the scheduled runs
 * (parsed from {@code camelcast.kaltura.archive-filter} / {@code restore-filter}), so both read the same
 * words. The seed's spellings with {@code _} are accepted beside the dashed ones.
 */
public final class ArchiveFilter {

    public static final List<String> DEFAULT_STATUSES = List.of("-1", "-2", "0", "1", "2", "7", "4");
    /** Kaltura's ESearch enums (KalturaESearchItemType, KalturaESearchOperatorType). */
    static final int EXACT_MATCH = 1;
    static final int RANGE = 5;
    static final int AND = 1;
    static final int OR = 2;
    static final int NOT = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = {"-t", "--tag"}, paramLabel = "TAG", description = "Entries with this tag (exact match); !TAG: without it.")
    public String tag;

    @Option(names = {"-c", "--category"}, paramLabel = "ID", description = "Entries in this category id.")
    public String category;

    @Option(names = "--plays", paramLabel = "N", description = "Entries played fewer than N times (--plays 1: never played).")
    public Long plays;

    @Option(names = "--status", arity = "1..*", paramLabel = "S",
            description = "Entry statuses (default -1 -2 0 1 2 7 4; 2 = READY).")
    public List<String> status;

    @Option(names = {"--created-within", "--created_within"}, paramLabel = "YEARS", description = "Created within the last YEARS years.")
    public Integer createdWithin;

    @Option(names = {"--created-before", "--created_before"}, paramLabel = "YEARS", description = "Created more than YEARS years ago.")
    public Integer createdBefore;

    @Option(names = {"-p", "--played-within", "--played_within"}, paramLabel = "YEARS", description = "Played within the last YEARS years.")
    public Integer playedWithin;

    @Option(names = {"-u", "--unplayed-for", "--unplayed_for"}, paramLabel = "YEARS", description = "Last played more than YEARS years ago (never-played entries do not match).")
    public Integer unplayedFor;

    @Option(names = {"-i", "--id"}, paramLabel = "ENTRY_ID", description = "This entry (repeatable).")
    public List<String> ids;

    @Option(names = {"-I", "--idfile"}, paramLabel = "FILE", description = "Entry ids, one a line (blank lines skipped).")
    public Path idFile;

    @Option(names = {"-f", "--first-page", "--first_page"}, paramLabel = "N", description = "Page to start from (default 1).")
    public int firstPage = 1;

    @Option(names = {"-s", "--page-size", "--page_size"}, paramLabel = "N", description = "Entries per page (at most 500).")
    public int pageSize = 500;

    @Option(names = {"-M", "--max-entries", "--max_entries"}, paramLabel = "N",
            description = "Entries to work on at most (-1: unlimited; default 25 for copy/replace/restore/repair, unlimited otherwise).")
    public Integer maxEntries;

    /** Parses the filter words of a scheduled run's property. */
    public static ArchiveFilter parse(String words) {
        ArchiveFilter f = new ArchiveFilter();
        String w = words == null ? "" : words.trim();
        new CommandLine(f).parseArgs(w.isEmpty() ? new String[0] : w.split("\\s+"));
        return f;
    }

    /** Checks what picocli cannot; the message names the option. */
    public void validate() {
        if (pageSize < 1) {
            throw new IllegalArgumentException("--page-size must be positive");
        }
        if (firstPage < 1) {
            throw new IllegalArgumentException("--first-page starts at 1");
        }
        for (String s : statuses()) {
            try {
                Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--status takes numbers (KalturaEntryStatus), got " + s);
            }
        }
        if (tag != null && (tag.isBlank() || "!".equals(tag))) {
            throw new IllegalArgumentException("--tag needs a tag name");
        }
    }

    public List<String> statuses() {
        return status == null || status.isEmpty() ? DEFAULT_STATUSES : status;
    }

    /** The entry ids of --id and --idfile (blank lines skipped), or an empty list. */
    public List<String> entryIds() throws IOException {
        List<String> out = new ArrayList<>(ids == null ? List.of() : ids);
        if (idFile != null) {
            for (String line : Files.readAllLines(idFile)) {
                if (!line.isBlank()) {
                    out.add(line.trim());
                }
            }
        }
        return out;
    }

    /** {@code now} minus calendar years, in epoch seconds (the seed's relativedelta). */
    static long yearsAgo(long nowEpoch, int years) {
        return ZonedDateTime.ofInstant(java.time.Instant.ofEpochSecond(nowEpoch), ZoneOffset.UTC).minusYears(years).toEpochSecond();
    }

    /**
     * The ESearch params: AND of media type video, the tag (exact; NOT for {@code !tag}), category, plays,
     * the year ranges, the ids (OR), and {@code createdAtFrom} (the window the walk past 10,000 uses),
     * ordered by creation, oldest first.
     */
    ObjectNode searchParams(long nowEpoch, List<String> entryIds, Long createdAtFrom, Integer extraCreatedBefore) {
        ObjectNode params = JSON.createObjectNode();
        params.put("objectType", "KalturaESearchEntryParams");
        ObjectNode op = params.putObject("searchOperator");
        op.put("objectType", "KalturaESearchEntryOperator");
        op.put("operator", AND);
        ArrayNode items = op.putArray("searchItems");
        items.add(item("media_type", EXACT_MATCH, "1"));
        if (tag != null) {
            if (tag.startsWith("!")) {
                ObjectNode not = items.addObject();
                not.put("objectType", "KalturaESearchEntryOperator");
                not.put("operator", NOT);
                not.putArray("searchItems").add(item("tags", EXACT_MATCH, tag.substring(1)));
            } else {
                items.add(item("tags", EXACT_MATCH, tag));
            }
        }
        if (category != null) {
            ObjectNode c = items.addObject();
            c.put("objectType", "KalturaESearchCategoryEntryItem");
            c.put("fieldName", "ids");
            c.put("itemType", EXACT_MATCH);
            c.put("searchTerm", category);
        }
        if (plays != null) {
            items.add(range("plays", "lessThan", plays));
        }
        if (unplayedFor != null) {
            items.add(range("last_played_at", "lessThanOrEqual", yearsAgo(nowEpoch, unplayedFor)));
        }
        if (playedWithin != null) {
            items.add(range("last_played_at", "greaterThan", yearsAgo(nowEpoch, playedWithin)));
        }
        if (createdBefore != null) {
            items.add(range("created_at", "lessThanOrEqual", yearsAgo(nowEpoch, createdBefore)));
        } else if (extraCreatedBefore != null) {
            items.add(range("created_at", "lessThanOrEqual", yearsAgo(nowEpoch, extraCreatedBefore)));
        }
        if (createdWithin != null) {
            items.add(range("created_at", "greaterThan", yearsAgo(nowEpoch, createdWithin)));
        }
        if (createdAtFrom != null) {
            items.add(range("created_at", "greaterThanOrEqual", createdAtFrom));
        }
        if (!entryIds.isEmpty()) {
            ObjectNode or = items.addObject();
            or.put("objectType", "KalturaESearchEntryOperator");
            or.put("operator", OR);
            ArrayNode ors = or.putArray("searchItems");
            entryIds.forEach(id -> ors.add(item("id", EXACT_MATCH, id)));
        }
        params.put("objectStatuses", String.join(",", statuses()));
        ObjectNode order = params.putObject("orderBy");
        order.put("objectType", "KalturaESearchOrderBy");
        ObjectNode by = order.putArray("orderItems").addObject();
        by.put("objectType", "KalturaESearchEntryOrderByItem");
        by.put("sortField", "created_at");
        by.put("sortOrder", "asc");
        return params;
    }

    private static ObjectNode item(String field, int type, String term) {
        ObjectNode i = JSON.createObjectNode();
        i.put("objectType", "KalturaESearchEntryItem");
        i.put("fieldName", field);
        i.put("itemType", type);
        i.put("searchTerm", term);
        return i;
    }

    private static ObjectNode range(String field, String bound, long value) {
        ObjectNode i = JSON.createObjectNode();
        i.put("objectType", "KalturaESearchEntryItem");
        i.put("fieldName", field);
        i.put("itemType", RANGE);
        ObjectNode r = i.putObject("range");
        r.put("objectType", "KalturaESearchRange");
        r.put(bound, value);
        return i;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Filter(");
        if (tag != null) b.append(" tag=").append(tag);
        if (category != null) b.append(" category=").append(category);
        if (plays != null) b.append(" plays<").append(plays);
        if (createdWithin != null) b.append(" created-within=").append(createdWithin);
        if (createdBefore != null) b.append(" created-before=").append(createdBefore);
        if (playedWithin != null) b.append(" played-within=").append(playedWithin);
        if (unplayedFor != null) b.append(" unplayed-for=").append(unplayedFor);
        if (ids != null) b.append(" id=").append(String.join(",", ids));
        if (idFile != null) b.append(" idfile=").append(idFile);
        b.append(" status=").append(String.join(",", statuses()));
        return b.append(" )").toString();
    }
}
