package io.camelcast.recording;

import io.camelcast.zoom.DownloadHosts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Streams one Zoom recording file into the staging bucket as a multipart upload, one part in memory at a
 * time (so memory is {@code part-size} per download whatever the file size), hashing as it goes.
 *
 * <p>Why not camel-aws2-s3's multipart producer: when Zoom's connection drops half way through a 4 GB
 * file, the stream must be reopened with {@code Range: bytes=N-} and the upload continued at part N, which
 * needs the loop here. The S3 calls are the AWS SDK's; only the loop is ours.
 *
 * <p>As the seed: an HTML answer means a deleted or unauthorised file and is skipped; the file name (and
 * so the extension) comes from Content-Disposition or the final URL. Beyond the seed: the size is checked
 * against Content-Length, a file already staged with the same size and Zoom file id is not fetched again
 * (a redelivery resumes at the first missing file), and hosts outside the allow-list are refused.
 */
public final class RecordingStaging {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingStaging.class);
    private static final int MAX_RESUMES = 5;
    /** 429s waited out per request before the download fails (and its message is redelivered later). */
    private static final int MAX_RATE_LIMITED = 3;

    private final S3Client s3;
    private final String bucket;
    private final int partSize;
    private final DownloadHosts hosts;
    private final CloseableHttpClient http;
    private final Prober prober;
    private final Checksums checksums;
    private final long singlePutLimit;
    /** Uploads parts while the next part is read from Zoom (one part in flight per download). */
    private final java.util.concurrent.ExecutorService uploader = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "recording-part-upload");
        t.setDaemon(true);
        return t;
    });

    /**
     * Remembers the checksum of each completed staging object (Redis in the runtime), so a redelivery
     * can trust an object already staged without reading 4 GB back.
     */
    public interface Checksums {
        String get(String key);

        void put(String key, String sha256);
    }

    /** Checks a staged MP4 (the seed's ffprobe false-start check); returns seconds and bytes, or throws. */
    public interface Prober {
        double[] probe(String bucket, String key) throws IOException;
    }

    public RecordingStaging(S3Client s3, String bucket, int partSize, DownloadHosts hosts, Prober prober,
                            Checksums checksums) {
        this(s3, bucket, partSize, hosts, prober, checksums, 5L << 30);
    }

    /** @param singlePutLimit files up to this size go up in one streamed PUT, larger ones by multipart */
    public RecordingStaging(S3Client s3, String bucket, int partSize, DownloadHosts hosts, Prober prober,
                            Checksums checksums, long singlePutLimit) {
        this.singlePutLimit = singlePutLimit;
        this.checksums = checksums;
        this.s3 = s3;
        this.bucket = bucket;
        this.partSize = Math.max(partSize, 5 * 1024 * 1024);
        this.hosts = hosts;
        this.prober = prober;
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofSeconds(15))
                                // a stalled transfer fails (and resumes) instead of hanging a consumer for ever
                                .setSocketTimeout(Timeout.ofSeconds(60)).build())
                        .setMaxConnTotal(64).setMaxConnPerRoute(16).build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(60)).build())
                .disableAutomaticRetries()
                .build();
    }

    /** A file that must not be retried: the recording's data says it cannot work. */
    public static final class PermanentFailure extends RuntimeException {
        public PermanentFailure(String message) {
            super(message);
        }
    }

    /**
     * Stages one file. Returns null when Zoom answers with an HTML page (deleted file), as the seed skips it.
     *
     * @param keyStem {@code {zoom_series_id}/{epoch_start}/{seg:03d}-{view}}; the extension is added here
     */
    public StagedFile stage(String zipId, String keyStem, String view, int segment, Map<String, String> file,
                            String downloadToken, String meetingUuid) throws IOException {
        String url = file.get("download_url");
        if (!hosts.allowed(url)) {
            throw new PermanentFailure("download host not in camelcast.zoom.download-hosts: " + safeHost(url));
        }
        long started = System.nanoTime();
        ClassicHttpResponse response = open(url, downloadToken, 0);
        try {
            String contentType = header(response, "Content-Type");
            if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("text/html")) {
                LOG.warn("recording file skipped zip_id={} file_id={}: Zoom answered an HTML page (deleted or not authorised)",
                        zipId, file.get("recording_id"));
                return null;
            }
            if (response.getCode() != 200) {
                throw new IOException("Zoom answered HTTP " + response.getCode() + " for file " + file.get("recording_id"));
            }
            String ext = extension(header(response, "Content-Disposition"), url, file.get("file_type"));
            String key = keyStem + "." + ext;
            long length = parseLong(header(response, "Content-Length"), -1);
            boolean ranges = "bytes".equalsIgnoreCase(header(response, "Accept-Ranges"));

            HeadObjectResponse existing = head(key);
            String knownSha = existing == null ? null : checksums.get(bucket + "/" + key);
            if (existing != null && knownSha != null && length >= 0 && existing.contentLength() == length
                    && file.get("recording_id").equals(existing.metadata().get("file_id"))) {
                LOG.info("recording file already staged zip_id={} key={} bytes={}", zipId, key, length);
                return finish(zipId, key, view, segment, file, ext, length, knownSha);
            }
            Map<String, String> metadata = Map.of("uuid", meetingUuid, "file_id", file.get("recording_id"), "file_type", ext);
            ZoomStream in = new ZoomStream(zipId, key, url, downloadToken, response, ranges, length);
            response = null; // the stream owns (and replaces) it from here
            try (in) {
                if (length >= 0 && length <= singlePutLimit) {
                    // one streamed PUT: the store writes the object once (a multipart upload is copied again on
                    // completion by some stores, S3Proxy's filesystem backend among them)
                    s3.putObject(b -> b.bucket(bucket).key(key).metadata(metadata).contentLength(length),
                            RequestBody.fromInputStream(in, length));
                } else {
                    multipart(key, metadata, in);
                }
                long done = in.position();
                if (length >= 0 && done != length) {
                    throw new IOException("size mismatch for " + key + ": Zoom announced " + length + " bytes, got " + done);
                }
                String digest = in.digestHex();
                checksums.put(bucket + "/" + key, digest);
                long ms = Math.max(1, (System.nanoTime() - started) / 1_000_000);
                LOG.info("recording file staged zip_id={} key={} bytes={} ms={} mb_per_s={} resumes={}", zipId, key, done, ms,
                        String.format(Locale.ROOT, "%.1f", done / 1048576.0 / (ms / 1000.0)), in.resumes());
                return finish(zipId, key, view, segment, file, ext, done, digest);
            }
        } finally {
            if (response != null) {
                closeQuietly(response);
            }
        }
    }

    /** Over {@code camelcast.recording.single-put-limit} (S3 takes 5 GiB in one PUT): parts, one read while one uploads. */
    private void multipart(String key, Map<String, String> metadata, InputStream in) throws IOException {
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

    /**
     * Zoom's download as one stream: when the connection drops, it reopens with {@code Range: bytes=N-}
     * (up to 5 times) and goes on, so the S3 side never sees the break. Hashes (SHA-256) and counts
     * what it passes on, and logs progress every 256 MiB.
     */
    private final class ZoomStream extends InputStream {
        private final String zipId;
        private final String key;
        private final String url;
        private final String token;
        private final boolean ranges;
        private final long length;
        private final MessageDigest sha = RecordingStaging.sha256();
        private ClassicHttpResponse response;
        private InputStream in;
        private long position;
        private int resumes;
        private long nextLog = 256L << 20;

        ZoomStream(String zipId, String key, String url, String token, ClassicHttpResponse response, boolean ranges, long length)
                throws IOException {
            this.zipId = zipId;
            this.key = key;
            this.url = url;
            this.token = token;
            this.response = response;
            this.ranges = ranges;
            this.length = length;
            this.in = response.getEntity().getContent();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (true) {
                int n;
                try {
                    n = in.read(b, off, len);
                } catch (IOException broken) {
                    resume(broken);
                    continue;
                }
                if (n > 0) {
                    sha.update(b, off, n);
                    position += n;
                    if (position >= nextLog) {
                        LOG.info("recording download progress zip_id={} key={} mb={}{}", zipId, key, position >> 20,
                                length > 0 ? "/" + (length >> 20) : "");
                        nextLog += 256L << 20;
                    }
                } else if (n < 0 && length >= 0 && position < length) {
                    // a clean end of stream before Content-Length is a dropped connection too
                    resume(new IOException("stream ended at " + position + " of " + length));
                    continue;
                }
                return n;
            }
        }

        private void resume(IOException broken) throws IOException {
            if (!ranges || resumes >= MAX_RESUMES) {
                throw broken;
            }
            resumes++;
            LOG.warn("recording download interrupted zip_id={} key={} at={} resume={}/{}: {}", zipId, key, position, resumes,
                    MAX_RESUMES, broken.getMessage());
            closeQuietly(response);
            response = open(url, token, position);
            if (response.getCode() != 206) {
                throw new IOException("Zoom did not honour Range (HTTP " + response.getCode() + ")", broken);
            }
            in = response.getEntity().getContent();
        }

        long position() {
            return position;
        }

        int resumes() {
            return resumes;
        }

        String digestHex() {
            return HexFormat.of().formatHex(sha.digest());
        }

        @Override
        public void close() {
            closeQuietly(response);
        }
    }

    /** A broken response cannot be drained; closing it must not hide the real outcome. */
    private static void closeQuietly(ClassicHttpResponse response) {
        try {
            response.close();
        } catch (IOException ignored) {
            // the connection is gone already
        }
    }

    private StagedFile finish(String zipId, String key, String view, int segment, Map<String, String> file, String ext,
                              long bytes, String sha256) throws IOException {
        double seconds = seconds(file.get("recording_start"), file.get("recording_end"));
        long probeBytes = 0;
        if ("mp4".equals(ext) && prober != null) {
            double[] probe = prober.probe(bucket, key);
            seconds = probe[0];
            probeBytes = (long) probe[1];
        } else if ("mp4".equals(ext)) {
            probeBytes = bytes;
        } else {
            // as the seed: non-MP4 files (chat) carry no duration, so they never decide a false start
            seconds = 0;
        }
        return new StagedFile(key, view, segment, file.get("recording_start"), file.get("recording_end"),
                file.get("file_type"), bytes, sha256, seconds, probeBytes);
    }

    static double seconds(String start, String end) {
        try {
            return Duration.between(java.time.Instant.parse(start), java.time.Instant.parse(end)).toSeconds();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /**
     * GET of Zoom's file (from {@code offset} with a Range header). A 429 is waited out for as long as
     * Zoom's {@code Retry-After} says (never sooner), up to three times, before it is left to fail.
     */
    private ClassicHttpResponse open(String url, String token, long offset) throws IOException {
        for (int limited = 0; ; limited++) {
            HttpGet get = new HttpGet(URI.create(url));
            get.setHeader("Authorization", "Bearer " + token);
            if (offset > 0) {
                get.setHeader("Range", "bytes=" + offset + "-");
            }
            ClassicHttpResponse response = http.executeOpen(null, get, null);
            if (response.getCode() != 429 || limited >= MAX_RATE_LIMITED) {
                return response;
            }
            Duration wait = io.camelcast.zoom.ZoomApi.retryAfter(header(response, "Retry-After"));
            closeQuietly(response);
            LOG.warn("recording download rate limited by Zoom host={} at={} retry_after_ms={} try={}/{}", safeHost(url), offset,
                    wait.toMillis(), limited + 1, MAX_RATE_LIMITED);
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting out Zoom's Retry-After", e);
            }
        }
    }

    private HeadObjectResponse head(String key) {
        try {
            return s3.headObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** The seed: name from Content-Disposition (text after the last '='), else the URL's last path segment. */
    static String extension(String disposition, String url, String fileType) {
        String name = null;
        if (disposition != null && disposition.contains("=")) {
            name = disposition.substring(disposition.lastIndexOf('=') + 1).replace("\"", "").trim();
        }
        if (name == null || name.isEmpty()) {
            String path = URI.create(url).getPath();
            name = path == null ? "" : Path.of(path).getFileName() == null ? "" : Path.of(path).getFileName().toString();
        }
        int dot = name.lastIndexOf('.');
        if (dot >= 0 && dot < name.length() - 1) {
            return name.substring(dot + 1).toLowerCase(Locale.ROOT);
        }
        return switch (String.valueOf(fileType).toUpperCase(Locale.ROOT)) {
            case "CHAT", "TRANSCRIPT", "CC" -> "txt";
            default -> String.valueOf(fileType).toLowerCase(Locale.ROOT);
        };
    }

    private static String header(ClassicHttpResponse r, String name) {
        Header h = r.getFirstHeader(name);
        return h == null ? null : h.getValue();
    }

    private static long parseLong(String s, long fallback) {
        try {
            return s == null ? fallback : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String safeHost(String url) {
        try {
            return String.valueOf(URI.create(url).getHost());
        } catch (RuntimeException e) {
            return "(unparseable URL)";
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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

    public void close() throws IOException {
        uploader.shutdownNow();
        http.close();
    }

}
