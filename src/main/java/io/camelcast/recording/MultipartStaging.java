package io.camelcast.recording;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Streams a file of unknown or too large a size for one PUT into the staging bucket as an S3 multipart
 * upload, reading the next part while the previous one uploads, so memory stays two part buffers per
 * file whatever its size. {@link RecordingStaging} hands it what it cannot send in one PUT.
 */
final class MultipartStaging implements AutoCloseable {

    /** Logs under RecordingStaging, as before the split: one category for a file's staging. */
    private static final Logger LOG = LoggerFactory.getLogger(RecordingStaging.class);

    private final S3Client s3;
    private final String bucket;
    private final int partSize;
    /** Uploads parts while the next part is read from Zoom (one part in flight per download). */
    private final java.util.concurrent.ExecutorService uploader = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "recording-part-upload");
        t.setDaemon(true);
        return t;
    });

    MultipartStaging(S3Client s3, String bucket, int partSize) {
        this.s3 = s3;
        this.bucket = bucket;
        this.partSize = partSize;
    }

    /** Over {@code camelcast.recording.single-put-limit} (S3 takes 5 GiB in one PUT): parts, one read while one uploads. */
    void upload(String key, Map<String, String> metadata, InputStream in) throws IOException {
        Upload up = new Upload(key, metadata);
        byte[][] buffers = {new byte[partSize], new byte[partSize]};
        int current = 0;
        try {
            while (true) {
                int filled = in.readNBytes(buffers[current], 0, partSize);
                if (filled > 0) {
                    up.part(buffers[current], filled);
                    current = 1 - current;
                }
                if (filled < partSize) {
                    break;
                }
            }
            up.complete();
        } catch (IOException | RuntimeException e) {
            up.abort();
            throw e;
        }
    }

    @Override
    public void close() {
        uploader.shutdownNow();
    }

    /** One multipart upload; parts go up as they fill, an empty file becomes a plain empty object. */
    private final class Upload {
        private final String key;
        private final Map<String, String> metadata;
        private final List<CompletedPart> parts = new ArrayList<>();
        private String uploadId;
        private java.util.concurrent.Future<CompletedPart> inFlight;

        Upload(String key, Map<String, String> metadata) {
            this.key = key;
            this.metadata = metadata;
        }

        /** Starts uploading {@code buffer} once the previous part is up; the caller fills its other buffer meanwhile. */
        void part(byte[] buffer, int length) throws IOException {
            if (uploadId == null) {
                uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).metadata(metadata)).uploadId();
            }
            awaitInFlight();
            int number = parts.size() + 1;
            inFlight = uploader.submit(() -> {
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                                .contentLength((long) length),
                        RequestBody.fromInputStream(new ByteArrayInputStream(buffer, 0, length), length)).eTag();
                return CompletedPart.builder().partNumber(number).eTag(etag).build();
            });
        }

        private void awaitInFlight() throws IOException {
            if (inFlight == null) {
                return;
            }
            try {
                parts.add(inFlight.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while uploading " + key, e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IOException("part upload failed for " + key + ": " + e.getCause().getMessage(), e.getCause());
            } finally {
                inFlight = null;
            }
        }

        void complete() throws IOException {
            awaitInFlight();
            if (uploadId == null) {
                s3.putObject(b -> b.bucket(bucket).key(key).metadata(metadata), RequestBody.empty());
                return;
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        }

        void abort() {
            if (inFlight != null) {
                try {
                    inFlight.get();
                } catch (Exception ignored) {
                    // the upload is being abandoned anyway
                }
                inFlight = null;
            }
            if (uploadId != null) {
                try {
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
                } catch (RuntimeException e) {
                    LOG.warn("could not abort multipart upload key={}: {}", key, e.getMessage());
                }
            }
        }
    }
}
