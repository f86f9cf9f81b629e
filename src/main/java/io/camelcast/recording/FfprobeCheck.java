package io.camelcast.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The seed's false-start / integrity check: {@code ffprobe -of json -show_format} on a presigned URL of
 * the staged MP4. A non-zero exit or a probe score under 100 means a corrupt transfer (retried, as the
 * seed); otherwise ffprobe's duration and size feed the false-start filter of the deliver stage.
 */
public final class FfprobeCheck implements RecordingStaging.Prober {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String ffprobe;
    private final S3Presigner presigner;

    public FfprobeCheck(String ffprobe, S3Presigner presigner) {
        this.ffprobe = ffprobe;
        this.presigner = presigner;
    }

    @Override
    public double[] probe(String bucket, String key) throws IOException {
        String url = presigner.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(30))
                .getObjectRequest(g -> g.bucket(bucket).key(key))).url().toString();
        Process p = new ProcessBuilder(List.of(ffprobe, "-v", "error", "-of", "json", "-show_format", url))
                .redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("ffprobe timed out on " + key);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while probing " + key, e);
        }
        JsonNode format = JSON.readTree(out.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : out).path("format");
        if (p.exitValue() != 0 || format.path("probe_score").asInt(0) < 100) {
            throw new IOException("Corrupt MP4, need to retry download from zoom to S3: " + key + " " + err.strip());
        }
        return new double[] {format.path("duration").asDouble(0), format.path("size").asLong(0)};
    }
}
