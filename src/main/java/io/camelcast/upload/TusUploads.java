package io.camelcast.upload;

import io.camelcast.http.Refused;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * The storage side of a TUS 1.0.0 server (core, creation, creation-with-upload, creation-defer-length,
 * concatenation, expiration, checksum sha1/sha256/md5, termination) whose bytes live in the shared staging
 * bucket, never on an instance's disk, so any instance answers any request of any upload. The layout is
 * tusd's s3store: the upload is an S3 multipart upload to {@code uploads/tus/{id}}, written one part buffer
 * ({@code camelcast.upload.part-size}, at least 5 MiB) at a time as the PATCH streams; bytes short of a part
 * wait in {@code {id}.part} until the next PATCH or the end; {@code {id}.info} describes the upload. Unlike
 * tusd, the offset, the parts' ETags and the running SHA-256 are kept in Redis ({@code camelcast:tus:{id}}),
 * and they move only once S3 holds the bytes, in one atomic step that also checks the upload's cluster lock
 * ({@link TusLocks}). A crash loses at most the part in flight; the client's HEAD says where to go on.
 */
public final class TusUploads {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TusUploads.class);

    public static final String VERSION = "1.0.0";
    public static final String EXTENSIONS =
            "creation,creation-with-upload,creation-defer-length,concatenation,expiration,checksum,termination";
    public static final String CHECKSUMS = "sha1,sha256,md5";
    static final String PREFIX = "uploads/tus/";
    private static final String EXPIRING = "camelcast:tus:expiring";
    private static final String COMPLETE = "camelcast:tus:complete";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();


    final UnifiedJedis redis;
    final StagingParts parts;
    final long maxSize;
    final long partSize;
    private final Duration expiry;
    private final long janitorMillis;
    private final Clock clock;
    private final TusLocks locks;

    /**
     * @param partSize      bytes per part (one buffer of this size per PATCH in flight; 5 MiB at least)
     * @param lockMillis    an upload's lock lives this long unless its PATCH renews it (a dead instance's is gone then)
     * @param janitorMillis the janitor's period: one run per period in the whole cluster
     */
    public TusUploads(UnifiedJedis redis, StagingParts parts, long maxSize, long partSize, Duration expiry, Clock clock,
                      long lockMillis, long janitorMillis, String instance) {
        this.redis = redis;
        this.parts = parts;
        this.maxSize = maxSize;
        this.partSize = Math.max(StagingParts.MIN_PART, partSize);
        this.expiry = expiry;
        this.janitorMillis = janitorMillis;
        this.clock = clock;
        this.locks = new TusLocks(redis, lockMillis, instance);
    }

    /**
     * An upload's state, as HEAD and the pipeline see it. {@code length} is -1 while deferred; {@code concat}
     * is {@code partial}, {@code final;<urls>} or null; {@code sha256} is known once complete (but for a final
     * upload joined inside the store).
     */
    public record Upload(String id, long length, long offset, Map<String, String> metadata, Instant expires,
                         String bucket, String key, String concat, String sha256) {
        public boolean complete() {
            return length >= 0 && offset == length;
        }

        public boolean lengthDeferred() {
            return length < 0;
        }

        public boolean partial() {
            return "partial".equals(concat);
        }

        public boolean isFinal() {
            return concat != null && concat.startsWith("final");
        }
    }

    public long maxSize() {
        return maxSize;
    }

    /**
     * POST: a new upload of {@code uploadLength} bytes, or of a length declared later ({@code Upload-Defer-Length: 1}),
     * or a partial one ({@code Upload-Concat: partial}). 413 over the size limit, 400 for bad headers.
     */
    public Upload create(String uploadLength, String deferLength, String uploadMetadata, String concat) {
        long length;
        if (uploadLength == null && "1".equals(deferLength == null ? null : deferLength.trim())) {
            length = -1;
        } else if (uploadLength == null && deferLength != null) {
            throw new Refused(400, "Upload-Defer-Length must be 1");
        } else {
            length = length(uploadLength, "Upload-Length must be a non-negative integer, or send Upload-Defer-Length: 1");
        }
        if (concat != null && !concat.isBlank() && !"partial".equals(concat.trim())) {
            throw new Refused(400, "Upload-Concat must be 'partial' or 'final;<upload URLs>'");
        }
        Map<String, String> metadata = metadata(uploadMetadata);
        String id = newId();
        Instant now = clock.instant();
        Instant expires = now.plus(expiry);
        Map<String, String> state = new LinkedHashMap<>();
        state.put("length", Long.toString(length));
        state.put("offset", "0");
        state.put("expires", expires.toString());
        state.put("created", now.toString());
        state.put("partSize", Integer.toString(StagingParts.partSizeFor(length, partSize)));
        state.put("parts", "0");
        state.put("partsBytes", "0");
        state.put("tail", "0");
        if (concat != null && !concat.isBlank()) {
            state.put("concat", "partial");
        }
        metadata.forEach((k, v) -> state.put("meta:" + k, v));
        parts.putText(key(id) + ".info", info(id, length, metadata, concat, null));
        redis.hset(stateKey(id), state);
        redis.zadd(EXPIRING, expires.toEpochMilli(), id);
        Upload u = new Upload(id, length, 0, metadata, expires, parts.bucket(), key(id), state.get("concat"), null);
        if (length == 0) {
            parts.put(key(id), new byte[0], 0);
            String emptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
            redis.hset(stateKey(id), Map.of("offset", "0", "sha256", emptySha256));
            return completed(u, emptySha256);
        }
        return u;
    }

    /**
     * POST with {@code Upload-Concat: final;<url> <url> ...}: one upload made of finished partial ones, joined
     * inside the store (UploadPartCopy) when every piece but the last is at least 5 MiB, streamed through this
     * instance otherwise. It is complete at once; PATCH is refused on it.
     */
    public Upload concatenate(String concat, String uploadMetadata) throws IOException {
        String list = concat.trim().substring("final;".length()).trim();
        if (list.isEmpty()) {
            throw new Refused(400, "Upload-Concat: final; names no partial upload");
        }
        List<Upload> pieces = new ArrayList<>();
        for (String url : list.split("\\s+")) {
            String pid = url.substring(url.lastIndexOf('/') + 1);
            Upload p;
            try {
                p = get(pid);
            } catch (Refused gone) {
                throw new Refused(400, "partial upload " + url + " does not exist");
            }
            if (!p.partial()) {
                throw new Refused(400, "upload " + url + " is not a partial upload (Upload-Concat: partial)");
            }
            if (!p.complete()) {
                throw new Refused(400, "partial upload " + url + " is not finished: " + p.offset() + " of " + p.length() + " bytes");
            }
            pieces.add(p);
        }
        long length = pieces.stream().mapToLong(Upload::length).sum();
        if (maxSize > 0 && length > maxSize) {
            throw new Refused(413, "the concatenation is " + length + " bytes, over the limit of " + maxSize + " (Tus-Max-Size)");
        }
        Map<String, String> metadata = metadata(uploadMetadata);
        String id = newId();
        String sha256 = null;
        boolean inStore = true;
        for (int i = 0; i < pieces.size() - 1; i++) {
            inStore &= pieces.get(i).length() >= StagingParts.MIN_PART;
        }
        if (inStore) {
            parts.concatenate(key(id), pieces.stream().map(p -> new StagingParts.Piece(p.key(), p.length())).toList());
        } else {
            List<InputStream> streams = new ArrayList<>();
            for (Upload p : pieces) {
                streams.add(parts.open(p.key()));
            }
            try (InputStream joined = new SequenceInputStream(Collections.enumeration(streams))) {
                sha256 = parts.stream(key(id), joined, (int) partSize).sha256();
            }
        }
        Instant now = clock.instant();
        Map<String, String> state = new LinkedHashMap<>();
        state.put("length", Long.toString(length));
        state.put("offset", Long.toString(length));
        state.put("expires", now.plus(expiry).toString());
        state.put("created", now.toString());
        state.put("parts", "0");
        state.put("concat", concat.trim());
        state.put("partials", String.join(" ", pieces.stream().map(Upload::id).toList()));
        if (sha256 != null) {
            state.put("sha256", sha256);
        }
        metadata.forEach((k, v) -> state.put("meta:" + k, v));
        parts.putText(key(id) + ".info", info(id, length, metadata, concat.trim(), pieces));
        redis.hset(stateKey(id), state);
        for (Upload p : pieces) {
            // a partial joined into a final upload lives as long as the final one
            redis.zrem(EXPIRING, p.id());
        }
        redis.sadd(COMPLETE, id);
        LOG.info("tus upload concatenated id={} partials={} bytes={} in-store={}", id, pieces.size(), length, inStore);
        return get(id);
    }

    /** HEAD: the upload, or 404 when unknown, terminated or released; 410 when it expired unfinished. */
    public Upload get(String id) {
        if (id == null || !id.matches("[0-9a-f]{32}")) {
            throw new Refused(404, "no such upload");
        }
        Map<String, String> state = redis.hgetAll(stateKey(id));
        if (state.isEmpty() || state.get("length") == null) {
            throw new Refused(404, "no such upload (finished long ago, terminated or expired)");
        }
        Upload u = upload(id, state);
        if (!u.complete() && clock.instant().isAfter(u.expires())) {
            throw new Refused(410, "the upload expired at " + u.expires());
        }
        return u;
    }

    private Upload upload(String id, Map<String, String> state) {
        Map<String, String> metadata = new LinkedHashMap<>();
        state.forEach((k, v) -> {
            if (k.startsWith("meta:")) {
                metadata.put(k.substring(5), v);
            }
        });
        return new Upload(id, Long.parseLong(state.get("length")), Long.parseLong(state.get("offset")), metadata,
                Instant.parse(state.get("expires")), parts.bucket(), key(id), state.get("concat"), state.get("sha256"));
    }

    /**
     * PATCH: {@code body} at {@code uploadOffset}, streamed to S3 a part at a time. 423 while another request
     * of the upload runs anywhere, 409 when the offset is not the upload's, 413 past the length or the size
     * limit, 460 when an {@code Upload-Checksum} does not match (nothing of the chunk is kept), 403 on a final
     * upload. {@code uploadLength} declares a deferred length. A dropped connection keeps what arrived (but a
     * checksummed chunk, which is kept whole or not at all).
     */
    public Upload append(String id, String uploadOffset, InputStream body, String uploadChecksum, String uploadLength)
            throws IOException {
        try (TusLocks.Held lock = locks.acquire(id)) {
            Upload u = get(id);
            if (u.isFinal()) {
                throw new Refused(403, "a final (concatenated) upload cannot be patched");
            }
            long offset = length(uploadOffset, "Upload-Offset header required");
            if (offset != u.offset()) {
                throw new Refused(409, "Upload-Offset " + offset + " does not match the upload's offset " + u.offset());
            }
            long length = declareLength(u, uploadLength);
            if (u.complete()) {
                return u;
            }
            // (a PATCH that only declares the length of bytes all sent before completes the upload from its tail)
            return new TusPatch(this, lock, u, length, offset, uploadChecksum).run(body);
        }
    }

    private long declareLength(Upload u, String uploadLength) {
        if (uploadLength == null || uploadLength.isBlank()) {
            return u.length();
        }
        long declared = length(uploadLength, "Upload-Length must be a non-negative integer");
        if (!u.lengthDeferred()) {
            if (declared != u.length()) {
                throw new Refused(400, "Upload-Length cannot be changed once set (it is " + u.length() + ")");
            }
            return declared;
        }
        if (declared < u.offset()) {
            throw new Refused(400, "Upload-Length " + declared + " is less than the bytes already received, " + u.offset());
        }
        if (maxSize > 0 && declared > maxSize) {
            throw new Refused(413, "Upload-Length " + declared + " is over the limit of " + maxSize + " bytes (Tus-Max-Size)");
        }
        redis.hset(stateKey(u.id()), "length", Long.toString(declared));
        return declared;
    }


    /** A complete upload: off the expiry list, on the list of finished ones (partials wait for their final). */
    Upload completed(Upload u, String sha256) {
        if (!u.partial()) {
            redis.zrem(EXPIRING, u.id());
            redis.sadd(COMPLETE, u.id());
        }
        return new Upload(u.id(), u.length(), u.length(), u.metadata(), u.expires(), u.bucket(), u.key(), u.concat(), sha256);
    }

    /** DELETE (termination): the multipart upload aborted, the objects and the state gone. */
    public void terminate(String id) {
        try (TusLocks.Held lock = locks.acquire(id)) {
            get(id);
            remove(id, true);
        }
    }

    /** Removes an upload's objects and state (and a final upload's partials). */
    private void remove(String id, boolean abort) {
        Map<String, String> state = redis.hgetAll(stateKey(id));
        String key = key(id);
        if (abort) {
            parts.abort(key, state.get("mpu"));
        }
        parts.delete(key);
        parts.delete(key + ".part");
        parts.delete(key + ".info");
        redis.del(stateKey(id), etagsKey(id));
        redis.zrem(EXPIRING, id);
        redis.srem(COMPLETE, id);
        String partials = state.get("partials");
        if (partials != null && !partials.isBlank()) {
            for (String p : partials.split(" ")) {
                remove(p, true);
            }
        }
    }

    /**
     * Removes uploads past their expiry, unfinished (or partial and never joined), once per janitor period in
     * the whole cluster; returns how many. An upload being patched right now is left for the next run.
     */
    public int expire() {
        String lease = redis.set("camelcast:tus:janitor", clock.instant().toString(),
                SetParams.setParams().nx().px(Math.max(1000, janitorMillis - 1000)));
        if (!"OK".equals(lease)) {
            return 0;
        }
        int removed = 0;
        for (String id : redis.zrangeByScore(EXPIRING, 0, clock.millis())) {
            try (TusLocks.Held lock = locks.acquire(id)) {
                remove(id, true);
                removed++;
                LOG.info("tus upload expired id={}", id);
            } catch (Refused busy) {
                // a PATCH is running: not abandoned after all
            }
        }
        return removed;
    }

    /** Finished uploads the pipeline has not released yet. */
    public List<Upload> finished() {
        List<Upload> out = new ArrayList<>();
        for (String id : redis.smembers(COMPLETE)) {
            try {
                Upload u = get(id);
                if (u.complete() && !u.partial()) {
                    out.add(u);
                }
            } catch (Refused gone) {
                redis.srem(COMPLETE, id);
            }
        }
        return out;
    }

    /** After the pipeline delivered a finished upload (DONE): its objects and state go. */
    public void release(String id) {
        remove(id, false);
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

    private long length(String header, String message) {
        try {
            long v = Long.parseLong(header == null ? "" : header.trim());
            if (v < 0) {
                throw new Refused(400, message);
            }
            if (maxSize > 0 && v > maxSize && message.startsWith("Upload-Length")) {
                throw new Refused(413, "Upload-Length " + v + " is over the limit of " + maxSize + " bytes (Tus-Max-Size)");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new Refused(400, message);
        }
    }

    /** tusd's {@code .info}: what an operator looking at the bucket needs to know about the upload. */
    private String info(String id, long length, Map<String, String> metadata, String concat, List<Upload> partials) {
        var json = JSON.createObjectNode();
        json.put("ID", id);
        json.put("Size", length);
        json.put("SizeIsDeferred", length < 0);
        var meta = json.putObject("MetaData");
        metadata.forEach(meta::put);
        json.put("IsPartial", "partial".equals(concat == null ? null : concat.trim()));
        json.put("IsFinal", partials != null);
        var ids = json.putArray("PartialUploads");
        if (partials != null) {
            partials.forEach(p -> ids.add(p.id()));
        }
        var storage = json.putObject("Storage");
        storage.put("Type", "s3store");
        storage.put("Bucket", parts.bucket());
        storage.put("Key", key(id));
        return json.toString();
    }

    private static String newId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    static String key(String id) {
        return PREFIX + id;
    }

    static String stateKey(String id) {
        return "camelcast:tus:" + id;
    }

    static String etagsKey(String id) {
        return "camelcast:tus:" + id + ":etags";
    }

    /** The lock renewer goes with the runtime. */
    public void close() {
        locks.close();
    }
}
