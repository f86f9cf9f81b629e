package io.camelcast.kaltura;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The entries a filter selects, page by page ({@code elasticsearch_esearch.searchEntry}, at most 500 a page,
 * oldest first), each with its flavors (one {@code flavorAsset.list} per page, {@code entryIdIn}). Kaltura
 * serves no result past the 10,000th, so a longer walk continues in a new window from the last
 * {@code createdAt} seen, skipping the entries of that second it already gave. Ids (--id, --idfile) are
 * asked 100 at a time, each batch still ANDed with the other filters.
 */
public final class Selection implements Iterator<MediaEntry> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int IDS_PER_QUERY = 100;

    private final KalturaApi api;
    private final ArchiveFilter filter;
    private final long now;
    private final Integer extraCreatedBefore;
    private final int window;
    private final Deque<List<String>> idGroups = new ArrayDeque<>();
    private final List<List<String>> allGroups;
    private final Deque<MediaEntry> buffer = new ArrayDeque<>();
    private List<String> ids;
    private long remaining;
    private int page;
    private Long cursor;
    private final Set<String> seenAtCursor = new HashSet<>();
    private long lastCreatedAt = Long.MIN_VALUE;
    private boolean groupDone;
    private boolean firstWindow = true;

    public Selection(KalturaApi api, ArchiveFilter filter, List<String> entryIds, long maxEntries, long now,
                     Integer extraCreatedBefore, int window) {
        this.api = api;
        this.filter = filter;
        this.now = now;
        this.extraCreatedBefore = extraCreatedBefore;
        this.window = window;
        this.remaining = maxEntries < 0 ? Long.MAX_VALUE : maxEntries;
        if (entryIds.isEmpty()) {
            idGroups.add(List.of());
        } else {
            for (int i = 0; i < entryIds.size(); i += IDS_PER_QUERY) {
                idGroups.add(entryIds.subList(i, Math.min(entryIds.size(), i + IDS_PER_QUERY)));
            }
        }
        allGroups = List.copyOf(idGroups);
        nextGroup();
    }

    private void nextGroup() {
        ids = idGroups.poll();
        groupDone = ids == null;
        page = firstWindow ? filter.firstPage : 1;
        cursor = null;
        seenAtCursor.clear();
    }

    /** How many entries match (the seed's count: first page, page size and maximum do not apply). */
    public long count() {
        long total = 0;
        for (List<String> group : allGroups) {
            total += search(group, null, 1, 1).path("totalCount").asLong();
        }
        return total;
    }

    private JsonNode search(List<String> group, Long from, int pageIndex, int pageSize) {
        ObjectNode p = JSON.createObjectNode();
        p.set("searchParams", filter.searchParams(now, group, from, extraCreatedBefore));
        ObjectNode pager = p.putObject("pager");
        pager.put("objectType", "KalturaPager");
        pager.put("pageSize", pageSize);
        pager.put("pageIndex", pageIndex);
        return api.call("elasticsearch_esearch", "searchEntry", p);
    }

    @Override
    public boolean hasNext() {
        while (buffer.isEmpty() && remaining > 0 && !groupDone) {
            fill();
        }
        return !buffer.isEmpty() && remaining > 0;
    }

    @Override
    public MediaEntry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        remaining--;
        return buffer.poll();
    }

    private void fill() {
        int size = Math.min(filter.pageSize, 500);
        if ((long) page * size > window) {
            // Kaltura's 10,000 limit: a new window from the last second seen
            if (lastCreatedAt == Long.MIN_VALUE || (cursor != null && cursor == lastCreatedAt && page == 1)) {
                throw new IllegalStateException("more than " + window + " entries created in the same second; cannot page past them");
            }
            cursor = lastCreatedAt;
            page = 1;
            firstWindow = false;
        }
        JsonNode result = search(ids, cursor, page, size);
        page++;
        List<JsonNode> objects = new ArrayList<>();
        result.path("objects").forEach(o -> objects.add(o.path("object")));
        if (objects.size() < size) {
            if (idGroups.isEmpty()) {
                groupDone = true;
            } else {
                nextGroup();
            }
        }
        List<JsonNode> fresh = new ArrayList<>();
        for (JsonNode o : objects) {
            String id = o.path("id").asText();
            long created = o.path("createdAt").asLong();
            if (cursor != null && created == cursor && seenAtCursor.contains(id)) {
                continue;
            }
            if (created != lastCreatedAt) {
                seenAtCursor.clear();
                lastCreatedAt = created;
            }
            seenAtCursor.add(id);
            fresh.add(o);
        }
        Map<String, List<MediaEntry.Flavor>> flavors = flavors(fresh.stream().map(o -> o.path("id").asText()).toList());
        for (JsonNode o : fresh) {
            buffer.add(MediaEntry.of(o, flavors.getOrDefault(o.path("id").asText(), List.of())));
        }
    }

    /** The flavors of these entries (flavorAsset.list with entryIdIn, paged). */
    Map<String, List<MediaEntry.Flavor>> flavors(List<String> entryIds) {
        Map<String, List<MediaEntry.Flavor>> out = new HashMap<>();
        if (entryIds.isEmpty()) {
            return out;
        }
        for (int pageIndex = 1; ; pageIndex++) {
            ObjectNode p = JSON.createObjectNode();
            ObjectNode f = p.putObject("filter");
            f.put("objectType", "KalturaAssetFilter");
            f.put("entryIdIn", String.join(",", entryIds));
            ObjectNode pager = p.putObject("pager");
            pager.put("objectType", "KalturaFilterPager");
            pager.put("pageSize", 500);
            pager.put("pageIndex", pageIndex);
            JsonNode answer = api.call("flavorAsset", "list", p);
            int n = 0;
            for (JsonNode o : answer.path("objects")) {
                MediaEntry.Flavor flavor = MediaEntry.Flavor.of(o);
                out.computeIfAbsent(flavor.entryId(), k -> new ArrayList<>()).add(flavor);
                n++;
            }
            if (n < 500 || pageIndex * 500L >= answer.path("totalCount").asLong()) {
                return out;
            }
        }
    }

    /** One entry again, as Kaltura has it now. */
    public static MediaEntry reload(KalturaApi api, String entryId) {
        ObjectNode p = JSON.createObjectNode();
        p.put("entryId", entryId);
        JsonNode e = api.call("media", "get", p);
        ObjectNode fp = JSON.createObjectNode();
        fp.putObject("filter").put("objectType", "KalturaAssetFilter").put("entryIdEqual", entryId);
        List<MediaEntry.Flavor> flavors = new ArrayList<>();
        api.call("flavorAsset", "list", fp).path("objects").forEach(o -> flavors.add(MediaEntry.Flavor.of(o)));
        return MediaEntry.of(e, flavors);
    }
}
