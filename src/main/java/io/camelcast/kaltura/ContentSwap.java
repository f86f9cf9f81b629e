package io.camelcast.kaltura;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * replace, restore and repair: the commands that change an entry's content in Kaltura.
 * <ul>
 *   <li>replace: only an entry archived and verified (object present, size matching) gets the placeholder;
 *   then READY, a new thumbnail, the other flavors deleted, tag {@code flavors_deleted}. An entry whose
 *   original is already the placeholder but lacks the tag (a crash mid-replace) is completed.</li>
 *   <li>restore: a {@code flavors_deleted} entry whose object is in Glacier gets a restore request and is
 *   left; once {@code ongoing-request="false"} the original is uploaded back, and only {@code
 *   flavors_deleted} is removed.</li>
 *   <li>repair: the seed's: an unhealthy entry gets back what its tags say (placeholder or original).</li>
 * </ul>
 */
public final class ContentSwap {

    private final ArchiveStore store;
    private final EntryEdits edits;
    private final Path placeholder;
    private final int minAgeYears;
    private final String restoreRequest;

    public ContentSwap(ArchiveStore store, EntryEdits edits, Path placeholder, int minAgeYears, String restoreRequest) {
        this.store = store;
        this.edits = edits;
        this.placeholder = placeholder;
        this.minAgeYears = minAgeYears;
        this.restoreRequest = restoreRequest;
    }

    public int minAgeYears() {
        return minAgeYears;
    }

    private long placeholderBytes() throws IOException {
        if (placeholder == null || !Files.isReadable(placeholder)) {
            throw new IOException("placeholder video " + placeholder + " cannot be read (camelcast.kaltura.placeholder-video)");
        }
        return Files.size(placeholder);
    }

    public void replace(ArchiveRun run, MediaEntry e, long nowEpoch) throws IOException {
        MediaEntry.Flavor original = e.original();
        if (original == null || !original.ready()) {
            run.refused(e.id(), "replace", "no READY original flavor");
            return;
        }
        if (run.filter().createdBefore == null && e.createdAt() > ArchiveFilter.yearsAgo(nowEpoch, minAgeYears)) {
            run.refused(e.id(), "replace", "created within the last " + minAgeYears + " years (camelcast.kaltura.replace-min-age-years)");
            return;
        }
        Optional<ArchiveStore.ObjectInfo> object = store.head(e.id());
        if (object.isEmpty()) {
            run.refused(e.id(), "replace", "no copy in s3://" + store.bucket() + "/" + e.id());
            return;
        }
        boolean matches = MediaEntry.compatibleSize(original.sizeKb(), object.get().size());
        if (e.hasTag(MediaEntry.REPLACED)) {
            if (matches) {
                run.refused(e.id(), "replace", "tagged " + MediaEntry.REPLACED + " but the original matches the bucket copy (see health, repair)");
            } else {
                run.action(e.id(), "replaced earlier", "according to the " + MediaEntry.REPLACED + " and " + MediaEntry.ARCHIVED + " tags");
                run.outcome("REPLACE_DONE_BEFORE");
            }
            return;
        }
        if (!e.hasTag(MediaEntry.ARCHIVED)) {
            run.refused(e.id(), "replace", "not tagged " + MediaEntry.ARCHIVED + " (copy it first)");
            return;
        }
        long placeholderBytes = placeholderBytes();
        if (!matches) {
            if (MediaEntry.compatibleSize(original.sizeKb(), placeholderBytes)) {
                run.action(e.id(), "complete replace", "the original is already the placeholder: deleting the other flavors, tagging");
                if (run.execute()) {
                    edits.deleteOtherFlavors(edits.reload(e.id()));
                    edits.addTag(e.id(), MediaEntry.REPLACED);
                }
                run.outcome("REPLACE_DONE");
                return;
            }
            run.refused(e.id(), "replace", "the bucket copy (" + object.get().size() + " bytes) and the original ("
                    + original.sizeKb() + " KB) differ in size");
            return;
        }
        if (object.get().size() > EntryHealth.SIZE_LIMIT_KB * 1024) {
            run.action(e.id(), "skip replace", "bucket copy beyond the size limit: it could not be restored");
            run.outcome("REPLACE_BIG_FILE_SKIP");
            return;
        }
        run.action(e.id(), "replace", "original with the placeholder " + placeholder.getFileName() + ", delete the other flavors, tag "
                + MediaEntry.REPLACED);
        if (run.execute()) {
            try (InputStream in = Files.newInputStream(placeholder)) {
                edits.replaceContent(e.id(), in, placeholderBytes);
            }
            edits.newThumbnail(e.id());
            edits.deleteOtherFlavors(edits.reload(e.id()));
            edits.addTag(e.id(), MediaEntry.REPLACED);
            run.entryDone(e.id(), placeholderBytes);
        }
        run.outcome("REPLACE_DONE");
    }

    public void restore(ArchiveRun run, MediaEntry e) throws IOException {
        String path = "s3://" + store.bucket() + "/" + e.id();
        Optional<ArchiveStore.ObjectInfo> object = store.head(e.id());
        if (object.isEmpty()) {
            run.refused(e.id(), "restore", "no copy in " + path);
            run.outcome("RESTORE_FAILED");
            return;
        }
        MediaEntry.Flavor original = e.original();
        if (original == null || !original.ready()) {
            run.refused(e.id(), "restore", "no READY original flavor");
            run.outcome("RESTORE_FAILED");
            return;
        }
        boolean matches = MediaEntry.compatibleSize(original.sizeKb(), object.get().size());
        if (!e.hasTag(MediaEntry.REPLACED)) {
            if (matches) {
                run.action(e.id(), "restored before", "the original matches " + path);
                run.outcome("RESTORE_DONE_BEFORE");
            } else {
                run.refused(e.id(), "restore", "not tagged " + MediaEntry.REPLACED + " and the original differs from " + path);
                run.outcome("RESTORE_FAILED");
            }
            return;
        }
        if (matches) {
            run.action(e.id(), "complete restore", "the original is back already: removing " + MediaEntry.REPLACED);
            if (run.execute()) {
                edits.removeTag(e.id(), MediaEntry.REPLACED);
            }
            run.outcome("RESTORE_DONE");
            return;
        }
        if (!object.get().readable()) {
            waitForGlacier(run, e.id(), object.get(), path);
            return;
        }
        run.action(e.id(), "restore", "original from " + path + " (" + object.get().size() + " bytes), remove " + MediaEntry.REPLACED);
        if (run.execute()) {
            putBack(e.id(), object.get().size());
            edits.removeTag(e.id(), MediaEntry.REPLACED);
            run.entryDone(e.id(), object.get().size());
        }
        run.outcome("RESTORE_DONE");
    }

    private void waitForGlacier(ArchiveRun run, String id, ArchiveStore.ObjectInfo object, String path) {
        if (object.restoreUnderWay()) {
            run.action(id, "wait", path + " is being restored from Glacier");
        } else {
            run.action(id, "request restore", path + " from Glacier (" + restoreRequest + ")");
            if (run.execute()) {
                store.requestRestore(id);
            }
        }
        run.outcome("RESTORE_WAIT_GLACIER");
    }

    private void putBack(String id, long size) throws IOException {
        try (InputStream in = store.open(id)) {
            edits.replaceContent(id, in, size);
        }
        edits.newThumbnail(id);
        edits.deleteOtherFlavors(edits.reload(id));
    }

    public void repair(ArchiveRun run, MediaEntry e) throws IOException {
        Optional<ArchiveStore.ObjectInfo> object = store.head(e.id());
        EntryHealth.Verdict v = EntryHealth.check(e, object, store.bucket());
        if (v.healthy()) {
            run.action(e.id(), "repair", "no need: " + v.reason());
            run.outcome("REPAIR_DONE_BEFORE");
            return;
        }
        run.action(e.id(), "repair", "sick entry: " + v.reason() + " tags=" + String.join(",", e.tags()));
        if (object.isPresent() && !e.hasTag(MediaEntry.ARCHIVED) && e.original() != null
                && MediaEntry.compatibleSize(e.original().sizeKb(), object.get().size())) {
            run.action(e.id(), "add tag", MediaEntry.ARCHIVED + " (the bucket copy matches the original)");
            if (run.execute()) {
                edits.addTag(e.id(), MediaEntry.ARCHIVED);
            }
            run.outcome("REPAIR_DONE");
            return;
        }
        if (!(e.hasTag(MediaEntry.ARCHIVED) && object.isPresent() && object.get().size() <= EntryHealth.SIZE_LIMIT_KB * 1024)) {
            run.refused(e.id(), "repair", "do not know how to repair");
            return;
        }
        if (e.hasTag(MediaEntry.REPLACED)) {
            run.action(e.id(), "repair", "put the placeholder back, as the " + MediaEntry.REPLACED + " tag says");
            if (run.execute()) {
                long bytes = placeholderBytes();
                try (InputStream in = Files.newInputStream(placeholder)) {
                    edits.replaceContent(e.id(), in, bytes);
                }
                edits.newThumbnail(e.id());
                edits.deleteOtherFlavors(edits.reload(e.id()));
            }
        } else if (!object.get().readable()) {
            waitForGlacier(run, e.id(), object.get(), "s3://" + store.bucket() + "/" + e.id());
            return;
        } else {
            run.action(e.id(), "repair", "put the original back from s3://" + store.bucket() + "/" + e.id());
            if (run.execute()) {
                putBack(e.id(), object.get().size());
            }
        }
        run.outcome("REPAIR_DONE");
    }
}
