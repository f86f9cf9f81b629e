package io.camelcast.upload;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The S3 calls behind uploads staged in the shared staging bucket: multipart uploads written one part
 * buffer at a time, the small objects tusd's s3store keeps beside them (the incomplete tail, the
 * {@code .info}), server-side concatenation (UploadPartCopy), and a whole file streamed in with its SHA-256.
 * Part numbers, ETags and offsets are the caller's to keep; nothing here is held between calls.
 */
final class StagingParts {

    /** S3's smallest part but the last. */
    static final long MIN_PART = 5L << 20;
    /** S3's largest part (and largest UploadPartCopy range). */
    static final long MAX_PART = 5L << 30;
    /** S3's most parts per upload. */
    static final int MAX_PARTS = 10_000;

    private final S3Client s3;
    private final String bucket;

    StagingParts(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    String bucket() {
        return bucket;
    }

    String begin(String key) {
        return s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
    }

    /** One part from {@code length} bytes of {@code buf}; returns its ETag. */
    String part(String key, String uploadId, int number, byte[] buf, int length) {
        return s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number).contentLength((long) length),
                RequestBody.fromInputStream(new ByteArrayInputStream(buf, 0, length), length)).eTag();
    }

    void complete(String key, String uploadId, List<String> etags) {
        List<CompletedPart> parts = new ArrayList<>();
        for (int i = 0; i < etags.size(); i++) {
            parts.add(CompletedPart.builder().partNumber(i + 1).eTag(etags.get(i)).build());
        }
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
    }

    /** Aborts a multipart upload; one already gone is fine. */
    void abort(String key, String uploadId) {
        if (uploadId == null || uploadId.isBlank()) {
            return;
        }
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (NoSuchUploadException gone) {
            // completed or aborted before
        }
    }

    void put(String key, byte[] buf, int length) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentLength((long) length),
                RequestBody.fromInputStream(new ByteArrayInputStream(buf, 0, length), length));
    }

    void putText(String key, String text) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromString(text));
    }

    /** The first {@code length} bytes of an object into {@code buf}; returns how many were there. */
    int read(String key, int length, byte[] buf) throws IOException {
        if (length <= 0) {
            return 0;
        }
        try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(key).range("bytes=0-" + (length - 1)))) {
            return in.readNBytes(buf, 0, length);
        } catch (NoSuchKeyException gone) {
            return 0;
        }
    }

    InputStream open(String key) {
        return s3.getObject(b -> b.bucket(bucket).key(key));
    }

    void delete(String key) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
        }
    }

    /** One source of a concatenation: an object and its size. */
    record Piece(String key, long size) {
    }

    /**
     * The pieces, in order, as one object, copied inside the store (UploadPartCopy): no byte passes through
     * this instance. Every piece but the last must be at least {@link #MIN_PART}; a piece over
     * {@link #MAX_PART} is copied in ranges.
     */
    void concatenate(String key, List<Piece> pieces) {
        String uploadId = begin(key);
        List<String> etags = new ArrayList<>();
        try {
            int n = 1;
            for (Piece p : pieces) {
                long ranges = Math.max(1, (p.size() + MAX_PART - 1) / MAX_PART);
                long step = (p.size() + ranges - 1) / ranges;
                for (long from = 0; from < p.size() || (p.size() == 0 && from == 0); from += Math.max(step, 1)) {
                    long to = Math.min(p.size(), from + step) - 1;
                    int number = n++;
                    String range = p.size() == 0 ? null : "bytes=" + from + "-" + to;
                    etags.add(s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey(p.key()).copySourceRange(range)
                            .destinationBucket(bucket).destinationKey(key).uploadId(uploadId).partNumber(number))
                            .copyPartResult().eTag());
                    if (p.size() == 0) {
                        break;
                    }
                }
            }
            complete(key, uploadId, etags);
        } catch (RuntimeException e) {
            abort(key, uploadId);
            throw e;
        }
    }

    /** What {@link #stream} stored. */
    record Stored(long size, String sha256) {
    }

    /**
     * A stream of unknown length into {@code key}, {@code partSize} bytes in memory at a time (a multipart
     * upload once it is over one part), with its SHA-256. A failure aborts the multipart upload.
     */
    Stored stream(String key, InputStream in, int partSize) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[partSize];
        int filled = in.readNBytes(buf, 0, partSize);
        sha.update(buf, 0, filled);
        if (filled < partSize) {
            put(key, buf, filled);
            return new Stored(filled, HexFormat.of().formatHex(sha.digest()));
        }
        String uploadId = begin(key);
        List<String> etags = new ArrayList<>();
        long size = 0;
        try {
            while (filled > 0) {
                etags.add(part(key, uploadId, etags.size() + 1, buf, filled));
                size += filled;
                filled = in.readNBytes(buf, 0, partSize);
                sha.update(buf, 0, filled);
            }
            complete(key, uploadId, etags);
        } catch (IOException | RuntimeException e) {
            abort(key, uploadId);
            throw e;
        }
        return new Stored(size, HexFormat.of().formatHex(sha.digest()));
    }

    /** A part size that keeps an upload of {@code length} bytes (unknown: -1) within S3's part count. */
    static int partSizeFor(long length, long preferred) {
        long size = Math.max(MIN_PART, preferred);
        if (length > 0) {
            size = Math.max(size, (length + MAX_PARTS - 2) / (MAX_PARTS - 1));
        }
        return (int) Math.min(size, Integer.MAX_VALUE - 8);
    }
}
