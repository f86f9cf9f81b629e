package io.camelcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real jar killed with SIGKILL in the middle of work, then started again on the same data directory.
 * Today: a TUS upload (the other crash points are listed in the upload issue's closing note).
 */
class CrashSurvivalIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "crash-it-key";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aTusUploadSurvivesKillNineOfTheRuntimeAndEndsArchivedWithTheFilesBytes(@TempDir Path dir) throws Exception {
        int port = CamelcastJarIT.freePort();
        int s3Port = CamelcastJarIT.freePort();
        Path config = dir.resolve("crash.properties");
        Files.writeString(config, String.join("\n",
                "camelcast.data-dir=" + dir.resolve("state"),
                "camelcast.http.port=" + port,
                "camelcast.api-key=" + KEY,
                "camelcast.s3.embedded-port=" + s3Port,
                "camelcast.targets.tus=archive",
                "camelcast.upload.min-free-bytes=0",
                "camelcast.archive.part-size=5242880",
                "camelcast.sqs.wait-seconds=1") + "\n");
        byte[] data = new byte[12 << 20];
        new Random(9).nextBytes(data);
        Path file = Files.write(dir.resolve("lecture.mp4"), data);

        Process first = start(config, dir.resolve("run-1.log"), port);
        TusClient client = new TusClient();
        client.setUploadCreationURL(new URL("http://127.0.0.1:" + port + "/files"));
        client.enableResuming(new TusURLMemoryStore());
        client.setHeaders(Map.of("X-Api-Key", KEY));
        TusUpload upload = new TusUpload(file.toFile());
        upload.setMetadata(Map.of("filename", "lecture.mp4"));
        TusUploader uploader = client.resumeOrCreateUpload(upload);
        uploader.setRequestPayloadSize(1 << 20);
        while (uploader.getOffset() < (6 << 20) && uploader.uploadChunk() > -1) {
            // half of it
        }
        String id = uploader.getUploadURL().getPath().replaceAll(".*/", "");
        long acknowledged = uploader.getOffset();

        first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));

        Process second = start(config, dir.resolve("run-2.log"), port);
        try {
            TusUploader resumed = client.resumeOrCreateUpload(new TusUpload(file.toFile()));
            assertEquals(acknowledged, resumed.getOffset(), "the offset every acknowledged PATCH reached survived kill -9");
            resumed.setRequestPayloadSize(4 << 20);
            while (resumed.uploadChunk() > -1) {
                // the rest
            }
            resumed.finish();

            JsonNode status = awaitDone(port, id);
            String key = status.path("steps").path("archive").path("key").asText();
            try (S3Client s3 = S3Client.builder().region(Region.US_EAST_1).forcePathStyle(true)
                    .endpointOverride(URI.create("http://127.0.0.1:" + s3Port))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("camelcast", "camelcast-embedded-secret")))
                    .build(); InputStream in = s3.getObject(b -> b.bucket("camelcast-archive").key(key))) {
                assertEquals(sha256(data), sha256(in.readAllBytes()), "the archive holds the file's bytes, in order");
            }
        } finally {
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
        }
    }

    static Process start(Path config, Path log, int port) throws Exception {
        Process p = new ProcessBuilder(List.of("java", "-Xmx256m", "-jar", CamelcastJarIT.JAR.toString(), "run", "--config",
                config.toString())).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        CamelcastJarIT.awaitHealthUp(port, p, log);
        return p;
    }

    static JsonNode awaitDone(int port, String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/uploads/" + id))
                    .header("X-Api-Key", KEY).build(), HttpResponse.BodyHandlers.ofString());
            last = r.body();
            if (r.statusCode() == 200 && "DONE".equals(JSON.readTree(r.body()).path("state").asText())) {
                return JSON.readTree(r.body());
            }
            Thread.sleep(200);
        }
        fail("upload " + id + " never DONE: " + last);
        return null;
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
