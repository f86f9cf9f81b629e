package io.camelcast.kaltura;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;

/**
 * A Kaltura media entry as the archive flow sees it: the fields of {@code KalturaMediaEntry} it reads and
 * the entry's flavors ({@code KalturaFlavorAsset}); tags are compared whole (the seed's substring test took
 * {@code archived} for {@code archived_to_s3}).
 */
public record MediaEntry(String id, String name, List<String> tags, long plays, int status, long createdAt,
                         Long lastPlayedAt, String categoriesIds, String creatorId, List<Flavor> flavors) {

    public static final String ARCHIVED = "archived_to_s3";
    public static final String REPLACED = "flavors_deleted";

    /** KalturaFlavorAssetStatus.READY */
    public static final int FLAVOR_READY = 2;

    public record Flavor(String id, String entryId, boolean original, int status, long sizeKb) {
        static Flavor of(JsonNode n) {
            return new Flavor(n.path("id").asText(), n.path("entryId").asText(), n.path("isOriginal").asBoolean(),
                    n.path("status").asInt(-1), n.path("size").asLong(0));
        }

        public boolean ready() {
            return status == FLAVOR_READY;
        }
    }

    static MediaEntry of(JsonNode n, List<Flavor> flavors) {
        return new MediaEntry(n.path("id").asText(), n.path("name").asText(""), tags(n.path("tags").asText("")),
                n.path("plays").asLong(0), n.path("status").asInt(Integer.parseInt(n.path("status").asText("2"))),
                n.path("createdAt").asLong(0), n.hasNonNull("lastPlayedAt") ? n.get("lastPlayedAt").asLong() : null,
                n.path("categoriesIds").asText(""), n.path("creatorId").asText(""), List.copyOf(flavors));
    }

    static List<String> tags(String tags) {
        return Arrays.stream(tags.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    public boolean hasTag(String tag) {
        return tags.contains(tag);
    }

    public Flavor original() {
        return flavors.stream().filter(Flavor::original).findFirst().orElse(null);
    }

    public long totalSizeKb() {
        return flavors.stream().mapToLong(Flavor::sizeKb).sum();
    }

    public MediaEntry withTags(List<String> newTags) {
        return new MediaEntry(id, name, List.copyOf(newTags), plays, status, createdAt, lastPlayedAt, categoriesIds, creatorId, flavors);
    }

    public MediaEntry withFlavors(List<Flavor> newFlavors) {
        return new MediaEntry(id, name, tags, plays, status, createdAt, lastPlayedAt, categoriesIds, creatorId, List.copyOf(newFlavors));
    }

    /** Kaltura's size (KB, rounded) and the object's bytes agree within 3 % (the seed's aws_compatible_size). */
    public static boolean compatibleSize(long kalturaKb, long bytes) {
        double kb = bytes / 1024.0;
        return kb < kalturaKb ? 1.03 * kb >= kalturaKb : 1.03 * kalturaKb >= kb;
    }
}
