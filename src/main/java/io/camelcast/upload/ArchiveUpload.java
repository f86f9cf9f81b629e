package io.camelcast.upload;

import io.camelcast.store.MediaSource;

import io.camelcast.messages.UploadItem;

import io.camelcast.store.ItemFields;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The archive target: the upload's bytes into an S3-compatible bucket (Backblaze B2's S3 endpoint in
 * production), under a configurable key, with the checksum verified.
 *
 * <p>Large files go up as a multipart upload whose id is remembered in the item's status, so a retry after
 * an outage (B2 down for an hour) lists the parts the bucket already has and sends only the rest. Every
 * part is streamed from the source (a file or a ranged GET from staging; one part is never held in memory)
 * through MD5 and SHA-256, and the store's ETag for the part must equal the MD5 of the bytes sent; the
 * whole object's ETag ({@code md5(part md5s)-N}) and size are checked after completion. A store whose
 * ETags are not MD5s (SSE-KMS, some B2 large files) is checked by size alone, and says so in the log.
 *
 * <p>Why not camel-aws2-s3's multipart producer: it cannot resume an upload started by an earlier try, nor
 * check each part. The S3 calls are the AWS SDK's; only the loop is ours.
 */
public final class ArchiveUpload {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveUpload.class);
    private static final Pattern MD5 = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern MULTIPART_ETAG = Pattern.compile("([0-9a-f]{32})-(\\d+)");
    private static final Pattern TOKEN = Pattern.compile("\\{([a-zA-Z0-9_.-]+)}");

    /** Where the item's progress is kept between tries (the status record). */

    /** What the archive holds, for the status and the notification. */
    public record Archived(String bucket, String key, long size, String etag, String sha256, int parts) {
    }

    private final S3Client archive;
    private final S3Client staging;
    private final String bucket;
    private final String keyPattern;
    private final long partSize;
    private final String storageClass;
    private final ItemFields state;
    private final Clock clock;
    private final boolean sameStore;

    /**
     * @param sameStore the archive bucket is in the staging store: a staged item whose SHA-256 is known is copied
     *                  inside the store (CopyObject / UploadPartCopy) instead of streamed through this instance
     */
    public ArchiveUpload(S3Client archive, S3Client staging, String bucket, String keyPattern, long partSize,
                         String storageClass, ItemFields state, Clock clock, boolean sameStore) {
        this.sameStore = sameStore;
        this.archive = archive;
        this.staging = staging;
        this.bucket = bucket;
        this.keyPattern = keyPattern;
        this.partSize = Math.max(partSize, 5L << 20);
        this.storageClass = storageClass == null || storageClass.isBlank() ? null : storageClass;
        this.state = state;
        this.clock = clock;
    }

    /** The item's archive key: {@code {source}/{yyyy}/{MM}/{dd}/{id}/{filename}}, any {@code {meta.x}}. */
    public String keyFor(UploadItem item) {
        String received = item.received == null ? clock.instant().toString() : item.received;
        ZonedDateTime at = ZonedDateTime.parse(received).withZoneSameInstant(ZoneOffset.UTC);
        Map<String, String> values = new HashMap<>();
        values.put("source", item.source);
        values.put("id", item.id);
        values.put("filename", safe(item.name == null ? item.id : item.name));
        values.put("yyyy", String.format(Locale.ROOT, "%04d", at.getYear()));
        values.put("MM", String.format(Locale.ROOT, "%02d", at.getMonthValue()));
        values.put("dd", String.format(Locale.ROOT, "%02d", at.getDayOfMonth()));
        item.metadata.forEach((k, v) -> values.put("meta." + k, safe(v)));
        Matcher m = TOKEN.matcher(keyPattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null || v.isEmpty()) {
                v = "unknown";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Uploads the item (or finishes an upload an earlier try began) and returns what the archive holds. */
    public Archived upload(UploadItem item) throws IOException {
        String key = state.get(item.id, "archive.key");
        if (key == null) {
            key = keyFor(item);
        }
        long started = System.nanoTime();
        Archived done;
        if (sameStore && item.bucket != null && item.key != null && item.sha256 != null) {
            done = copy(item, key);
        } else {
            MediaSource source = MediaSource.of(item, staging);
            done = item.size <= partSize ? single(item, key, source) : multipart(item, key, source);
        }
        long ms = Math.max(1, (System.nanoTime() - started) / 1_000_000);
        LOG.info("upload archived id={} bucket={} key={} bytes={} parts={} ms={} mb_per_s={}", item.id, bucket, key,
                done.size(), done.parts(), ms, String.format(Locale.ROOT, "%.1f", done.size() / 1048576.0 / (ms / 1000.0)));
        return done;
    }

    /**
     * Staging to the archive inside the store: one CopyObject up to 5 GiB, UploadPartCopy ranges above. The
     * SHA-256 is the one computed as the bytes arrived; the copy is checked by its size.
     */
    private Archived copy(UploadItem item, String key) {
        String etag;
        int parts = 1;
        if (item.size <= StagingParts.MAX_PART) {
            etag = unquote(archive.copyObject(b -> {
                b.sourceBucket(item.bucket).sourceKey(item.key).destinationBucket(bucket).destinationKey(key)
                        .metadataDirective(software.amazon.awssdk.services.s3.model.MetadataDirective.REPLACE)
                        .metadata(objectMetadata(item)).contentType("application/octet-stream");
                if (storageClass != null) {
                    b.storageClass(storageClass);
                }
            }).copyObjectResult().eTag());
        } else {
            String uploadId = archive.createMultipartUpload(b -> {
                b.bucket(bucket).key(key).metadata(objectMetadata(item)).contentType("application/octet-stream");
                if (storageClass != null) {
                    b.storageClass(storageClass);
                }
            }).uploadId();
            List<CompletedPart> completed = new ArrayList<>();
            long step = Math.max(partSize, 1L << 30);
            for (long from = 0; from < item.size; from += step) {
                long to = Math.min(item.size, from + step) - 1;
                int number = completed.size() + 1;
                String range = "bytes=" + from + "-" + to;
                completed.add(CompletedPart.builder().partNumber(number).eTag(archive.uploadPartCopy(b -> b
                        .sourceBucket(item.bucket).sourceKey(item.key).copySourceRange(range).destinationBucket(bucket)
                        .destinationKey(key).uploadId(uploadId).partNumber(number)).copyPartResult().eTag()).build());
            }
            etag = unquote(archive.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(completed))).eTag());
            parts = completed.size();
        }
        checkObject(key, item.size, null);
        return new Archived(bucket, key, item.size, etag, item.sha256, parts);
    }

    private Archived single(UploadItem item, String key, MediaSource source) {
        Part part = new Part(source, 0, item.size);
        var response = archive.putObject(b -> {
            b.bucket(bucket).key(key).contentLength(item.size).metadata(objectMetadata(item));
            if (storageClass != null) {
                b.storageClass(storageClass);
            }
        }, RequestBody.fromContentProvider(part, item.size, "application/octet-stream"));
        String etag = unquote(response.eTag());
        part.verify(etag, key, 1);
        String sha = part.sha256Hex();
        checkObject(key, item.size, MD5.matcher(etag).matches() ? etag : null);
        return new Archived(bucket, key, item.size, etag, sha, 1);
    }

    private Archived multipart(UploadItem item, String key, MediaSource source) throws IOException {
        String uploadId = state.get(item.id, "archive.upload-id");
        Map<Integer, software.amazon.awssdk.services.s3.model.Part> present = new HashMap<>();
        if (uploadId != null) {
            String earlier = uploadId;
            try {
                for (var p : archive.listPartsPaginator(b -> b.bucket(bucket).key(key).uploadId(earlier)).parts()) {
                    present.put(p.partNumber(), p);
                }
                LOG.info("upload archive resumed id={} key={} upload_id={} parts_present={}", item.id, key, uploadId, present.size());
            } catch (NoSuchUploadException e) {
                uploadId = null;
            } catch (S3Exception e) {
                if (e.statusCode() != 404) {
                    throw e;
                }
                uploadId = null;
            }
        }
        if (uploadId == null) {
            String id = archive.createMultipartUpload(b -> {
                b.bucket(bucket).key(key).metadata(objectMetadata(item)).contentType("application/octet-stream");
                if (storageClass != null) {
                    b.storageClass(storageClass);
                }
            }).uploadId();
            uploadId = id;
            Map<String, String> remember = new LinkedHashMap<>();
            remember.put("archive.key", key);
            remember.put("archive.upload-id", id);
            state.put(item.id, remember);
        }
        String upload = uploadId;
        int count = (int) ((item.size + partSize - 1) / partSize);
        List<CompletedPart> completed = new ArrayList<>(count);
        MessageDigest whole = sha256();
        MessageDigest md5s = md5();
        long nextLog = 1L << 30;
        for (int n = 1; n <= count; n++) {
            long offset = (n - 1) * partSize;
            long length = Math.min(partSize, item.size - offset);
            Part part = new Part(source, offset, length, whole);
            var have = present.get(n);
            String etag = null;
            if (have != null && have.size() == length) {
                // read it (locally or from staging) to hash it; upload again only if the store holds other bytes
                part.drain();
                if (part.md5Hex().equals(unquote(have.eTag()))) {
                    etag = unquote(have.eTag());
                }
            }
            if (etag == null) {
                int number = n;
                part = new Part(source, offset, length, whole);
                etag = unquote(archive.uploadPart(b -> b.bucket(bucket).key(key).uploadId(upload).partNumber(number)
                        .contentLength(length), RequestBody.fromContentProvider(part, length, "application/octet-stream")).eTag());
                part.verify(etag, key, number);
            }
            whole = part.wholeAfter();
            md5s.update(HexFormat.of().parseHex(part.md5Hex()));
            completed.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
            if (offset + length >= nextLog) {
                LOG.info("upload archive progress id={} key={} mb={}/{} part={}/{}", item.id, key, (offset + length) >> 20,
                        item.size >> 20, n, count);
                nextLog += 1L << 30;
            }
        }
        String etag = unquote(archive.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(upload)
                .multipartUpload(m -> m.parts(completed))).eTag());
        String expected = HexFormat.of().formatHex(md5s.digest()) + "-" + count;
        checkObject(key, item.size, MULTIPART_ETAG.matcher(etag).matches() ? expected : null);
        if (MULTIPART_ETAG.matcher(etag).matches() && !etag.equals(expected)) {
            throw new IOException("archive ETag " + etag + " of " + key + " is not the one of the parts sent (" + expected + ")");
        }
        return new Archived(bucket, key, item.size, etag, HexFormat.of().formatHex(whole.digest()), count);
    }

    /** The object is there with the size sent (and the ETag when the store's ETags are MD5s). */
    private void checkObject(String key, long size, String expectedEtag) {
        HeadObjectResponse head = archive.headObject(b -> b.bucket(bucket).key(key));
        if (head.contentLength() != size) {
            throw new UncheckedIOException(new IOException("archive object " + key + " has " + head.contentLength()
                    + " bytes, " + size + " were sent"));
        }
        String etag = unquote(head.eTag());
        if (expectedEtag == null) {
            LOG.info("upload archive checked by size only key={} etag={} (not an MD5 ETag)", key, etag);
        } else if (!expectedEtag.equals(etag)) {
            throw new UncheckedIOException(new IOException("archive object " + key + " has ETag " + etag + ", expected " + expectedEtag));
        }
    }

    private static Map<String, String> objectMetadata(UploadItem item) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("camelcast-id", item.id);
        m.put("camelcast-source", item.source);
        if (item.sha256 != null) {
            m.put("sha256", item.sha256);
        }
        return m;
    }

    /**
     * One part's bytes as the SDK asks for them: every {@link #newStream()} (the SDK's own retry opens it
     * again) starts a fresh MD5 and a fresh copy of the whole-file SHA-256, so what is checked is what the
     * last attempt sent.
     */
    private static final class Part implements ContentStreamProvider {
        private final MediaSource source;
        private final long offset;
        private final long length;
        private final MessageDigest wholeBefore;
        private MessageDigest md5;
        private MessageDigest whole;
        private InputStream open;

        Part(MediaSource source, long offset, long length) {
            this(source, offset, length, sha256());
        }

        Part(MediaSource source, long offset, long length, MessageDigest wholeBefore) {
            this.source = source;
            this.offset = offset;
            this.length = length;
            this.wholeBefore = wholeBefore;
        }

        @Override
        public InputStream newStream() {
            closeOpen();
            md5 = md5();
            whole = copy(wholeBefore);
            try {
                open = new DigestInputStream(new DigestInputStream(source.open(offset, length), md5), whole);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return open;
        }

        void drain() throws IOException {
            try (InputStream in = newStream()) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        }

        void verify(String etag, String key, int number) {
            closeOpen();
            if (MD5.matcher(etag).matches() && !etag.equals(md5Hex())) {
                throw new UncheckedIOException(new IOException("archive part " + number + " of " + key + ": the store's ETag "
                        + etag + " is not the MD5 of the bytes sent (" + md5Hex() + ")"));
            }
        }

        String md5Hex() {
            return HexFormat.of().formatHex(copy(md5).digest());
        }

        String sha256Hex() {
            return HexFormat.of().formatHex(copy(whole).digest());
        }

        MessageDigest wholeAfter() {
            return whole;
        }

        private void closeOpen() {
            if (open != null) {
                try {
                    open.close();
                } catch (IOException ignored) {
                    // the SDK has read what it needed
                }
                open = null;
            }
        }
    }

    static String unquote(String etag) {
        return etag == null ? "" : etag.replace("\"", "").toLowerCase(Locale.ROOT);
    }

    /** No slashes or control characters from an uploader's file name into a key. */
    static String safe(String name) {
        String s = name.replaceAll("[\\p{Cntrl}/\\\\]", "_").trim();
        return s.isEmpty() || s.equals(".") || s.equals("..") ? "_" : s;
    }

    private static MessageDigest copy(MessageDigest d) {
        try {
            return (MessageDigest) d.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
