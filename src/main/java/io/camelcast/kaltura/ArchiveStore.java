package io.camelcast.kaltura;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GlacierJobParameters;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.RestoreRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The archive bucket ({@code camelcast.kaltura.bucket}, object key = entry id): streamed multipart copies
 * (one part in memory), what an object's storage class and restore state are, Glacier restore requests.
 */
public final class ArchiveStore {

    /** Parts uploaded at once while the next is read. */
    private static final int UPLOADERS = 4;
    private final S3Client s3;
    private final String bucket;
    private final long partSize;
    private final String storageClass;
    private final int restoreDays;
    private final String restoreTier;

    public ArchiveStore(S3Client s3, String bucket, long partSize, String storageClass, int restoreDays, String restoreTier) {
        this.s3 = s3;
        this.bucket = bucket;
        this.partSize = partSize;
        this.storageClass = storageClass == null || storageClass.isBlank() ? null : storageClass;
        this.restoreDays = restoreDays;
        this.restoreTier = restoreTier;
    }

    public String bucket() {
        return bucket;
    }

    /** An object's size and, for Glacier classes, whether it can be read now. */
    public record ObjectInfo(long size, String storageClass, String restore) {
        public boolean archived() {
            return storageClass != null && (storageClass.equals("GLACIER") || storageClass.equals("DEEP_ARCHIVE"));
        }

        /** Readable: not in Glacier, or restored ({@code ongoing-request="false"}). */
        public boolean readable() {
            return !archived() || (restore != null && restore.contains("ongoing-request=\"false\""));
        }

        public boolean restoreUnderWay() {
            return restore != null && restore.contains("ongoing-request=\"true\"");
        }
    }

    public Optional<ObjectInfo> head(String key) {
        try {
            HeadObjectResponse h = s3.headObject(b -> b.bucket(bucket).key(key));
            return Optional.of(new ObjectInfo(h.contentLength(), h.storageClassAsString(), h.restore()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public void checkBucket() {
        s3.headBucket(b -> b.bucket(bucket));
    }

    /** Streams {@code length} bytes to the key: one PUT up to a part, else a multipart upload aborted on failure. */
    public void put(String key, InputStream in, long length) throws IOException {
        if (length <= partSize) {
            s3.putObject(b -> b.bucket(bucket).key(key).contentLength(length).storageClass(storageClass),
                    RequestBody.fromInputStream(in, length));
            return;
        }
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).storageClass(storageClass)).uploadId();
        // reading the next part overlaps the upload of the previous ones: UPLOADERS parts in flight, each in
        // one of UPLOADERS + 1 buffers, so the heap holds at most that many parts whatever the size
        java.util.concurrent.BlockingQueue<byte[]> buffers = new java.util.concurrent.ArrayBlockingQueue<>(UPLOADERS + 1);
        for (int i = 0; i <= UPLOADERS; i++) {
            buffers.add(new byte[(int) partSize]);
        }
        java.util.concurrent.ExecutorService uploaders = java.util.concurrent.Executors.newFixedThreadPool(UPLOADERS, r -> {
            Thread t = new Thread(r, "kaltura-archive-part");
            t.setDaemon(true);
            return t;
        });
        List<java.util.concurrent.Future<CompletedPart>> parts = new ArrayList<>();
        try {
            long done = 0;
            for (int n = 1; done < length; n++) {
                byte[] buf = buffers.take();
                int len = in.readNBytes(buf, 0, (int) Math.min(partSize, length - done));
                if (len <= 0) {
                    throw new IOException("the original ended after " + done + " of " + length + " bytes");
                }
                int part = n;
                parts.add(uploaders.submit(() -> {
                    try {
                        String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(part)
                                // read from the buffer in place: fromByteBuffer/fromBytes copy the part, and at -Xmx128m
                                // those 8 MB copies kept the old generation collecting (6 s of GC pauses in a 512 MB copy)
                                .contentLength((long) len), RequestBody.fromContentProvider(
                                        () -> new java.io.ByteArrayInputStream(buf, 0, len), len, "application/octet-stream")).eTag();
                        return CompletedPart.builder().partNumber(part).eTag(etag).build();
                    } finally {
                        buffers.add(buf);
                    }
                }));
                done += len;
                for (java.util.concurrent.Future<CompletedPart> f : parts) {
                    if (f.isDone()) {
                        f.get(); // a failed part stops the copy now
                    }
                }
            }
            List<CompletedPart> completed = new ArrayList<>();
            for (java.util.concurrent.Future<CompletedPart> f : parts) {
                completed.add(f.get());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(completed)));
        } catch (IOException | RuntimeException | InterruptedException | java.util.concurrent.ExecutionException e) {
            uploaders.shutdownNow();
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (RuntimeException ignored) {
                // the upload is abandoned either way; a lifecycle rule removes stale parts
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(cause.getMessage(), cause);
        } finally {
            uploaders.shutdown();
        }
    }

    public InputStream open(String key) {
        return s3.getObject(b -> b.bucket(bucket).key(key));
    }

    /** Asks Glacier for a temporary copy; false when a restore is already under way (409). */
    public boolean requestRestore(String key) {
        try {
            s3.restoreObject(b -> b.bucket(bucket).key(key).restoreRequest(RestoreRequest.builder().days(restoreDays)
                    .glacierJobParameters(GlacierJobParameters.builder().tier(restoreTier).build()).build()));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 409) {
                return false;
            }
            throw e;
        }
    }
}
