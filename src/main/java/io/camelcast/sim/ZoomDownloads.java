package io.camelcast.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelcast.sim.SimServer.Request;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static io.camelcast.sim.ZoomConventions.extensionOf;

/**
 * The Zoom simulator's {@code /rec/download}: a recording file's bytes, generated on the fly or stored
 * by a test on disk, with {@code Range} and staged mid-body cuts. Streams, so a client's resume can be
 * tested on files of any size without holding one in memory.
 */
final class ZoomDownloads {

    private static final int BLOCK = 64 * 1024;

    private final ZoomRecordings recordings;
    private final Map<String, Path> files = new ConcurrentHashMap<>();
    private final Path fileDir;
    private final java.util.concurrent.atomic.AtomicInteger cutsLeft = new java.util.concurrent.atomic.AtomicInteger();
    private volatile long cutAfterBytes;

    ZoomDownloads(ZoomRecordings recordings) {
        this.recordings = recordings;
        try {
            fileDir = Files.createTempDirectory("zoom-sim-files");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the simulator's file folder", e);
        }
    }

    /** {@code GET|HEAD /rec/download/{fileId}[?size=N][&deleted=true]}. */
    void download(Request r) throws IOException {
        String fileId = r.path(1);
        if ("true".equals(r.query("deleted"))) {
            // Zoom answers a deleted (or unauthorised) file with 200 and an HTML page
            r.send(200, "text/html; charset=utf-8",
                    "<html><head><title>Error - Zoom</title></head><body>This recording does not exist.</body></html>"
                            .getBytes(StandardCharsets.UTF_8));
            return;
        }
        JsonNode registered = recordings.file(fileId);
        Path stored = files.get(fileId);
        long size = stored != null ? Files.size(stored) : sizeOf(registered, r.query("size"));
        if (size < 0) {
            r.json(404, Map.of("code", 3301, "message", "This recording does not exist."));
            return;
        }
        long first = 0;
        long last = size - 1;
        int status = 200;
        String range = r.header("Range");
        if (range != null && range.startsWith("bytes=") && !range.contains(",")) {
            String[] ends = range.substring(6).trim().split("-", 2);
            try {
                if (ends[0].isEmpty()) { // suffix: the last N bytes
                    long n = Long.parseLong(ends[1]);
                    first = Math.max(0, size - n);
                    if (n == 0) {
                        first = size;
                    }
                } else {
                    first = Long.parseLong(ends[0]);
                    if (ends.length > 1 && !ends[1].isEmpty()) {
                        last = Math.min(size - 1, Long.parseLong(ends[1]));
                    }
                }
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                first = size;
            }
            if (first >= size || first > last) {
                r.setHeader("Content-Range", "bytes */" + size);
                r.empty(416);
                return;
            }
            status = 206;
            r.setHeader("Content-Range", "bytes " + first + "-" + last + "/" + size);
        }
        long length = last - first + 1;
        String type = registered == null ? "MP4" : registered.path("file_type").asText("MP4");
        r.setHeader("Content-Type", contentTypeOf(type));
        r.setHeader("Accept-Ranges", "bytes");
        // unquoted, as Zoom sends it: the ingester takes the name after the last '='
        r.setHeader("Content-Disposition", "attachment; filename=" + fileId + "." + extensionOf(type));
        if ("HEAD".equals(r.method())) {
            r.setHeader("Content-Length", Long.toString(length));
            r.exchange().sendResponseHeaders(status, -1);
            return;
        }
        r.exchange().sendResponseHeaders(status, length == 0 ? -1 : length);
        if (length == 0) {
            return;
        }
        int cut = cutsLeft.getAndUpdate(n -> Math.max(0, n - 1));
        try (OutputStream out = cut > 0 ? new CutAfter(r.exchange().getResponseBody(), cutAfterBytes) : r.exchange().getResponseBody()) {
            if (stored != null) {
                try (InputStream in = Files.newInputStream(stored)) {
                    in.skipNBytes(first);
                    byte[] buf = new byte[BLOCK];
                    long left = length;
                    while (left > 0) {
                        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                        if (n < 0) {
                            break;
                        }
                        out.write(buf, 0, n);
                        left -= n;
                    }
                }
            } else {
                new Generated(fileId, first, last + 1).writeTo(out);
            }
        }
    }

    /** See {@link ZoomSimulator#cutNextDownloads}. */
    void cutNextDownloads(int count, long afterBytes) {
        cutAfterBytes = afterBytes;
        cutsLeft.set(count);
    }

    /** Passes {@code limit} bytes, then drops the connection. */
    private static final class CutAfter extends java.io.FilterOutputStream {
        private long left;

        CutAfter(OutputStream out, long limit) {
            super(out);
            this.left = limit;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > left) {
                out.write(b, off, (int) left);
                out.flush();
                left = 0;
                throw new SimServer.ConnectionDropped();
            }
            out.write(b, off, len);
            left -= len;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }
    }

    private static long sizeOf(JsonNode registered, String sizeParam) {
        if (sizeParam != null) {
            try {
                long size = Long.parseLong(sizeParam);
                return size < 0 ? -1 : size;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return registered != null && registered.has("file_size") ? registered.get("file_size").asLong() : -1;
    }

    /** {@code POST /_sim/files/{fileId}}: keeps the body on disk (never in memory) and serves it for this file id from now on. */
    void storeFile(Request r) throws IOException {
        Path target = fileDir.resolve(UUID.randomUUID().toString());
        try (InputStream in = r.bodyStream()) {
            Files.copy(in, target);
        }
        Path old = files.put(r.path(1), target);
        if (old != null) {
            old.toFile().delete();
        }
        r.json(201, Map.of("fileId", r.path(1), "bytes", Files.size(target)));
    }

    /** Serves the given file's bytes for {@code fileId} (copied to the simulator's folder). */
    void storeFile(String fileId, Path source) throws IOException {
        Path target = fileDir.resolve(UUID.randomUUID().toString());
        Files.copy(source, target);
        Path old = files.put(fileId, target);
        if (old != null) {
            old.toFile().delete();
        }
    }

    /** Deletes the stored files; downloads are generated again. */
    void clear() {
        files.values().forEach(p -> p.toFile().delete());
        files.clear();
    }

    /** Deletes the stored files and their folder. */
    void close() {
        clear();
        fileDir.toFile().delete();
    }

    /** The bytes a generated download consists of, for tests to compare with what landed in S3. */
    static InputStream expectedContent(String fileId, long size) {
        return new Generated(fileId, 0, size);
    }

    /** Lowercase hex SHA-256 of {@link #expectedContent}, computed block by block. */
    static String sha256Hex(String fileId, long size) {
        try (InputStream in = expectedContent(fileId, size)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[BLOCK];
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String contentTypeOf(String fileType) {
        return switch (fileType.toUpperCase(Locale.ROOT)) {
            case "M4A" -> "audio/mp4";
            case "CHAT", "CC", "TRANSCRIPT" -> "text/plain";
            case "TIMELINE" -> "application/json";
            default -> "video/mp4";
        };
    }

    /**
     * Deterministic content: a 64 KiB block of pseudo-random bytes seeded by the SHA-256 of the file
     * id, with each block's first eight bytes replaced by the block's index (little-endian), so no two
     * blocks are equal. Byte {@code i} depends only on (fileId, i); streams from {@code from} to
     * {@code end} (exclusive) without holding more than one block.
     */
    static final class Generated extends InputStream {
        private final byte[] block;
        private final long end;
        private long pos;
        private long blockIndex = -1;

        Generated(String fileId, long from, long end) {
            this.end = end;
            this.pos = from;
            this.block = new byte[BLOCK];
            new java.util.SplittableRandom(seedOf(fileId)).nextBytes(block);
        }

        private static long seedOf(String fileId) {
            try {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(fileId.getBytes(StandardCharsets.UTF_8));
                long seed = 0;
                for (int i = 0; i < 8; i++) {
                    seed = seed << 8 | (d[i] & 0xff);
                }
                return seed;
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private void position(long index) {
            if (index != blockIndex) {
                for (int i = 0; i < 8; i++) {
                    block[i] = (byte) (index >>> (8 * i));
                }
                blockIndex = index;
            }
        }

        @Override
        public int read() {
            if (pos >= end) {
                return -1;
            }
            position(pos / BLOCK);
            return block[(int) (pos++ % BLOCK)] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= end) {
                return -1;
            }
            position(pos / BLOCK);
            int within = (int) (pos % BLOCK);
            int n = (int) Math.min(Math.min(len, BLOCK - within), end - pos);
            System.arraycopy(block, within, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long k = Math.max(0, Math.min(n, end - pos));
            pos += k;
            return k;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, end - pos);
        }

        /** Writes the rest straight from the block, no copy. */
        void writeTo(OutputStream out) throws IOException {
            while (pos < end) {
                position(pos / BLOCK);
                int within = (int) (pos % BLOCK);
                int n = (int) Math.min(BLOCK - within, end - pos);
                out.write(block, within, n);
                pos += n;
            }
        }
    }
}
