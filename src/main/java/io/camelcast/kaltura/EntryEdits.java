package io.camelcast.kaltura;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The changes the archive flow makes to an entry in Kaltura: tags (read fresh, then written whole, each
 * tag once), new content (uploadToken.add, upload in chunks of one buffer, media.addContent), waiting until
 * the new original is READY (bounded), a new thumbnail, and deleting the other flavors.
 */
public final class EntryEdits {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KalturaApi api;
    private final int chunkBytes;
    private final long pollMillis;
    private final long readyTimeoutMillis;

    public EntryEdits(KalturaApi api, int chunkBytes, long pollMillis, long readyTimeoutMillis) {
        this.api = api;
        this.chunkBytes = chunkBytes;
        this.pollMillis = pollMillis;
        this.readyTimeoutMillis = readyTimeoutMillis;
    }

    public MediaEntry reload(String entryId) {
        return Selection.reload(api, entryId);
    }

    public MediaEntry addTag(String entryId, String tag) {
        MediaEntry now = reload(entryId);
        if (now.hasTag(tag)) {
            return now;
        }
        List<String> tags = new ArrayList<>(now.tags());
        tags.add(tag);
        return setTags(now, tags);
    }

    public MediaEntry removeTag(String entryId, String tag) {
        MediaEntry now = reload(entryId);
        List<String> tags = new ArrayList<>(now.tags());
        if (!tags.removeIf(tag::equals)) {
            return now;
        }
        return setTags(now, tags);
    }

    private MediaEntry setTags(MediaEntry e, List<String> tags) {
        ObjectNode p = JSON.createObjectNode();
        p.put("entryId", e.id());
        ObjectNode m = p.putObject("mediaEntry");
        m.put("objectType", "KalturaMediaEntry");
        m.put("tags", String.join(", ", tags));
        api.call("media", "update", p);
        return e.withTags(tags);
    }

    /** Uploads {@code length} bytes and makes them the entry's original; waits until it is READY. */
    public void replaceContent(String entryId, InputStream in, long length) throws IOException {
        ObjectNode t = JSON.createObjectNode();
        t.putObject("uploadToken").put("objectType", "KalturaUploadToken");
        String token = api.call("uploadToken", "add", t).path("id").asText();
        byte[] buf = new byte[(int) Math.min(chunkBytes, Math.max(length, 1))];
        long sent = 0;
        do {
            int n = in.readNBytes(buf, 0, (int) Math.min(buf.length, length - sent));
            if (n <= 0 && sent < length) {
                throw new IOException("the content ended after " + sent + " of " + length + " bytes");
            }
            api.uploadChunk(token, buf, n, sent, sent + n >= length);
            sent += n;
        } while (sent < length);
        ObjectNode p = JSON.createObjectNode();
        p.put("entryId", entryId);
        p.putObject("resource").put("objectType", "KalturaUploadedFileTokenResource").put("token", token);
        api.call("media", "addContent", p);
        waitReady(entryId);
    }

    /** Polls the original flavor until READY, at most the ready timeout. */
    public MediaEntry waitReady(String entryId) {
        long deadline = System.currentTimeMillis() + readyTimeoutMillis;
        while (true) {
            MediaEntry e = reload(entryId);
            if (e.original() != null && e.original().ready()) {
                return e;
            }
            if (System.currentTimeMillis() >= deadline) {
                throw new IllegalStateException("entry " + entryId + ": the new original is not READY after "
                        + readyTimeoutMillis / 1000 + " s");
            }
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + entryId);
            }
        }
    }

    public void newThumbnail(String entryId) {
        ObjectNode p = JSON.createObjectNode();
        p.put("entryId", entryId);
        p.put("timeOffset", 1);
        api.call("media", "updateThumbnail", p);
    }

    /** Deletes every flavor but the original; returns how many. */
    public int deleteOtherFlavors(MediaEntry e) {
        int n = 0;
        for (MediaEntry.Flavor f : e.flavors()) {
            if (!f.original()) {
                ObjectNode p = JSON.createObjectNode();
                p.put("id", f.id());
                api.call("flavorAsset", "delete", p);
                n++;
            }
        }
        return n;
    }

    public String downloadUrl(MediaEntry e) {
        ObjectNode p = JSON.createObjectNode();
        p.put("id", e.original().id());
        return api.call("flavorAsset", "getUrl", p).asText();
    }
}
