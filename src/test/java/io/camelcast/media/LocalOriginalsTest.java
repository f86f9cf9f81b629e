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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One fetch and one ffprobe per video per instance, whatever the number of tasks asking at once (real S3, real ffprobe). */
class LocalOriginalsTest {

    @TempDir
    Path dir;

    @Test
    void tasksAskingAtOnceShareOneFetchAndTheLastTaskOfAnEndedUploadRemovesIt() throws Exception {
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

            List<CompletableFuture<LocalOriginals.Held>> four = java.util.stream.IntStream.range(0, 4)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                        try {
                            return originals.get("answers/m1/q1/u1/original.mp4");
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })).toList();
            LocalOriginals.Held first = four.get(0).get(60, TimeUnit.SECONDS);
            for (CompletableFuture<LocalOriginals.Held> f : four) {
                assertTrue(f.get(60, TimeUnit.SECONDS).probe() == first.probe(), "every task got the one fetch and probe");
                assertEquals(first.file(), f.get().file());
            }
            assertEquals(320, first.probe().width());
            assertEquals(240, first.probe().height());
            assertArrayEquals(Files.readAllBytes(video), Files.readAllBytes(first.file()));
            try (var files = Files.list(dir.resolve("work/originals"))) {
                assertEquals(List.of(first.file()), files.toList(), "one file, no partial download left");
            }

            originals.release("answers/m1/q1/u2/");
            for (CompletableFuture<LocalOriginals.Held> f : four) {
                f.get().close();
            }
            assertTrue(Files.exists(first.file()), "another upload's end leaves it");
            originals.release("answers/m1/q1/u1/");
            assertFalse(Files.exists(first.file()), "the upload is over and no task holds it: its video leaves the disk");

            // the upload is over (one task FAILED) while a sibling still holds the video: it stays until that one ends
            LocalOriginals.Held again = originals.get("answers/m1/q1/u1/original.mp4");
            assertTrue(again.probe() != first.probe() && Files.exists(again.file()), "a task after the end fetches again");
            LocalOriginals.Held sibling = originals.get("answers/m1/q1/u1/original.mp4");
            originals.release("answers/m1/q1/u1/");
            again.close();
            assertTrue(Files.exists(sibling.file()), "a task still reading keeps its video");
            try (LocalOriginals.Held late = originals.get("answers/m1/q1/u1/original.mp4")) {
                assertTrue(late.probe() == sibling.probe(), "a task starting meanwhile reads the same file");
            }
            assertTrue(Files.exists(sibling.file()));
            sibling.close();
            assertFalse(Files.exists(sibling.file()), "the last task ends: the video goes");

            // bytes ffprobe cannot read: every asker gets the reason, and nothing stays on the disk
            s3.putObject(b -> b.bucket("media").key("answers/m1/q2/u3/original.mp4"), RequestBody.fromBytes(new byte[4096]));
            Ffmpeg.Unreadable unreadable = assertThrows(Ffmpeg.Unreadable.class, () -> originals.get("answers/m1/q2/u3/original.mp4"));
            assertTrue(unreadable.getMessage().startsWith("ffprobe: "), unreadable.getMessage());
            try (var files = Files.list(dir.resolve("work/originals"))) {
                assertEquals(List.of(), files.toList());
            }
        }
    }
}
