package io.camelcast.kaltura;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The archive flow's beans without Camel: size comparison, health verdicts, the filter as ESearch, stats. */
class KalturaBeansTest {

    static final long NOW = 1_764_979_200L; // 2025-12-06T00:00:00Z

    static MediaEntry entry(String tags, Long originalKb, int originalStatus) {
        List<MediaEntry.Flavor> flavors = new ArrayList<>();
        if (originalKb != null) {
            flavors.add(new MediaEntry.Flavor("f1", "e1", true, originalStatus, originalKb));
        }
        flavors.add(new MediaEntry.Flavor("f2", "e1", false, 2, 10));
        return new MediaEntry("e1", "n", MediaEntry.tags(tags), 0, 2, 1_500_000_000L, null, "", "", flavors);
    }

    static Optional<ArchiveStore.ObjectInfo> object(long bytes) {
        return Optional.of(new ArchiveStore.ObjectInfo(bytes, "GLACIER", null));
    }

    @Test
    void sizesAreCompatibleWithinThreePercent() {
        assertTrue(MediaEntry.compatibleSize(1000, 1000 * 1024));
        assertTrue(MediaEntry.compatibleSize(1000, 1029 * 1024));
        assertFalse(MediaEntry.compatibleSize(1000, 1040 * 1024));
        assertFalse(MediaEntry.compatibleSize(1000, 960 * 1024));
        assertFalse(MediaEntry.compatibleSize(1000, -1));
    }

    @Test
    void healthFollowsTheSeedsInvariantsInOrder() {
        assertFalse(EntryHealth.check(entry("", null, 2), Optional.empty(), "b").healthy());
        assertFalse(EntryHealth.check(entry("", 100L, 1), Optional.empty(), "b").healthy(), "original not READY");
        assertEquals(new EntryHealth.Verdict(true, "HEALTHY"), EntryHealth.check(entry("", 100L, 2), Optional.empty(), "b"));
        assertTrue(EntryHealth.check(entry("", 100L, 2), object(100 * 1024), "b").reason().contains("no archived_to_s3 tag"));
        assertTrue(EntryHealth.check(entry("archived_to_s3", 100L, 2), Optional.empty(), "b").reason().contains("not in bucket"));
        assertTrue(EntryHealth.check(entry("flavors_deleted", 100L, 2), Optional.empty(), "b").reason().contains("but no archived_to_s3"));
        assertTrue(EntryHealth.check(entry("archived_to_s3", 100L, 2), object(50 * 1024), "b").reason().contains("differ in size"));
        assertTrue(EntryHealth.check(entry("archived_to_s3, flavors_deleted", 100L, 2), object(100 * 1024), "b").reason()
                .contains("matches the bucket copy"));
        assertEquals("HEALTHY", EntryHealth.check(entry("archived_to_s3, flavors_deleted", 40L, 2), object(100 * 1024), "b").reason());
        // exact tags: "archived" is not archived_to_s3
        assertFalse(entry("archived, x", 1L, 2).hasTag(MediaEntry.ARCHIVED));
    }

    @Test
    void filterBecomesOneAndOfESearchItems() {
        ArchiveFilter f = ArchiveFilter.parse("--tag !archived_to_s3 --plays 1 --unplayed_for 3 --created-within 10 --category 7 "
                + "--status -1 2 --id a --id b");
        JsonNode p = f.searchParams(NOW, f.ids, null, null);
        assertEquals("-1,2", p.path("objectStatuses").asText());
        JsonNode items = p.path("searchOperator").path("searchItems");
        assertEquals(1, p.path("searchOperator").path("operator").asInt());
        assertEquals("media_type", items.get(0).path("fieldName").asText());
        JsonNode not = items.get(1);
        assertEquals(3, not.path("operator").asInt(), "!tag is NOT");
        assertEquals(1, not.path("searchItems").get(0).path("itemType").asInt(), "exact match, not partial");
        assertEquals("archived_to_s3", not.path("searchItems").get(0).path("searchTerm").asText());
        assertEquals("KalturaESearchCategoryEntryItem", items.get(2).path("objectType").asText());
        assertEquals(1, items.get(3).path("range").path("lessThan").asLong());
        assertEquals(ArchiveFilter.yearsAgo(NOW, 3), items.get(4).path("range").path("lessThanOrEqual").asLong());
        assertEquals(1_670_284_800L, ArchiveFilter.yearsAgo(NOW, 3), "calendar years: 2022-12-06");
        assertEquals(2, items.get(6).path("operator").asInt(), "ids are ORed");
        assertEquals("created_at", p.path("orderBy").path("orderItems").get(0).path("sortField").asText());
        assertEquals(List.of("-1", "-2", "0", "1", "2", "7", "4"), ArchiveFilter.parse("").statuses());
    }

    @Test
    void replaceAddsTheMinimumAgeUnlessTheRunSaysCreatedBefore() {
        ObjectNode withDefault = ArchiveFilter.parse("").searchParams(NOW, List.of(), null, 3);
        assertTrue(withDefault.toString().contains("\"lessThanOrEqual\":" + ArchiveFilter.yearsAgo(NOW, 3)));
        ObjectNode own = ArchiveFilter.parse("--created_before 1").searchParams(NOW, List.of(), null, 3);
        assertTrue(own.toString().contains("\"lessThanOrEqual\":" + ArchiveFilter.yearsAgo(NOW, 1)));
        assertFalse(own.toString().contains("\"lessThanOrEqual\":" + ArchiveFilter.yearsAgo(NOW, 3)));
    }

    @Test
    void badFiltersAreRefusedWithTheOption() {
        assertThrows(IllegalArgumentException.class, () -> ArchiveFilter.parse("--status x").validate());
        assertThrows(IllegalArgumentException.class, () -> ArchiveFilter.parse("--page-size 0").validate());
        assertThrows(IllegalArgumentException.class, () -> ArchiveFilter.parse("--tag !").validate());
    }

    @Test
    void statsCountByYearAndWhatReplacingSaves() {
        ArchiveReports reports = new ArchiveReports(null, 40);
        List<String> lines = new ArrayList<>();
        ArchiveRun run = new ArchiveRun("stats", ArchiveFilter.parse(""), false, "video", lines::add);
        reports.stats(run, entry("archived_to_s3", 1000L, 2));
        reports.stats(run, entry("archived_to_s3, flavors_deleted", 40L, 2));
        reports.statsReport(run);
        assertEquals(List.of("stats\tkey\tentries\tsize_kb\tplaceholders", "stats\tall\t2\t1060\t1",
                "stats\tcreated_year\t2017\t2\t1060\t1", "stats\tplayed_year\tnever\t2\t1060\t0", "stats\treplace_would_save\t1\t970\t0"), lines);
    }
}
