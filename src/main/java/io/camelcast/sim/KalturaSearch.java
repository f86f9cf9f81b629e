package io.camelcast.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code elasticsearch_esearch.searchEntry} as Kaltura answers it: a {@code KalturaESearchEntryParams}
 * (an operator of items: AND=1, OR=2, NOT=3; items EXACT_MATCH=1, PARTIAL=2, STARTS_WITH=3, EXISTS=4,
 * RANGE=5 on id, tags, plays, created_at, last_played_at, media_type, and category ids), the entry statuses
 * in {@code objectStatuses}, ordered by {@code created_at}, paged by a {@code KalturaPager}. Like Kaltura's
 * Elasticsearch index it serves no result past the 10,000th ({@code maxMatches}).
 */
final class KalturaSearch {

    private static final ObjectMapper JSON = new ObjectMapper();
    volatile int maxMatches = 10_000;

    ObjectNode search(KalturaEntries entries, JsonNode params, JsonNode pager) {
        JsonNode op = params.path("searchOperator");
        Set<Integer> statuses = params.hasNonNull("objectStatuses")
                ? Arrays.stream(params.get("objectStatuses").asText().split(",")).map(String::trim)
                        .filter(s -> !s.isEmpty()).map(Integer::valueOf).collect(Collectors.toSet())
                : Set.of(2);
        boolean descending = "desc".equals(params.path("orderBy").path("orderItems").path(0).path("sortOrder").asText());
        List<KalturaEntries.Entry> matching = new ArrayList<>();
        for (KalturaEntries.Entry e : entries.all()) {
            if (statuses.contains(e.status) && (op.isMissingNode() || matches(e, op))) {
                matching.add(e);
            }
        }
        if (descending) {
            java.util.Collections.reverse(matching);
        }
        int size = Math.min(Math.max(pager.path("pageSize").asInt(30), 1), 500);
        int index = Math.max(pager.path("pageIndex").asInt(1), 1);
        long from = (long) (index - 1) * size;
        if (from + size > maxMatches && from < matching.size()) {
            throw new KalturaSimulator.ApiError("QUERY_EXCEEDED_MAX_MATCHES_ALLOWED",
                    "Unable to generate list. max matches value was reached");
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("objectType", "KalturaESearchEntryResponse");
        out.put("totalCount", matching.size());
        ArrayNode objects = out.putArray("objects");
        for (long i = from; i < Math.min(from + size, matching.size()); i++) {
            ObjectNode result = objects.addObject();
            result.put("objectType", "KalturaESearchEntryResult");
            result.set("object", entries.apiEntry(matching.get((int) i)));
        }
        return out;
    }

    private boolean matches(KalturaEntries.Entry e, JsonNode item) {
        if (item.has("operator")) {
            int operator = item.get("operator").asInt();
            JsonNode items = item.path("searchItems");
            return switch (operator) {
                case 2 -> any(e, items);
                case 3 -> !any(e, items);
                default -> all(e, items);
            };
        }
        String field = item.path("fieldName").asText();
        int type = item.path("itemType").asInt(1);
        String term = item.path("searchTerm").asText("");
        if ("KalturaESearchCategoryEntryItem".equals(item.path("objectType").asText())) {
            return KalturaEntries.tagList(e.categoriesIds).contains(term);
        }
        return switch (field) {
            case "id" -> text(e.id, type, term);
            case "name" -> text(e.name, type, term);
            case "tags" -> KalturaEntries.tagList(e.tags).stream().anyMatch(t -> text(t, type, term));
            case "media_type" -> type != 1 || "1".equals(term);
            case "plays" -> range(e.plays, item.path("range"));
            case "created_at" -> range(e.createdAt, item.path("range"));
            case "last_played_at" -> e.lastPlayedAt != null && (type == 4 || range(e.lastPlayedAt, item.path("range")));
            default -> throw new KalturaSimulator.ApiError("INVALID_FIELD_NAME", "field " + field + " is not searchable");
        };
    }

    private boolean all(KalturaEntries.Entry e, JsonNode items) {
        for (JsonNode i : items) {
            if (!matches(e, i)) {
                return false;
            }
        }
        return true;
    }

    private boolean any(KalturaEntries.Entry e, JsonNode items) {
        for (JsonNode i : items) {
            if (matches(e, i)) {
                return true;
            }
        }
        return false;
    }

    private static boolean text(String value, int type, String term) {
        return switch (type) {
            case 2 -> value.toLowerCase().contains(term.toLowerCase());
            case 3 -> value.startsWith(term);
            case 4 -> !value.isEmpty();
            default -> value.equals(term);
        };
    }

    private static boolean range(long v, JsonNode r) {
        return (!r.hasNonNull("lessThan") || v < r.get("lessThan").asLong())
                && (!r.hasNonNull("lessThanOrEqual") || v <= r.get("lessThanOrEqual").asLong())
                && (!r.hasNonNull("greaterThan") || v > r.get("greaterThan").asLong())
                && (!r.hasNonNull("greaterThanOrEqual") || v >= r.get("greaterThanOrEqual").asLong());
    }
}
