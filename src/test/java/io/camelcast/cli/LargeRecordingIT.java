package io.camelcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.sim.ZoomSimulator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A 2 GiB recording through the real jar at {@code -Xmx128m}: streamed from the Zoom simulator into
 * S3 staging and fetched back by the Opencast simulator, whose byte count and SHA-256 must be Zoom's.
 * The simulators run in their own process ({@code camelcast sim}), as they would be separate services.
 */
class LargeRecordingIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final long SIZE = 2L << 30;
    static final String SECRET = "large-it-webhook-secret";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aTwoGigabyteRecordingIsStagedAndIngestedWithA128MegabyteHeap(@TempDir Path dir) throws Exception {
        Process sim = CamelcastJarIT.start(List.of("sim"));
        Process run = null;
        try {
            Map<String, String> urls = new HashMap<>();
            BufferedReader out = new BufferedReader(new InputStreamReader(sim.getInputStream(), StandardCharsets.UTF_8));
            while (urls.size() < 2) {
                String line = out.readLine();
                if (line == null) {
                    fail("sim exited");
                }
                if (line.matches("(zoom|opencast) http://127\\.0\\.0\\.1:\\d+")) {
                    urls.put(line.split(" ")[0], line.split(" ")[1]);
                }
            }
            String zoom = urls.get("zoom");
            String opencast = urls.get("opencast");
            HTTP.send(HttpRequest.newBuilder(URI.create(opencast + "/_sim/series/20270199999"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"title\": \"Large files\"}")).build(), HttpResponse.BodyHandlers.ofString());

            int port = CamelcastJarIT.freePort();
            Path config = dir.resolve("large.properties");
            Files.writeString(config, String.join("\n",
                    "camelcast.data-dir=" + dir.resolve("state"),
                    "camelcast.http.port=" + port,
                    "camelcast.zoom.webhook-secret=" + SECRET,
                    "camelcast.zoom.download-hosts=127.0.0.1",
                    "camelcast.recording.webhook-delay=0",
                    "camelcast.schedule.default-series-id=20270199999",
                    "camelcast.opencast.url=" + opencast,
                    "camelcast.opencast.user=opencast_system_account",
                    "camelcast.opencast.password=CHANGE_ME", ""));
            Path log = dir.resolve("run.log");
            run = new ProcessBuilder(List.of("java", "-Xmx128m", "-jar", CamelcastJarIT.JAR.toString(), "run",
                    "--config", config.toString())).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            CamelcastJarIT.awaitHealthUp(port, run, log);

            String uuid = "large-" + Instant.now().toEpochMilli() + "==";
            String fileId = "large-file-" + Instant.now().toEpochMilli();
            ObjectNode event = JSON.createObjectNode();
            event.put("event", "recording.completed");
            event.put("event_ts", System.currentTimeMillis());
            event.put("download_token", ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN);
            ObjectNode object = event.putObject("payload").putObject("object");
            object.put("uuid", uuid);
            object.put("id", 97_000_000_001L);
            object.put("host_id", "h");
            object.put("topic", "Two gigabytes");
            object.put("start_time", "2026-11-17T15:00:00Z");
            object.put("duration", 90);
            ArrayNode files = object.putArray("recording_files");
            ObjectNode f = files.addObject();
            f.put("id", fileId);
            f.put("recording_start", "2026-11-17T15:00:00Z");
            f.put("recording_end", "2026-11-17T16:30:00Z");
            f.put("download_url", zoom + "/rec/download/" + fileId + "?size=" + SIZE);
            f.put("file_type", "MP4");
            f.put("recording_type", "active_speaker");
            f.put("status", "completed");
            String ts = Long.toString(Instant.now().getEpochSecond());
            String body = event.toString();
            long t0 = System.nanoTime();
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/zoom/webhook"))
                    .header("x-zm-request-timestamp", ts).header("x-zm-signature", ZoomSimulator.sign(SECRET, ts, body))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());

            JsonNode ingest = null;
            long deadline = System.nanoTime() + Duration.ofMinutes(8).toNanos();
            while (ingest == null && System.nanoTime() < deadline) {
                if (!run.isAlive()) {
                    fail("runtime died: " + tail(log));
                }
                JsonNode all = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(opencast + "/_sim/ingests")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                if (all.size() > 0) {
                    ingest = all.get(0);
                }
                Thread.sleep(500);
            }
            if (ingest == null) {
                fail("no ingest within 8 minutes: " + tail(log));
            }
            long seconds = (System.nanoTime() - t0) / 1_000_000_000;
            JsonNode media = ingest.path("media").get(0);
            assertEquals(SIZE, media.path("bytes").asLong(), media.toString());
            assertEquals(ZoomSimulator.sha256Hex(fileId, SIZE), media.path("sha256").asText(),
                    "Opencast fetched Zoom's exact bytes from staging");
            String text = Files.readString(log);
            assertFalse(text.contains("OutOfMemoryError"), "no OutOfMemoryError at -Xmx128m");
            System.out.printf("2 GiB recording: webhook to Opencast ingest in %d s at -Xmx128m; %s%n", seconds,
                    text.lines().filter(l -> l.contains("recording file staged")).findFirst().orElse(""));
        } finally {
            if (run != null) {
                run.destroy();
                run.waitFor(30, TimeUnit.SECONDS);
            }
            sim.destroy();
            sim.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static String tail(Path log) throws java.io.IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
