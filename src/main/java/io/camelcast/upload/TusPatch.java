package io.camelcast.upload;

import io.camelcast.http.Refused;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/** One PATCH's bytes: the tail left by the last one, then the body, a part buffer at a time. */
final class TusPatch {

    private static final Logger LOG = LoggerFactory.getLogger(TusUploads.class);

    /**
     * Commits what a PATCH made durable: the ETags of its parts and the upload's new fields, only while the
     * PATCH still holds the upload's lock and no other commit came between (the part count is as it read it).
     */
    private static final String COMMIT = """
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
            if redis.call('HGET', KEYS[2], 'parts') ~= ARGV[2] then return -2 end
            local k = tonumber(ARGV[3])
            for i = 1, k do redis.call('RPUSH', KEYS[3], ARGV[3 + i]) end
            local f = {}
            for i = 4 + k, #ARGV do f[#f + 1] = ARGV[i] end
            if #f > 0 then redis.call('HSET', KEYS[2], unpack(f)) end
            return 1""";

    private final TusUploads owner;
    private final UnifiedJedis redis;
    private final StagingParts parts;
    private final long maxSize;
    private final TusLocks.Held lock;
    private final TusUploads.Upload u;
    private final long length;
    private final long offset;
    private final MessageDigest checksum;
    private final byte[] expected;
    private final Map<String, String> state;
    private final byte[] buf;
    private final RunningSha256 sha;
    private int committedParts;
    private long partsBytes;
    private String mpu;
    /** Parts sent to S3 but not yet committed (a checksummed chunk commits at its end). */
    private final List<String> pending = new ArrayList<>();
    private long pendingBytes;

    TusPatch(TusUploads owner, TusLocks.Held lock, TusUploads.Upload u, long length, long offset, String uploadChecksum) {
        this.owner = owner;
        this.redis = owner.redis;
        this.parts = owner.parts;
        this.maxSize = owner.maxSize;
        this.lock = lock;
        this.u = u;
        this.length = length;
        this.offset = offset;
        this.state = redis.hgetAll(TusUploads.stateKey(u.id()));
        this.buf = new byte[Integer.parseInt(state.getOrDefault("partSize", Long.toString(owner.partSize)))];
        this.sha = RunningSha256.restore(state.get("sha"));
        this.committedParts = Integer.parseInt(state.getOrDefault("parts", "0"));
        this.partsBytes = Long.parseLong(state.getOrDefault("partsBytes", "0"));
        this.mpu = state.get("mpu");
        if (uploadChecksum != null && !uploadChecksum.isBlank()) {
            String[] p = uploadChecksum.trim().split(" ", 2);
            checksum = TusUploads.digest(p[0]);
            try {
                expected = Base64.getDecoder().decode(p.length > 1 ? p[1].trim() : "");
            } catch (IllegalArgumentException e) {
                throw new Refused(400, "Upload-Checksum value is not base64");
            }
        } else {
            checksum = null;
            expected = null;
        }
    }

    TusUploads.Upload run(InputStream body) throws IOException {
        int tail = Integer.parseInt(state.getOrDefault("tail", "0"));
        int filled = parts.read(TusUploads.key(u.id()) + ".part", tail, buf);
        if (filled != tail) {
            throw new IllegalStateException("upload " + u.id() + ": the tail object holds " + filled + " of " + tail + " bytes");
        }
        long written = 0;
        long nextLog = 1L << 30;
        boolean dropped = false;
        try {
            int n;
            while ((n = body.read(buf, filled, buf.length - filled)) >= 0) {
                long at = offset + written + n;
                if (length >= 0 && at > length) {
                    throw new Refused(413, "the body runs past Upload-Length " + length);
                }
                if (length < 0 && maxSize > 0 && at > maxSize) {
                    throw new Refused(413, "the upload is over the limit of " + maxSize + " bytes (Tus-Max-Size)");
                }
                if (checksum != null) {
                    checksum.update(buf, filled, n);
                }
                filled += n;
                written += n;
                if (filled == buf.length) {
                    if (!(length >= 0 && offset + written == length)) {
                        sendPart(filled);
                        filled = 0;
                    } else if (body.read(new byte[1]) > 0) {
                        // the upload's last byte is in a full buffer (it becomes the final part below): more is too much
                        throw new Refused(413, "the body runs past Upload-Length " + length);
                    } else {
                        break;
                    }
                }
                if (written >= nextLog) {
                    LOG.info("tus upload progress id={} mb={}/{}", u.id(), (offset + written) >> 20, length >> 20);
                    nextLog += 1L << 30;
                }
            }
        } catch (IOException e) {
            dropped = true;
            LOG.info("tus upload connection dropped id={} at offset={}: {}", u.id(), offset + written, e.getMessage());
        }
        if (checksum != null && (dropped || !MessageDigest.isEqual(expected, checksum.digest()))) {
            // a chunk that cannot be verified is not kept: nothing of it is committed, the client sends it again
            if (dropped) {
                return u;
            }
            throw new Refused(460, "Checksum Mismatch");
        }
        lock.check();
        long now = offset + written;
        if (length >= 0 && now == length) {
            return finish(filled);
        }
        if (filled > 0) {
            parts.put(TusUploads.key(u.id()) + ".part", buf, filled);
        }
        commit("offset", Long.toString(now), "tail", Integer.toString(filled));
        return new TusUploads.Upload(u.id(), length, now, u.metadata(), u.expires(), u.bucket(), u.key(), u.concat(), null);
    }

    private void sendPart(int filled) {
        lock.check();
        if (mpu == null) {
            mpu = parts.begin(TusUploads.key(u.id()));
            // remembered at once: a crash before the first commit leaves an upload the janitor can abort
            redis.hset(TusUploads.stateKey(u.id()), "mpu", mpu);
        }
        pending.add(parts.part(TusUploads.key(u.id()), mpu, committedParts + pending.size() + 1, buf, filled));
        sha.update(buf, 0, filled);
        pendingBytes += filled;
        if (checksum == null) {
            commit("offset", Long.toString(partsBytes + pendingBytes), "tail", "0");
        }
    }

    /** The last bytes: the final part (or the whole upload, when it fits one part), then the object. */
    private TusUploads.Upload finish(int filled) {
        sha.update(buf, 0, filled);
        String key = TusUploads.key(u.id());
        if (mpu == null) {
            parts.put(key, buf, filled);
        } else {
            if (filled > 0) {
                pending.add(parts.part(key, mpu, committedParts + pending.size() + 1, buf, filled));
                pendingBytes += filled;
            }
            List<String> etags = new ArrayList<>(redis.lrange(TusUploads.etagsKey(u.id()), 0, -1));
            etags.addAll(pending);
            parts.complete(key, mpu, etags);
        }
        commit("offset", Long.toString(length), "tail", "0", "length", Long.toString(length), "sha256", sha.hex());
        parts.delete(key + ".part");
        TusUploads.Upload done = new TusUploads.Upload(u.id(), length, length, u.metadata(), u.expires(), u.bucket(), key, u.concat(), sha.hex());
        return owner.completed(done, sha.hex());
    }

    /** Pending parts and the given fields, atomically, while the lock is ours. */
    private void commit(String... fields) {
        List<String> args = new ArrayList<>();
        args.add(lock.token);
        args.add(Integer.toString(committedParts));
        args.add(Integer.toString(pending.size()));
        args.addAll(pending);
        int parts = committedParts + pending.size();
        long bytes = partsBytes + pendingBytes;
        args.addAll(List.of("parts", Integer.toString(parts), "partsBytes", Long.toString(bytes), "sha", sha.state()));
        args.addAll(List.of(fields));
        Object r = redis.eval(COMMIT, List.of(TusLocks.key(u.id()), TusUploads.stateKey(u.id()), TusUploads.etagsKey(u.id())), args);
        if (!Long.valueOf(1).equals(r)) {
            throw new Refused(409, "this upload changed while the PATCH ran (its lock was lost); HEAD for the offset and resume");
        }
        committedParts = parts;
        partsBytes = bytes;
        pending.clear();
        pendingBytes = 0;
    }
}
