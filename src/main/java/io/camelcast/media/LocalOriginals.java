package io.camelcast.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

/**
 * The videos this instance's tasks read. The four tasks of an upload read the same video at the same time: it
 * comes down from the bucket once per instance and is probed once, not once per task (bench/media: four
 * downloads and four ffprobe runs were most of what the runtime added to ffmpeg's own time). A task on
 * another instance fetches its own copy: nothing here is shared beyond one process. Files are whole before
 * anyone reads them (downloaded beside, then moved). A task holds its video until it ends ({@link Held#close});
 * the file goes once the upload is over ({@link #release}) and no task holds it: an upload is FAILED as soon
 * as one task fails, while its siblings may still be fetching or probing the same file. What a crash left is
 * removed at the next start.
 */
final class LocalOriginals {

    /** A video on this instance's disk and what ffprobe said of it. */
    record Local(Path file, Ffmpeg.Probe probe) {
    }

    /** One task's hold on a video: the file stays on disk until it is closed. Close it once. */
    final class Held implements AutoCloseable {
        private final String key;
        private final Entry entry;
        private final Local local;

        private Held(String key, Entry entry, Local local) {
            this.key = key;
            this.entry = entry;
            this.local = local;
        }

        Path file() {
            return local.file();
        }

        Ffmpeg.Probe probe() {
            return local.probe();
        }

        @Override
        public void close() {
            letGo(key, entry);
        }
    }

    /** A video being fetched or fetched, the tasks holding it, and whether its upload is over. */
    private static final class Entry {
        final CompletableFuture<Local> local = new CompletableFuture<>();
        int holders;
        boolean released;
    }

    private final MediaStorage storage;
    private final Ffmpeg ffmpeg;
    private final Path dir;
    /** Guarded by this. */
    private final Map<String, Entry> held = new HashMap<>();

    LocalOriginals(MediaStorage storage, Ffmpeg ffmpeg, Path dir) {
        this.storage = storage;
        this.ffmpeg = ffmpeg;
        this.dir = dir;
        clear(dir);
    }

    /**
     * The video at {@code key}: fetched and probed by the first task that asks, waited for by the others.
     * The caller closes what it gets when its task ends.
     */
    Held get(String key) throws IOException {
        Entry entry;
        boolean fetch;
        synchronized (this) {
            entry = held.get(key);
            fetch = entry == null;
            if (fetch) {
                entry = new Entry();
                held.put(key, entry);
            }
            entry.holders++;
        }
        if (!fetch) {
            try {
                return new Held(key, entry, entry.local.join());
            } catch (CompletionException e) {
                // the fetching task reports the failure; this one tries on its own
                letGo(key, entry);
                return get(key);
            }
        }
        Path file = dir.resolve(name(key));
        try {
            Files.createDirectories(dir);
            Path part = Files.createTempFile(dir, "fetch-", ".part");
            try {
                storage.get(key, part);
                Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(part);
            }
            Local local = new Local(file, ffmpeg.probe(file));
            entry.local.complete(local);
            return new Held(key, entry, local);
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                entry.holders--;
                if (held.remove(key, entry)) {
                    // an unreadable upload does not stay on the disk; a later fetch (a new entry) comes after this
                    delete(file);
                }
            }
            entry.local.completeExceptionally(e);
            throw e;
        }
    }

    /** The upload is over (DONE or FAILED): its videos (under {@code prefix}) leave the disk once no task holds them. */
    synchronized void release(String prefix) {
        held.entrySet().removeIf(e -> {
            if (!e.getKey().startsWith(prefix)) {
                return false;
            }
            e.getValue().released = true;
            if (e.getValue().holders > 0) {
                return false;
            }
            delete(dir.resolve(name(e.getKey())));
            return true;
        });
    }

    private synchronized void letGo(String key, Entry entry) {
        entry.holders--;
        // a failed fetch's entry is no longer held under its key: its file is a newer entry's, if any
        if (entry.holders == 0 && entry.released && held.remove(key, entry)) {
            delete(dir.resolve(name(key)));
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String name(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)))
                    + extension(key);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String extension(String key) {
        int dot = key.lastIndexOf('.');
        return dot > key.lastIndexOf('/') && key.length() - dot <= 6 ? key.substring(dot) : "";
    }

    private static void clear(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
