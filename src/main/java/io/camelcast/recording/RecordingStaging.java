package io.camelcast.recording;

import io.camelcast.zoom.DownloadHosts;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static io.camelcast.recording.ZoomFileClient.closeQuietly;
import static io.camelcast.recording.ZoomFileClient.header;
import static io.camelcast.recording.ZoomFileClient.safeHost;

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
 *
 * <p>This class decides what to fetch and where it goes; {@link ZoomFileClient} opens Zoom's downloads
 * (429s), {@link ResumingZoomStream} resumes them with {@code Range}, and {@link MultipartStaging} uploads
 * what is too large for one PUT.
 */
public final class RecordingStaging {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingStaging.class);

    private final S3Client s3;
    private final String bucket;
    private final DownloadHosts hosts;
    private final ZoomFileClient zoom;
    private final MultipartStaging multipart;
    private final Prober prober;
    private final Checksums checksums;
    private final long singlePutLimit;

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
        this.multipart = new MultipartStaging(s3, bucket, Math.max(partSize, 5 * 1024 * 1024));
        this.hosts = hosts;
        this.prober = prober;
        this.zoom = new ZoomFileClient();
    }

    /** A file that must not be retried: the recording's data says it cannot work. */
    public static final class PermanentFailure extends RuntimeException {
        public PermanentFailure(String message) {
            super(message);
        }
    }

    /**
     * Zoom refused the download (401/403): the download token expired or is not this account's. The fetch
     * stage renews the token once ({@link FreshDownloads}); only a refusal after that is a failure.
     */
    public static final class DownloadRefused extends IOException {
        private final int status;

        public DownloadRefused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int getStatus() {
            return status;
        }
    }

    /**
     * Stages one file. Returns null when Zoom answers with an HTML page (deleted file), as the seed skips it.
     * Throws {@link DownloadRefused} when Zoom answers 401 or 403.
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
        ClassicHttpResponse response = zoom.open(url, downloadToken, 0);
        try {
            if (response.getCode() == 401 || response.getCode() == 403) {
                throw new DownloadRefused(response.getCode(), "Zoom refused the download of file " + file.get("recording_id")
                        + " with HTTP " + response.getCode());
            }
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
            ResumingZoomStream in = new ResumingZoomStream(zoom, zipId, key, url, downloadToken, response, ranges, length);
            response = null; // the stream owns (and replaces) it from here
            try (in) {
                if (length >= 0 && length <= singlePutLimit) {
                    // one streamed PUT: the store writes the object once (a multipart upload is copied again on
                    // completion by some stores, S3Proxy's filesystem backend among them)
                    s3.putObject(b -> b.bucket(bucket).key(key).metadata(metadata).contentLength(length),
                            RequestBody.fromInputStream(in, length));
                } else {
                    multipart.upload(key, metadata, in);
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
                file.get("file_type"), bytes, sha256, seconds, probeBytes, file.get("language"));
    }

    static double seconds(String start, String end) {
        try {
            return Duration.between(java.time.Instant.parse(start), java.time.Instant.parse(end)).toSeconds();
        } catch (RuntimeException e) {
            return 0;
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
            case "CHAT" -> "txt";
            // Zoom's captions are WebVTT; Opencast tells a captions track by its extension
            case "TRANSCRIPT", "CC" -> "vtt";
            default -> String.valueOf(fileType).toLowerCase(Locale.ROOT);
        };
    }

    private static long parseLong(String s, long fallback) {
        try {
            return s == null ? fallback : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    public void close() throws IOException {
        multipart.close();
        zoom.close();
    }

}
