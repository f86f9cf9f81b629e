package io.camelcast.upload;

import io.camelcast.http.Refused;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import redis.clients.jedis.UnifiedJedis;

/**
 * The storage side of a TUS 1.0.0 server (core, creation, creation-with-upload, expiration, checksum
 * sha1/sha256/md5, termination): each upload is a file in {@code camelcast.upload.dir} written at its
 * offset as bytes arrive (never held in memory) and a Redis hash {@code camelcast:tus:{id}} with its
 * length, offset, metadata and expiry. Both survive a restart, so a client resumes at the saved offset
 * with HEAD + PATCH. A chunk whose checksum does not match is cut off again (460) and the offset stays.
 */
public final class TusUploads {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TusUploads.class);

    public static final String VERSION = "1.0.0";
    public static final String EXTENSIONS = "creation,creation-with-upload,expiration,checksum,termination";
    public static final String CHECKSUMS = "sha1,sha256,md5";

    private final UnifiedJedis redis;
    private final Path dir;
    private final long maxSize;
    private final Duration expiry;
    private final Clock clock;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    public TusUploads(UnifiedJedis redis, Path dir, long maxSize, Duration expiry, Clock clock) throws IOException {
        this.redis = redis;
        this.dir = Files.createDirectories(dir);
        this.maxSize = maxSize;
        this.expiry = expiry;
        this.clock = clock;
    }

    /** An upload's state, as HEAD and the pipeline see it. */
    public record Upload(String id, long length, long offset, Map<String, String> metadata, Instant expires, Path file) {
        public boolean complete() {
            return offset == length;
        }
    }

    public long maxSize() {
        return maxSize;
    }

    public Path dir() {
        return dir;
    }

    /** POST: a new upload of {@code length} bytes; 413 over the size limit, 400 for bad metadata. */
    public Upload create(String uploadLength, String uploadMetadata) throws IOException {
        long length;
        try {
            length = Long.parseLong(uploadLength == null ? "" : uploadLength.trim());
        } catch (NumberFormatException e) {
            throw new Refused(400, "Upload-Length must be a non-negative integer (Upload-Defer-Length is not supported)");
        }
        if (length < 0) {
            throw new Refused(400, "Upload-Length must be a non-negative integer");
        }
        if (maxSize > 0 && length > maxSize) {
            throw new Refused(413, "Upload-Length " + length + " is over the limit of " + maxSize + " bytes (Tus-Max-Size)");
        }
        Map<String, String> metadata = metadata(uploadMetadata);
        String id = UUID.randomUUID().toString().replace("-", "");
        Instant expires = clock.instant().plus(expiry);
        Files.createFile(file(id));
        Map<String, String> state = new LinkedHashMap<>();
        state.put("length", Long.toString(length));
        state.put("offset", "0");
        state.put("expires", expires.toString());
        state.put("created", clock.instant().toString());
        metadata.forEach((k, v) -> state.put("meta:" + k, v));
        redis.hset(key(id), state);
        return new Upload(id, length, 0, metadata, expires, file(id));
    }

    /** HEAD: the upload, or 404 when unknown, terminated or expired. */
    public Upload get(String id) {
        if (id == null || !id.matches("[0-9a-f]{32}")) {
            throw new Refused(404, "no such upload");
        }
        Map<String, String> state = redis.hgetAll(key(id));
        if (state.isEmpty()) {
            throw new Refused(404, "no such upload (finished long ago, terminated or expired)");
        }
        Instant expires = Instant.parse(state.get("expires"));
        long length = Long.parseLong(state.get("length"));
        long offset = Long.parseLong(state.get("offset"));
        if (offset < length && clock.instant().isAfter(expires)) {
            throw new Refused(410, "the upload expired at " + expires);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        state.forEach((k, v) -> {
            if (k.startsWith("meta:")) {
                metadata.put(k.substring(5), v);
            }
        });
        return new Upload(id, length, offset, metadata, expires, file(id));
    }

    /**
     * PATCH: writes {@code body} at {@code uploadOffset}. 409 when the offset is not the server's, 413 when
     * the body runs past the length, 460 when an {@code Upload-Checksum} does not match (the chunk is
     * cut off again), 400 for an unknown algorithm. A dropped connection keeps what arrived.
     */
    public Upload append(String id, String uploadOffset, InputStream body, String uploadChecksum) throws IOException {
        ReentrantLock lock = locks.computeIfAbsent(id, k -> new ReentrantLock());
        if (!lock.tryLock()) {
            throw new Refused(423, "another PATCH of this upload is in progress");
        }
        try {
            Upload u = get(id);
            long offset;
            try {
                offset = Long.parseLong(uploadOffset == null ? "" : uploadOffset.trim());
            } catch (NumberFormatException e) {
                throw new Refused(400, "Upload-Offset header required");
            }
            if (offset != u.offset()) {
                throw new Refused(409, "Upload-Offset " + offset + " does not match the upload's offset " + u.offset());
            }
            MessageDigest digest = null;
            byte[] expected = null;
            if (uploadChecksum != null && !uploadChecksum.isBlank()) {
                String[] parts = uploadChecksum.trim().split(" ", 2);
                digest = digest(parts[0]);
                try {
                    expected = Base64.getDecoder().decode(parts.length > 1 ? parts[1].trim() : "");
                } catch (IllegalArgumentException e) {
                    throw new Refused(400, "Upload-Checksum value is not base64");
                }
            }
            long written = 0;
            long nextLog = 1L << 30;
            boolean dropped = false;
            try (FileChannel ch = FileChannel.open(u.file(), StandardOpenOption.WRITE)) {
                ch.position(offset);
                byte[] buf = new byte[64 * 1024];
                int n;
                try {
                    while ((n = body.read(buf)) > 0) {
                        if (offset + written + n > u.length()) {
                            ch.truncate(offset);
                            throw new Refused(413, "the body runs past Upload-Length " + u.length());
                        }
                        ch.write(ByteBuffer.wrap(buf, 0, n));
                        if (digest != null) {
                            digest.update(buf, 0, n);
                        }
                        written += n;
                        if (written >= nextLog) {
                            LOG.info("tus upload progress id={} mb={}/{}", id, (offset + written) >> 20, u.length() >> 20);
                            nextLog += 1L << 30;
                        }
                    }
                } catch (IOException e) {
                    dropped = true;
                }
                if (digest != null && (dropped || !MessageDigest.isEqual(expected, digest.digest()))) {
                    // a chunk that cannot be verified is not kept: the client sends it again
                    ch.truncate(offset);
                    if (dropped) {
                        return u;
                    }
                    throw new Refused(460, "Checksum Mismatch");
                }
                ch.force(false);
            }
            long now = offset + written;
            redis.hset(key(id), "offset", Long.toString(now));
            return new Upload(id, u.length(), now, u.metadata(), u.expires(), u.file());
        } finally {
            lock.unlock();
        }
    }

    /** DELETE (termination): the data and the state are gone. */
    public void terminate(String id) throws IOException {
        get(id);
        redis.del(key(id));
        Files.deleteIfExists(file(id));
        locks.remove(id);
    }

    /** Removes unfinished uploads past their expiry; returns how many. */
    public int expire() throws IOException {
        int removed = 0;
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (!name.endsWith(".part")) {
                    continue;
                }
                String id = name.substring(0, name.length() - 5);
                Map<String, String> state = redis.hgetAll(key(id));
                boolean orphan = state.isEmpty();
                boolean expired = !orphan && Long.parseLong(state.get("offset")) < Long.parseLong(state.get("length"))
                        && clock.instant().isAfter(Instant.parse(state.get("expires")));
                if (orphan || expired) {
                    redis.del(key(id));
                    Files.deleteIfExists(f);
                    removed++;
                }
            }
        }
        return removed;
    }

    /** Finished uploads still waiting in the folder (the pipeline removes them when it is done). */
    public java.util.List<Upload> finished() throws IOException {
        java.util.List<Upload> out = new java.util.ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (!name.endsWith(".part")) {
                    continue;
                }
                try {
                    Upload u = get(name.substring(0, name.length() - 5));
                    if (u.complete()) {
                        out.add(u);
                    }
                } catch (Refused gone) {
                    // expired or terminated meanwhile
                }
            }
        }
        return out;
    }

    /** After the pipeline took a finished upload: its file and state may go. */
    public void release(String id) throws IOException {
        redis.del(key(id));
        Files.deleteIfExists(file(id));
    }

    /** TUS Upload-Metadata: {@code key base64,key base64}; keys without a value are allowed. */
    static Map<String, String> metadata(String header) {
        Map<String, String> out = new LinkedHashMap<>();
        if (header == null || header.isBlank()) {
            return out;
        }
        for (String pair : header.split(",")) {
            String[] kv = pair.trim().split(" ", 2);
            if (kv[0].isEmpty() || !kv[0].matches("[^\\s,]+")) {
                throw new Refused(400, "Upload-Metadata keys must be non-empty and without spaces or commas");
            }
            try {
                out.put(kv[0], kv.length > 1 ? new String(Base64.getDecoder().decode(kv[1].trim()), StandardCharsets.UTF_8) : "");
            } catch (IllegalArgumentException e) {
                throw new Refused(400, "Upload-Metadata value of '" + kv[0] + "' is not base64");
            }
        }
        return out;
    }

    static MessageDigest digest(String algorithm) {
        String name = switch (algorithm.toLowerCase(Locale.ROOT)) {
            case "sha1" -> "SHA-1";
            case "sha256" -> "SHA-256";
            case "md5" -> "MD5";
            default -> throw new Refused(400, "Upload-Checksum algorithm '" + algorithm + "' is not one of " + CHECKSUMS);
        };
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path file(String id) {
        return dir.resolve(id + ".part");
    }

    private static String key(String id) {
        return "camelcast:tus:" + id;
    }
}
