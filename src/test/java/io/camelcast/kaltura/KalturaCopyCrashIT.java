package io.camelcast.kaltura;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelcast.config.Settings;
import io.camelcast.runtime.Services;
import io.camelcast.sim.KalturaSimulator;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The crash promise for copy: `camelcast archive copy --execute` (the jar, its own JVM) is killed with
 * SIGKILL while a large original is being streamed from a slowed Kaltura simulator; no entry is then tagged
 * archived_to_s3 without its object, and a second run completes the work, each original copied once with the
 * simulator's bytes. The command attaches to embedded services held up by this test, as to a running instance.
 */
class KalturaCopyCrashIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String BUCKET = "camelcast-kaltura-archive";
    static final Path JAR = Path.of(System.getProperty("camelcast.jar", "target/camelcast.jar"));
    static final List<String> IDS = List.of("0_crash_a", "0_crash_big", "0_crash_b");

    @TempDir
    Path dir;

    @Test
    void killedCopyLeavesNoTagWithoutItsObjectAndTheRerunCompletesIt() throws Exception {
        try (KalturaSimulator kaltura = new KalturaSimulator()) {
            kaltura.start(0);
            long created = ZonedDateTime.now().minusYears(6).toEpochSecond();
            List<Map<String, Object>> entries = List.of(entry(IDS.get(0), 300, created), entry(IDS.get(1), 24_576, created),
                    entry(IDS.get(2), 300, created));
            post(kaltura, "/_sim/entries", JSON.writeValueAsString(entries));
            // 24 MB at 4 MB/s: about six seconds of download to be killed in
            post(kaltura, "/_sim/config", "{\"downloadKbPerSecond\":4096}");
            Path config = dir.resolve("kaltura.properties");
            Files.writeString(config, String.join("\n",
                    "camelcast.data-dir=" + dir.resolve("state"),
                    "camelcast.kaltura.url=" + kaltura.url(),
                    "camelcast.kaltura.partner-id=" + KalturaSimulator.DEFAULT_PARTNER_ID,
                    "camelcast.kaltura.secret=" + KalturaSimulator.DEFAULT_SECRET,
                    "camelcast.kaltura.user-id=archivist@example.edu",
                    "camelcast.kaltura.part-size=5242880", ""));
            try (Services services = Services.open(Settings.load(config), true).awaitReady(); S3Client s3 = s3(services.settings())) {
                Path log1 = dir.resolve("copy1.log");
                Process first = copy(config, log1);
                try {
                    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
                    while (kaltura.calls().getOrDefault("download." + IDS.get(1) + "_orig", 0) == 0) {
                        assertTrue(first.isAlive(), "the copy ended before the large download: " + Files.readString(log1));
                        assertTrue(System.nanoTime() < deadline, "the large original was never downloaded: " + Files.readString(log1));
                        Thread.sleep(50);
                    }
                    Thread.sleep(2000); // a part or two of the large original written, the rest still coming
                } finally {
                    first.destroyForcibly(); // SIGKILL: no shutdown hook, nothing finished
                    first.waitFor(20, TimeUnit.SECONDS);
                }
                // read before this test downloads anything itself (its own downloads count too)
                Map<String, Integer> downloadsBefore = new HashMap<>();
                List<String> taggedBefore = new java.util.ArrayList<>();
                for (String id : IDS) {
                    downloadsBefore.put(id, kaltura.calls().getOrDefault("download." + id + "_orig", 0));
                    if (tags(simEntry(kaltura, id)).contains(MediaEntry.ARCHIVED)) {
                        taggedBefore.add(id);
                    }
                }
                for (String id : taggedBefore) {
                    assertEquals(Optional.of(sha256(download(kaltura, id))), objectSha(s3, id),
                            id + " is tagged after the crash, so its object must be there, whole");
                }
                assertFalse(tags(simEntry(kaltura, IDS.get(1))).contains(MediaEntry.ARCHIVED), "the large one was killed mid-copy");

                post(kaltura, "/_sim/config", "{\"downloadKbPerSecond\":0}");
                Path log2 = dir.resolve("copy2.log");
                Process second = copy(config, log2);
                assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the rerun did not end: " + Files.readString(log2));
                assertEquals(0, second.exitValue(), Files.readString(log2));
                Map<String, Integer> downloadsAfter = new HashMap<>();
                for (String id : IDS) {
                    downloadsAfter.put(id, kaltura.calls().getOrDefault("download." + id + "_orig", 0));
                }
                for (String id : IDS) {
                    List<String> tags = tags(simEntry(kaltura, id));
                    assertEquals(1, tags.stream().filter(MediaEntry.ARCHIVED::equals).count(), id + " tagged once: " + tags);
                    int ownDownloads = taggedBefore.contains(id) ? 1 : 0;
                    if (taggedBefore.contains(id)) {
                        assertEquals(downloadsBefore.get(id) + ownDownloads, downloadsAfter.get(id), id + " was done before the kill: not copied again");
                    }
                    assertEquals(Optional.of(sha256(download(kaltura, id))), objectSha(s3, id), id + ": the simulator's bytes");
                }
                assertTrue(Files.readString(log2).contains(IDS.get(1)), Files.readString(log2));
            }
        }
    }

    static Process copy(Path config, Path log) throws Exception {
        return new ProcessBuilder(List.of("java", "-Xmx256m", "-jar", JAR.toString(), "archive", "copy", "--execute",
                "--max-entries", "-1", "--config", config.toString())).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static Map<String, Object> entry(String id, long kb, long created) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", id);
        e.put("name", "Crash " + id);
        e.put("tags", "");
        e.put("plays", 0);
        e.put("status", 2);
        e.put("createdAt", created);
        e.put("lastPlayedAt", null);
        e.put("categoriesIds", "1");
        e.put("creatorId", "prof");
        e.put("flavors", List.of(Map.of("id", id + "_orig", "isOriginal", true, "status", 2, "size", kb)));
        return e;
    }

    static S3Client s3(Settings s) {
        return S3Client.builder().region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        s.get("camelcast.s3.access-key"), s.get("camelcast.s3.secret-key"))))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .endpointOverride(URI.create(s.get("camelcast.s3.endpoint"))).build();
    }

    static void post(KalturaSimulator kaltura, String path, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(kaltura.url() + path))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() / 100 == 2, r.body());
    }

    static JsonNode simEntry(KalturaSimulator kaltura, String id) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(kaltura.url() + "/_sim/entries/" + id)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    static InputStream download(KalturaSimulator kaltura, String id) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(kaltura.url() + "/p/" + KalturaSimulator.DEFAULT_PARTNER_ID
                + "/download/flavor/" + id + "_orig")).build(), HttpResponse.BodyHandlers.ofInputStream()).body();
    }

    static Optional<String> objectSha(S3Client s3, String key) throws Exception {
        try {
            return Optional.of(sha256(s3.getObject(b -> b.bucket(BUCKET).key(key))));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    static List<String> tags(JsonNode simEntry) {
        return Arrays.stream(simEntry.path("tags").asText().split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    static String sha256(InputStream in) throws Exception {
        try (in) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        }
    }
}
