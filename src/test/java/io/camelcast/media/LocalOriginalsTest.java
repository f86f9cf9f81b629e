package io.camelcast.media;

import io.camelcast.embedded.EmbeddedServices;
import io.camelcast.store.AwsClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One fetch and one ffprobe per video per instance, whatever the number of tasks asking at once (real S3, real ffprobe). */
class LocalOriginalsTest {

    @TempDir
    Path dir;

    @Test
    void tasksAskingAtOnceShareOneFetchAndTheUploadsEndRemovesIt() throws Exception {
        Path video = dir.resolve("answer.mp4");
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc=size=320x240:rate=5:duration=1", "-pix_fmt", "yuv420p", video.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "ffmpeg made the test video");
        Path leftover = dir.resolve("work/originals/left-by-a-crash.mp4");
        Files.createDirectories(leftover.getParent());
        Files.writeString(leftover, "x");
        try (EmbeddedServices s3Server = EmbeddedServices.start(new EmbeddedServices.Options(dir.resolve("s3"), true, false, false,
                0, 0, 0, "k", "s", "us-east-1", List.of("media"), List.of()));
             S3Client s3 = AwsClients.s3(io.camelcast.config.Settings.of(java.util.Map.of(
                     "camelcast.s3.endpoint", s3Server.s3Endpoint(), "camelcast.s3.access-key", "k",
                     "camelcast.s3.secret-key", "s", "camelcast.s3.path-style", "true")))) {
            s3.putObject(b -> b.bucket("media").key("answers/m1/q1/u1/original.mp4"), RequestBody.fromFile(video));
            LocalOriginals originals = new LocalOriginals(new MediaStorage(s3, "media"), new Ffmpeg("ffmpeg", "ffprobe", 60),
                    dir.resolve("work/originals"));
            assertFalse(Files.exists(leftover), "what a crash left is removed at start");

            List<CompletableFuture<LocalOriginals.Local>> four = java.util.stream.IntStream.range(0, 4)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                        try {
                            return originals.get("answers/m1/q1/u1/original.mp4");
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })).toList();
            LocalOriginals.Local first = four.get(0).get(60, TimeUnit.SECONDS);
            for (CompletableFuture<LocalOriginals.Local> f : four) {
                assertTrue(f.get(60, TimeUnit.SECONDS) == first, "every task got the one fetch");
            }
            assertEquals(320, first.probe().width());
            assertEquals(240, first.probe().height());
            assertArrayEquals(Files.readAllBytes(video), Files.readAllBytes(first.file()));
            try (var files = Files.list(dir.resolve("work/originals"))) {
                assertEquals(List.of(first.file()), files.toList(), "one file, no partial download left");
            }

            originals.release("answers/m1/q1/u2/");
            assertTrue(Files.exists(first.file()), "another upload's end leaves it");
            originals.release("answers/m1/q1/u1/");
            assertFalse(Files.exists(first.file()), "the upload is over: its video leaves the disk");
            LocalOriginals.Local again = originals.get("answers/m1/q1/u1/original.mp4");
            assertTrue(again != first && Files.exists(again.file()), "a task after the end fetches again");
        }
    }
}
