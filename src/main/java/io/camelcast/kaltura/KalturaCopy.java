package io.camelcast.kaltura;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * copy (the seed's s3copy): an entry whose original flavor is READY, not over the size limit and not yet in
 * the bucket is streamed from Kaltura to the bucket (routes/kaltura-archive.yaml: getUrl, the download,
 * then {@link #store}), its size checked against Kaltura's within 3 %, and only then tagged
 * {@code archived_to_s3}. An object already there that matches is not copied again; if only its tag is
 * missing (a crash between the copy and the tag), the tag is added.
 */
public final class KalturaCopy {

    private final ArchiveStore store;
    private final EntryEdits edits;
    private final String downloadOptions;

    public KalturaCopy(ArchiveStore store, EntryEdits edits, String downloadOptions) {
        this.store = store;
        this.edits = edits;
        this.downloadOptions = downloadOptions;
    }

    /** True when the entry is to be copied now (run with --execute); reports every other outcome. */
    public boolean wanted(ArchiveRun run, MediaEntry e) {
        MediaEntry.Flavor original = e.original();
        if (original == null) {
            run.refused(e.id(), "copy", "entry has no original flavor");
            return false;
        }
        if (!original.ready()) {
            run.refused(e.id(), "copy", "original flavor " + original.id() + " is not READY");
            return false;
        }
        String target = "s3://" + store.bucket() + "/" + e.id();
        Optional<ArchiveStore.ObjectInfo> object = store.head(e.id());
        if (object.isPresent()) {
            if (!MediaEntry.compatibleSize(original.sizeKb(), object.get().size())) {
                run.refused(e.id(), "copy", target + " exists with " + object.get().size() + " bytes but the original has "
                        + original.sizeKb() + " KB; not overwritten");
                return false;
            }
            if (e.hasTag(MediaEntry.ARCHIVED)) {
                run.action(e.id(), "archived", "already in " + target);
                run.outcome("COPY_DONE_BEFORE");
            } else {
                run.action(e.id(), "add tag", MediaEntry.ARCHIVED + " (" + target + " is there and matches)");
                if (run.execute()) {
                    edits.addTag(e.id(), MediaEntry.ARCHIVED);
                }
                run.outcome("COPY_TAGGED");
            }
            return false;
        }
        if (original.sizeKb() > EntryHealth.SIZE_LIMIT_KB) {
            run.action(e.id(), "skip copy", "original flavor exceeds the size limit " + EntryHealth.SIZE_LIMIT_KB + " KB");
            run.outcome("COPY_BIG_FILE_SKIP");
            return false;
        }
        run.action(e.id(), "copy", "original flavor " + original.id() + " (" + original.sizeKb() + " KB) to " + target);
        if (!run.execute()) {
            run.outcome("COPY_DONE");
            return false;
        }
        return true;
    }

    /** Where the original's bytes are, with camel-http's options: streamed, not cached. */
    public String downloadUrl(MediaEntry e) {
        String url = edits.downloadUrl(e);
        return url + (url.contains("?") ? "&" : "?") + downloadOptions;
    }

    /** Streams the download into the bucket, verifies it, then tags the entry. */
    public void store(ArchiveRun run, MediaEntry e, InputStream body, Long contentLength) throws IOException {
        try (InputStream in = body) {
            if (contentLength == null || contentLength < 0) {
                throw new IOException("Kaltura sent the original of " + e.id() + " without a Content-Length");
            }
            store.put(e.id(), in, contentLength);
        }
        long size = store.head(e.id()).map(ArchiveStore.ObjectInfo::size).orElse(-1L);
        if (!MediaEntry.compatibleSize(e.original().sizeKb(), size)) {
            throw new IOException("s3://" + store.bucket() + "/" + e.id() + " has " + size + " bytes, Kaltura says "
                    + e.original().sizeKb() + " KB: not tagged");
        }
        edits.addTag(e.id(), MediaEntry.ARCHIVED);
        run.action(e.id(), "copied", size + " bytes verified, tagged " + MediaEntry.ARCHIVED);
        run.outcome("COPY_DONE");
        run.entryDone(e.id(), size);
    }
}
