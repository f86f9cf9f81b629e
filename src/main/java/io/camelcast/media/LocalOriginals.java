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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The videos this instance's tasks read. The four tasks of an upload read the same video at the same time: it
 * comes down from the bucket once per instance and is probed once, not once per task (bench/media: four
 * downloads and four ffprobe runs were most of what the runtime added to ffmpeg's own time). A task on
 * another instance fetches its own copy: nothing here is shared beyond one process. Files are whole before
 * anyone reads them (downloaded beside, then moved), and go when the upload is over ({@link #release}); what
 * a crash left is removed at the next start.
 */
final class LocalOriginals {

    /** A video on this instance's disk and what ffprobe said of it. */
    record Local(Path file, Ffmpeg.Probe probe) {
    }

    private final MediaStorage storage;
    private final Ffmpeg ffmpeg;
    private final Path dir;
    private final Map<String, CompletableFuture<Local>> held = new ConcurrentHashMap<>();

    LocalOriginals(MediaStorage storage, Ffmpeg ffmpeg, Path dir) {
        this.storage = storage;
        this.ffmpeg = ffmpeg;
        this.dir = dir;
        clear(dir);
    }

    /** The video at {@code key}: fetched and probed by the first task that asks, waited for by the others. */
    Local get(String key) throws IOException {
        CompletableFuture<Local> mine = new CompletableFuture<>();
        CompletableFuture<Local> theirs = held.putIfAbsent(key, mine);
        if (theirs != null) {
            try {
                return theirs.join();
            } catch (CompletionException e) {
                // the fetching task reports the failure; this one tries on its own
                return get(key);
            }
        }
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(name(key));
            Path part = Files.createTempFile(dir, "fetch-", ".part");
            try {
                storage.get(key, part);
                Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(part);
            }
            Local local = new Local(file, ffmpeg.probe(file));
            mine.complete(local);
            return local;
        } catch (IOException | RuntimeException e) {
            held.remove(key, mine);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /** The upload is over (DONE or FAILED): its videos (under {@code prefix}) leave this instance's disk. */
    void release(String prefix) {
        held.keySet().removeIf(key -> {
            if (!key.startsWith(prefix)) {
                return false;
            }
            try {
                // a task still reading it (another failed) keeps its open file; one starting later fetches again
                Files.deleteIfExists(dir.resolve(name(key)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return true;
        });
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
