package io.camelcast.kaltura;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelcast.config.Settings;
import io.camelcast.runtime.Services;
import io.camelcast.sim.KalturaSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import static io.camelcast.kaltura.KalturaCopyCrashIT.download;
import static io.camelcast.kaltura.KalturaCopyCrashIT.objectSha;
import static io.camelcast.kaltura.KalturaCopyCrashIT.post;
import static io.camelcast.kaltura.KalturaCopyCrashIT.s3;
import static io.camelcast.kaltura.KalturaCopyCrashIT.sha256;
import static io.camelcast.kaltura.KalturaCopyCrashIT.simEntry;
import static io.camelcast.kaltura.KalturaCopyCrashIT.tags;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The crash promise for replace: `camelcast archive replace --execute` (the jar, its own JVM) is killed
 * with SIGKILL while Kaltura converts the placeholder it has just been given (the command waits for READY);
 * no entry then has the placeholder without a verified copy of its original in the bucket, and a second run
 * completes the work: every entry ends with the placeholder, only its original flavor, tagged flavors_deleted
 * once, and the placeholder given to each entry once (the killed entry's is not uploaded again).
 */
class KalturaReplaceCrashIT {

    static final List<String> IDS = List.of("0_swap_a", "0_swap_b", "0_swap_c");

    @TempDir
    Path dir;

    @Test
    void killedReplaceLeavesNoPlaceholderWithoutAVerifiedCopyAndTheRerunCompletesIt() throws Exception {
        try (KalturaSimulator kaltura = new KalturaSimulator()) {
            kaltura.start(0);
            long created = ZonedDateTime.now().minusYears(6).toEpochSecond();
            List<Map<String, Object>> entries = new ArrayList<>();
            for (String id : IDS) {
                Map<String, Object> e = KalturaCopyCrashIT.entry(id, 300, created);
                e.put("flavors", List.of(Map.of("id", id + "_orig", "isOriginal", true, "status", 2, "size", 300),
                        Map.of("id", id + "_web", "isOriginal", false, "status", 2, "size", 120)));
                entries.add(e);
            }
            post(kaltura, "/_sim/entries", KalturaCopyCrashIT.JSON.writeValueAsString(entries));
            Map<String, String> originalSha = new HashMap<>();
            for (String id : IDS) {
                originalSha.put(id, sha256(download(kaltura, id)));
            }
            Path placeholder = dir.resolve("placeholder.mp4");
            Files.write(placeholder, new byte[40 * 1024]);
            Path config = dir.resolve("kaltura.properties");
            Files.writeString(config, String.join("\n",
                    "camelcast.data-dir=" + dir.resolve("state"),
                    "camelcast.kaltura.url=" + kaltura.url(),
                    "camelcast.kaltura.partner-id=" + KalturaSimulator.DEFAULT_PARTNER_ID,
                    "camelcast.kaltura.secret=" + KalturaSimulator.DEFAULT_SECRET,
                    "camelcast.kaltura.user-id=archivist@example.edu",
                    "camelcast.kaltura.placeholder-video=" + placeholder,
                    "camelcast.kaltura.ready-poll-ms=200", ""));
            try (Services services = Services.open(Settings.load(config), true).awaitReady(); S3Client s3 = s3(services.settings())) {
                Path copyLog = dir.resolve("copy.log");
                Process copy = run(config, copyLog, "copy");
                assertTrue(copy.waitFor(90, TimeUnit.SECONDS), "the copy did not end: " + Files.readString(copyLog));
                assertEquals(0, copy.exitValue(), Files.readString(copyLog));

                // the placeholder takes 8 s to convert: the replace waits for READY on its first entry and is killed there
                post(kaltura, "/_sim/config", "{\"convertMillis\":8000}");
                Path log1 = dir.resolve("replace1.log");
                Process first = run(config, log1, "replace");
                try {
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (kaltura.calls().getOrDefault("media.addContent", 0) == 0) {
                        assertTrue(first.isAlive(), "the replace ended before giving any entry the placeholder: " + Files.readString(log1));
                        assertTrue(System.nanoTime() < deadline, "no placeholder was ever added: " + Files.readString(log1));
                        Thread.sleep(50);
                    }
                    Thread.sleep(1000); // waiting for READY now
                } finally {
                    first.destroyForcibly(); // SIGKILL
                    first.waitFor(20, TimeUnit.SECONDS);
                }
                String killed = null;
                for (String id : IDS) {
                    JsonNode e = simEntry(kaltura, id);
                    if (e.path("placeholder").asBoolean()) {
                        assertEquals(Optional.of(originalSha.get(id)), objectSha(s3, id),
                                id + " has the placeholder after the kill, so its original must be in the bucket, whole");
                        if (!tags(e).contains(MediaEntry.REPLACED)) {
                            killed = id;
                        }
                    } else {
                        assertFalse(tags(e).contains(MediaEntry.REPLACED), id + " tagged replaced without the placeholder: " + e);
                    }
                }
                assertTrue(killed != null, "the kill came while an entry was being replaced: " + Files.readString(log1));
                int placedBefore = kaltura.calls().getOrDefault("media.addContent", 0);

                // Kaltura finishes converting the killed entry's placeholder; the rerun completes what is left
                post(kaltura, "/_sim/config", "{\"convertMillis\":0}");
                String waitingFor = killed;
                long ready = System.nanoTime() + Duration.ofSeconds(40).toNanos();
                while (!allFlavorsReady(simEntry(kaltura, waitingFor))) {
                    assertTrue(System.nanoTime() < ready, "the simulator never finished converting " + waitingFor);
                    Thread.sleep(200);
                }
                Path log2 = dir.resolve("replace2.log");
                Process second = run(config, log2, "replace");
                assertTrue(second.waitFor(90, TimeUnit.SECONDS), "the rerun did not end: " + Files.readString(log2));
                assertEquals(0, second.exitValue(), Files.readString(log2));
                for (String id : IDS) {
                    JsonNode e = simEntry(kaltura, id);
                    assertTrue(e.path("placeholder").asBoolean(), id + " has the placeholder: " + e);
                    assertEquals(1, tags(e).stream().filter(MediaEntry.REPLACED::equals).count(), id + " tagged once: " + e);
                    assertEquals(1, tags(e).stream().filter(MediaEntry.ARCHIVED::equals).count(), id + " archived tag once: " + e);
                    assertEquals(1, e.path("flavors").size(), id + " keeps only its (placeholder) original: " + e);
                    assertEquals(Optional.of(originalSha.get(id)), objectSha(s3, id), id + ": the bucket copy is untouched");
                }
                assertEquals(IDS.size(), kaltura.calls().getOrDefault("media.addContent", 0),
                        "one placeholder per entry: the killed entry's (" + placedBefore + " before the rerun) was completed, not uploaded again");
                assertTrue(Files.readString(log2).contains(killed), Files.readString(log2));
            }
        }
    }

    static boolean allFlavorsReady(JsonNode entry) {
        for (JsonNode f : entry.path("flavors")) {
            if (f.path("status").asInt() != 2) {
                return false;
            }
        }
        return true;
    }

    static Process run(Path config, Path log, String command) throws Exception {
        return new ProcessBuilder(List.of("java", "-Xmx256m", "-jar", KalturaCopyCrashIT.JAR.toString(), "archive", command,
                "--execute", "--max-entries", "-1", "--config", config.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
