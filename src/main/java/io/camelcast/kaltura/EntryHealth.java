package io.camelcast.kaltura;

import java.util.Optional;

/**
 * The seed's invariants of an entry and its bucket copy (kaltura_aws.entry_health_check), checked in its
 * order; the first one broken is the reason. Sizes are compared within 3 %.
 */
public final class EntryHealth {

    /** Originals above this size (KB) are not copied (the seed's SIZE_LIMIT_KB). */
    public static final long SIZE_LIMIT_KB = 10_000_000L;

    public record Verdict(boolean healthy, String reason) {
    }

    private EntryHealth() {
    }

    public static Verdict check(MediaEntry e, Optional<ArchiveStore.ObjectInfo> object, String bucket) {
        MediaEntry.Flavor original = e.original();
        if (original == null || !original.ready()) {
            return new Verdict(false, "ERROR: no healthy original (missing or not READY)");
        }
        boolean inBucket = object.isPresent();
        boolean archived = e.hasTag(MediaEntry.ARCHIVED);
        boolean replaced = e.hasTag(MediaEntry.REPLACED);
        if (inBucket && !archived) {
            return new Verdict(false, "ERROR: in bucket " + bucket + " but no " + MediaEntry.ARCHIVED + " tag");
        }
        if (archived && !inBucket) {
            return new Verdict(false, "ERROR: has tag " + MediaEntry.ARCHIVED + " but not in bucket " + bucket);
        }
        if (replaced && !archived) {
            return new Verdict(false, "ERROR: has tag " + MediaEntry.REPLACED + " but no " + MediaEntry.ARCHIVED + " tag");
        }
        boolean sizeMatch = inBucket && MediaEntry.compatibleSize(original.sizeKb(), object.get().size());
        if (archived && !replaced && !sizeMatch) {
            return new Verdict(false, "ERROR: " + MediaEntry.ARCHIVED + " and not " + MediaEntry.REPLACED
                    + " but the bucket copy and the original differ in size");
        }
        if (archived && replaced && sizeMatch) {
            return new Verdict(false, "ERROR: " + MediaEntry.REPLACED + " but the original matches the bucket copy in size");
        }
        if (inBucket && original.sizeKb() > SIZE_LIMIT_KB) {
            return new Verdict(true, "WARNING: in bucket " + bucket + " but the original is beyond the size limit " + SIZE_LIMIT_KB + " KB");
        }
        return new Verdict(true, "HEALTHY");
    }
}
