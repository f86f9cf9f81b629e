package io.camelcast.recording;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.camelcast.recording.ZoomFileClient.closeQuietly;

/**
 * Zoom's download as one stream: when the connection drops, it reopens with {@code Range: bytes=N-}
 * (up to 5 times) and goes on, so the S3 side never sees the break. Hashes (SHA-256) and counts
 * what it passes on, and logs progress every 256 MiB.
 */
final class ResumingZoomStream extends InputStream {

    /** Logs under RecordingStaging, as before the split: one category for a file's staging. */
    private static final Logger LOG = LoggerFactory.getLogger(RecordingStaging.class);
    private static final int MAX_RESUMES = 5;

    private final ZoomFileClient client;
    private final String zipId;
    private final String key;
    private final String url;
    private final String token;
    private final boolean ranges;
    private final long length;
    private final MessageDigest sha = sha256();
    private ClassicHttpResponse response;
    private InputStream in;
    private long position;
    private int resumes;
    private long nextLog = 256L << 20;

    /** Takes over {@code response} (the first answer, already open) and closes it, or its successor, on close. */
    ResumingZoomStream(ZoomFileClient client, String zipId, String key, String url, String token, ClassicHttpResponse response,
                       boolean ranges, long length) throws IOException {
        this.client = client;
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
        response = client.open(url, token, position);
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
