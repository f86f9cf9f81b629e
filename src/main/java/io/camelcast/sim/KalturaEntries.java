package io.camelcast.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Kaltura simulator's state: media entries with their flavors, the content each flavor holds (the
 * registered original's deterministic bytes, or a file uploaded through an upload token), and what the
 * media, flavorAsset and uploadToken services do to them. Thread-safe by one lock: it is a simulator.
 */
final class KalturaEntries {

    static final int FLAVOR_READY = 2;
    static final int FLAVOR_CONVERTING = 1;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, Flavor> flavors = new LinkedHashMap<>();
    /** Flavor ids by entry id, in creation order. */
    private final Map<String, List<String>> byEntry = new java.util.HashMap<>();
    private final Map<String, Path> tokens = new LinkedHashMap<>();
    private final AtomicLong ids = new AtomicLong(1);
    private final Path dir;
    /** How long a flavor made by media.addContent stays CONVERTING (ms). */
    volatile long convertMillis = 300;

    KalturaEntries(Path dir) {
        this.dir = dir;
    }

    static final class Entry {
        String id;
        String name = "";
        String tags = "";
        long plays;
        int status = 2;
        long createdAt;
        Long lastPlayedAt;
        String categoriesIds = "";
        String creatorId = "";
        long originalSize;
        String originalSha;
        boolean placeholder;
        int thumbnails;
    }

    static final class Flavor {
        String id;
        String entryId;
        boolean isOriginal;
        int status;
        long size;
        /** Uploaded content, or null: the entry's registered original bytes (size KB). */
        Path file;
        long readyAt;
    }

    synchronized void register(JsonNode array) {
        for (JsonNode n : array) {
            Entry e = new Entry();
            e.id = text(n, "id", null);
            if (e.id == null || e.id.isBlank()) {
                throw new IllegalArgumentException("an entry needs an id");
            }
            e.name = text(n, "name", e.id);
            e.tags = text(n, "tags", "");
            e.plays = n.path("plays").asLong(0);
            e.status = n.path("status").asInt(2);
            e.createdAt = n.path("createdAt").asLong(0);
            e.lastPlayedAt = n.hasNonNull("lastPlayedAt") ? n.get("lastPlayedAt").asLong() : null;
            e.categoriesIds = text(n, "categoriesIds", "");
            e.creatorId = text(n, "creatorId", "");
            for (String old : byEntry.getOrDefault(e.id, List.of())) {
                flavors.remove(old);
            }
            byEntry.put(e.id, new ArrayList<>());
            for (JsonNode fn : n.path("flavors")) {
                Flavor f = new Flavor();
                f.id = text(fn, "id", e.id + "_f" + ids.getAndIncrement());
                f.entryId = e.id;
                f.isOriginal = fn.path("isOriginal").asBoolean(false);
                f.status = fn.path("status").asInt(FLAVOR_READY);
                f.size = fn.path("size").asLong(0);
                if (f.isOriginal) {
                    e.originalSize = f.size;
                }
                add(f);
            }
            entries.put(e.id, e);
        }
    }

    private void add(Flavor f) {
        flavors.put(f.id, f);
        byEntry.computeIfAbsent(f.entryId, k -> new ArrayList<>()).add(f.id);
    }

    private static String text(JsonNode n, String field, String fallback) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }

    synchronized Entry entry(String id) {
        Entry e = entries.get(id);
        if (e == null) {
            throw new KalturaSimulator.ApiError("ENTRY_ID_NOT_FOUND", "Entry id \"" + id + "\" not found");
        }
        return e;
    }

    synchronized List<Entry> all() {
        List<Entry> out = new ArrayList<>(entries.values());
        out.sort(Comparator.comparingLong((Entry e) -> e.createdAt).thenComparing(e -> e.id));
        return out;
    }

    synchronized List<Flavor> flavorsOf(String entryId) {
        long now = System.currentTimeMillis();
        List<Flavor> out = new ArrayList<>();
        for (String id : byEntry.getOrDefault(entryId, List.of())) {
            Flavor f = flavors.get(id);
            if (f.status == FLAVOR_CONVERTING && f.readyAt <= now) {
                f.status = FLAVOR_READY;
            }
            out.add(f);
        }
        return out;
    }

    synchronized Flavor flavor(String id) {
        Flavor f = flavors.get(id);
        if (f == null) {
            throw new KalturaSimulator.ApiError("FLAVOR_ASSET_ID_NOT_FOUND", "Flavor asset id \"" + id + "\" not found");
        }
        return f;
    }

    synchronized void deleteFlavor(String id) {
        Flavor f = flavor(id);
        flavors.remove(id);
        byEntry.getOrDefault(f.entryId, new ArrayList<>()).remove(id);
    }

    InputStream content(Flavor f) throws IOException {
        return f.file != null ? Files.newInputStream(f.file) : new ZoomDownloads.Generated("kaltura:" + f.entryId, 0, f.size * 1024);
    }

    long contentLength(Flavor f) throws IOException {
        return f.file != null ? Files.size(f.file) : f.size * 1024;
    }

    synchronized void update(String entryId, JsonNode mediaEntry) {
        Entry e = entry(entryId);
        if (mediaEntry.has("tags")) {
            e.tags = mediaEntry.get("tags").asText();
        }
        if (mediaEntry.has("name")) {
            e.name = mediaEntry.get("name").asText();
        }
    }

    synchronized String addToken() throws IOException {
        String id = "0_tok" + ids.getAndIncrement();
        Files.createDirectories(dir);
        Path file = dir.resolve(id);
        Files.write(file, new byte[0]);
        tokens.put(id, file);
        return id;
    }

    /** uploadToken.upload: appends (resume) or replaces the token's bytes. */
    void upload(String tokenId, byte[] data, boolean resume, long resumeAt) throws IOException {
        Path file;
        synchronized (this) {
            file = tokens.get(tokenId);
        }
        if (file == null) {
            throw new KalturaSimulator.ApiError("UPLOAD_TOKEN_NOT_FOUND", "Upload token id \"" + tokenId + "\" not found");
        }
        synchronized (file) {
            long size = Files.size(file);
            if (resume && resumeAt >= 0 && resumeAt != size) {
                throw new KalturaSimulator.ApiError("UPLOAD_TOKEN_RESUMING_INVALID_POSITION",
                        "resumeAt " + resumeAt + " but " + size + " bytes uploaded");
            }
            if (resume) {
                Files.write(file, data, java.nio.file.StandardOpenOption.APPEND);
            } else {
                Files.write(file, data);
            }
        }
    }

    synchronized long tokenSize(String tokenId) throws IOException {
        Path file = tokens.get(tokenId);
        return file == null ? -1 : Files.size(file);
    }

    /** media.addContent: the token's file becomes the entry's new original, converting for a moment. */
    void addContent(String entryId, String tokenId) throws IOException {
        Path file;
        Entry e;
        synchronized (this) {
            e = entry(entryId);
            file = tokens.remove(tokenId);
        }
        if (file == null) {
            throw new KalturaSimulator.ApiError("UPLOAD_TOKEN_NOT_FOUND", "Upload token id \"" + tokenId + "\" not found");
        }
        long bytes = Files.size(file);
        boolean original = bytes == e.originalSize * 1024 && sha256(Files.newInputStream(file)).equals(originalSha(e));
        synchronized (this) {
            for (Flavor old : flavorsOf(entryId)) {
                if (old.isOriginal) {
                    flavors.remove(old.id);
                    byEntry.get(entryId).remove(old.id);
                }
            }
            Flavor f = new Flavor();
            f.id = entryId + "_f" + ids.getAndIncrement();
            f.entryId = entryId;
            f.isOriginal = true;
            f.status = FLAVOR_CONVERTING;
            f.readyAt = System.currentTimeMillis() + convertMillis;
            f.size = (bytes + 1023) / 1024;
            f.file = file;
            add(f);
            e.placeholder = !original;
        }
    }

    private String originalSha(Entry e) throws IOException {
        synchronized (e) {
            if (e.originalSha == null) {
                e.originalSha = sha256(new ZoomDownloads.Generated("kaltura:" + e.id, 0, e.originalSize * 1024));
            }
            return e.originalSha;
        }
    }

    private static String sha256(InputStream in) throws IOException {
        try (in) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException x) {
            throw new IllegalStateException(x);
        }
    }

    synchronized void thumbnail(String entryId) {
        entry(entryId).thumbnails++;
    }

    /** The API's KalturaMediaEntry. */
    ObjectNode apiEntry(Entry e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("objectType", "KalturaMediaEntry");
        n.put("id", e.id);
        n.put("name", e.name);
        n.put("tags", e.tags);
        n.put("plays", e.plays);
        n.put("status", Integer.toString(e.status));
        n.put("mediaType", 1);
        n.put("createdAt", e.createdAt);
        if (e.lastPlayedAt == null) {
            n.putNull("lastPlayedAt");
        } else {
            n.put("lastPlayedAt", e.lastPlayedAt);
        }
        n.put("categoriesIds", e.categoriesIds);
        n.put("creatorId", e.creatorId);
        return n;
    }

    ObjectNode apiFlavor(Flavor f) {
        ObjectNode n = JSON.createObjectNode();
        n.put("objectType", "KalturaFlavorAsset");
        n.put("id", f.id);
        n.put("entryId", f.entryId);
        n.put("isOriginal", f.isOriginal);
        n.put("status", f.status);
        n.put("size", f.size);
        n.put("fileExt", "mp4");
        return n;
    }

    /** {@code GET /_sim/entries/{id}}: the registration shape plus placeholder and thumbnails. */
    synchronized ObjectNode simEntry(String id) {
        Entry e = entries.get(id);
        if (e == null) {
            return null;
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("id", e.id);
        n.put("name", e.name);
        n.put("tags", e.tags);
        n.put("plays", e.plays);
        n.put("status", e.status);
        n.put("createdAt", e.createdAt);
        if (e.lastPlayedAt == null) {
            n.putNull("lastPlayedAt");
        } else {
            n.put("lastPlayedAt", e.lastPlayedAt);
        }
        n.put("categoriesIds", e.categoriesIds);
        n.put("creatorId", e.creatorId);
        ArrayNode fs = n.putArray("flavors");
        for (Flavor f : flavorsOf(id)) {
            fs.addObject().put("id", f.id).put("isOriginal", f.isOriginal).put("status", f.status).put("size", f.size);
        }
        n.put("placeholder", e.placeholder);
        n.put("thumbnails", e.thumbnails);
        return n;
    }

    static List<String> tagList(String tags) {
        return Arrays.stream(tags.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }
}
