package io.camelcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.FlowTests;
import io.camelcast.opencast.MediapackageIds;
import io.camelcast.sim.Faults;
import io.camelcast.sim.OpencastSimulator;
import io.camelcast.sim.Simulators;
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
 * The real jar killed with SIGKILL in the middle of work, then started again on the same data directory:
 * a TUS upload, a recording download and an Opencast ingest (the harvest: analytics.HarvestCrashIT).
 */
class CrashSurvivalIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "crash-it-key";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aTusUploadSurvivesKillNineOfTheRuntimeAndEndsArchivedWithTheFilesBytes(@TempDir Path dir) throws Exception {
        int port = FlowTests.portToReuse();
        int s3Port = FlowTests.portToReuse();
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

    @Test
    void recordingsKilledDuringTheirDownloadAndTheirOpencastIngestAreIngestedExactlyOnce(@TempDir Path dir) throws Exception {
        int port = FlowTests.portToReuse();
        try (Simulators sims = Simulators.start(0, 0)) {
            Path config = dir.resolve("crash.properties");
            Files.writeString(config, String.join("\n",
                    "camelcast.data-dir=" + dir.resolve("state"),
                    "camelcast.http.port=" + port,
                    "camelcast.api-key=" + KEY,
                    "camelcast.recording.webhook-delay=0",
                    "camelcast.sqs.wait-seconds=1",
                    // a killed instance's message is back on its queue this soon (default 60 s)
                    "camelcast.sqs.visibility-seconds=4",
                    // Opencast keeps working on the ingest the killed instance started (5 s below): the next
                    // instance must wait for it, not ingest again (the default grace is 30 min)
                    "camelcast.opencast.ingest-grace=15",
                    "camelcast.zoom.webhook-secret=" + Simulators.DEMO_WEBHOOK_SECRET,
                    "camelcast.zoom.download-hosts=127.0.0.1",
                    "camelcast.zoom.api-url=" + sims.zoom().url() + "/v2",
                    "camelcast.zoom.oauth-url=" + sims.zoom().url() + "/oauth/token",
                    "camelcast.opencast.url=" + sims.opencast().url(),
                    "camelcast.opencast.engage-url=" + sims.opencast().url(),
                    "camelcast.opencast.user=" + OpencastSimulator.DEFAULT_USER,
                    "camelcast.opencast.password=" + OpencastSimulator.DEFAULT_PASSWORD,
                    "camelcast.schedule.default-series-id=20270199999") + "\n");
            sims.opencast().registerSeries("20270199999", "Crash survival");
            URI webhook = URI.create("http://127.0.0.1:" + port + "/zoom/webhook");
            String downloading = "crashdl" + System.nanoTime() + "==";
            String ingesting = "crashoc" + System.nanoTime() + "==";

            // 1. killed while a file of the recording is being downloaded (Zoom holds the second file back)
            Process first = start(config, dir.resolve("run-1.log"), port);
            sims.zoom().faults().add(new Faults.Fault(0, 1, 6000, "/rec/download/", "GET", null, null, 1));
            ObjectNode a = sims.zoom().recordingCompletedEvent(downloading, 95_000_000_001L, "Crash A", "2026-11-17T15:00:00Z", 60, 4L << 20);
            assertEquals(200, sims.zoom().sendWebhook(webhook, Simulators.DEMO_WEBHOOK_SECRET, a.toString()).statusCode());
            // the fault is used up when the held-back request arrives: the download is open right now
            awaitTrue(() -> sims.zoom().faults().list().isEmpty(), "the second file's download started", dir.resolve("run-1.log"));
            first.destroyForcibly();
            assertTrue(first.waitFor(30, TimeUnit.SECONDS));

            // 2. killed while Opencast is taking the ingest (it keeps it: the answer never reaches Camelcast)
            Process second = start(config, dir.resolve("run-2.log"), port);
            sims.opencast().awaitIngests(1, Duration.ofSeconds(60));
            sims.opencast().faults().add(new Faults.Fault(0, 1, 5000, "/ingest/addMediaPackage", "POST", null, null));
            ObjectNode b = sims.zoom().recordingCompletedEvent(ingesting, 95_000_000_002L, "Crash B", "2026-11-17T17:00:00Z", 60, 1L << 20);
            assertEquals(200, sims.zoom().sendWebhook(webhook, Simulators.DEMO_WEBHOOK_SECRET, b.toString()).statusCode());
            awaitTrue(() -> sims.opencast().faults().list().isEmpty(), "the second ingest reached Opencast", dir.resolve("run-2.log"));
            second.destroyForcibly();
            assertTrue(second.waitFor(30, TimeUnit.SECONDS));

            Process third = start(config, dir.resolve("run-3.log"), port);
            try {
                sims.opencast().awaitIngests(2, Duration.ofSeconds(60));
                // give a wrongly repeated delivery time to show up before counting
                // (the workflow Opencast started is followed on: OPENCAST_SUCCEEDED is where an ingest ends now)
                awaitTrue(() -> java.util.Set.of("IGNORED", "SENT_TO_OPENCAST", "OPENCAST_SUCCEEDED").contains(state(port, ingesting)),
                        "recording B settled", () -> deliveries(dir, "run-1.log", "run-2.log", "run-3.log"));
                Thread.sleep(6000);
                Map<String, Long> perMediapackage = new java.util.TreeMap<>();
                for (Map<String, Object> ingest : sims.opencast().ingests()) {
                    perMediapackage.merge(String.valueOf(ingest.get("mediapackageId")), 1L, Long::sum);
                }
                assertEquals(Map.of(MediapackageIds.deterministic(downloading), 1L, MediapackageIds.deterministic(ingesting), 1L),
                        perMediapackage, () -> "each recording ingested exactly once (A " + MediapackageIds.deterministic(downloading)
                                + ", B " + MediapackageIds.deterministic(ingesting) + "); what the three runs did:\n"
                                + deliveries(dir, "run-1.log", "run-2.log", "run-3.log"));
                assertTrue(java.util.Set.of("SENT_TO_OPENCAST", "OPENCAST_SUCCEEDED").contains(state(port, downloading)),
                        "recording A ingested: " + state(port, downloading));
            } finally {
                third.destroy();
                third.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    static String state(int port, String uuid) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/recordings/"
                + java.net.URLEncoder.encode(uuid, java.nio.charset.StandardCharsets.UTF_8))).header("X-Api-Key", KEY).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return "";
        }
        return JSON.readTree(r.body()).path("zip_ingests").get(0).path("status").asText();
    }

    static void awaitTrue(java.util.concurrent.Callable<Boolean> condition, String what, Path log) throws Exception {
        awaitTrue(condition, what, () -> {
            try {
                return Files.readString(log);
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
    }

    static void awaitTrue(java.util.concurrent.Callable<Boolean> condition, String what,
                          java.util.function.Supplier<String> detail) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.call()) {
                return;
            }
            Thread.sleep(100);
        }
        fail("timed out waiting for " + what + "; log:\n" + detail.get());
    }

    /** The recording flow's lines of each run's log, for a failure message. */
    static String deliveries(Path dir, String... logs) {
        StringBuilder out = new StringBuilder();
        for (String name : logs) {
            out.append("--- ").append(name).append('\n');
            try {
                Files.readAllLines(dir.resolve(name)).stream()
                        .filter(l -> l.contains("i.c.r.") || l.contains("i.c.o.") || l.contains("DeadLetterChannel"))
                        .forEach(l -> out.append(l, 0, Math.min(l.length(), 260)).append('\n'));
            } catch (java.io.IOException e) {
                out.append(e).append('\n');
            }
        }
        return out.toString();
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
