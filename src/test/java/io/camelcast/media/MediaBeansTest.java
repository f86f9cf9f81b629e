package io.camelcast.media;

import io.camelcast.http.Refused;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The media flow's beans without Camel: output sizes, the streaming multipart reader, the overall status. */
class MediaBeansTest {

    @Test
    void webIsA16To9CropAtMost720HighWhateverTheInputShape() {
        assertEquals(new Renditions.Size(1280, 720), Renditions.webSize(1920, 1080));
        assertEquals(new Renditions.Size(1920, 1080), Renditions.webCrop(1920, 1080));
        // 4:3 is cropped top and bottom, not squashed
        assertEquals(new Renditions.Size(640, 360), Renditions.webCrop(640, 480));
        assertEquals(new Renditions.Size(640, 360), Renditions.webSize(640, 480));
        // portrait: a 16:9 band of the middle
        assertEquals(new Renditions.Size(1080, 608), Renditions.webCrop(1080, 1920));
        assertEquals(new Renditions.Size(1080, 608), Renditions.webSize(1080, 1920));
        // wider than 16:9: the sides go
        assertEquals(new Renditions.Size(1280, 720), Renditions.webCrop(2560, 720));
    }

    @Test
    void mobileIsACentreSquareZoomedInOnLandscapeAsTheSeed() {
        assertEquals(new Renditions.Size(810, 810), Renditions.mobileCrop(1920, 1080));
        assertEquals(new Renditions.Size(1080, 1080), Renditions.mobileCrop(1080, 1920));
        List<String> args = new Renditions(20, "medium").mobile(java.nio.file.Path.of("in"), 1920, 1080, java.nio.file.Path.of("out.mp4"));
        assertEquals("crop=810:810,scale=480:480,setsar=1,fps=30", args.get(args.indexOf("-filter:v") + 1));
        assertEquals("+faststart", args.get(args.indexOf("-movflags") + 1));
    }

    @Test
    void trimTakesDecimalSeconds() {
        List<String> args = new Renditions(20, "fast").trim(java.nio.file.Path.of("in"), 641, 480, 0.5, 2.25, java.nio.file.Path.of("o"));
        assertEquals("0.500", args.get(args.indexOf("-ss") + 1));
        assertEquals("2.250", args.get(args.indexOf("-to") + 1));
        assertEquals("scale=640:480", args.get(args.indexOf("-filter:v") + 1));
    }

    @Test
    void overallStatusIsDoneOnlyWhenEveryTaskIsAndFailedWhenAnyFailed() {
        assertEquals("QUEUED", MediaRecords.overall(List.of("QUEUED", "QUEUED")));
        assertEquals("IN_PROGRESS", MediaRecords.overall(List.of("DONE", "QUEUED")));
        assertEquals("FAILED", MediaRecords.overall(List.of("DONE", "FAILED", "IN_PROGRESS")));
        assertEquals("DONE", MediaRecords.overall(List.of("DONE", "DONE")));
    }

    @Test
    void multipartPartsStreamAcrossBufferBoundaries() throws IOException {
        byte[] video = new byte[300_000];
        new Random(1).nextBytes(video);
        // the start of a delimiter inside the data, where the reader's buffer ends, must not end the part
        byte[] trap = "\r\n--xy".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(trap, 0, video, 65_530, trap.length);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("preamble\r\n--xyz\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\n{\"mentor\":\"m\"}\r\n"
                + "--xyz\r\nContent-Disposition: form-data; name=\"video\"; filename=\"a.mp4\"\r\nContent-Type: video/mp4\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        body.write(video);
        body.write("\r\n--xyz--\r\n".getBytes(StandardCharsets.ISO_8859_1));
        // a trickling stream: a few bytes per read, as a slow client's
        var in = new ByteArrayInputStream(body.toByteArray()) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7777));
            }
        };
        MultipartReader r = new MultipartReader(in, "multipart/form-data; boundary=xyz");
        MultipartReader.Part first = r.next();
        assertEquals("body", first.name());
        assertEquals("{\"mentor\":\"m\"}", new String(first.body().readAllBytes(), StandardCharsets.UTF_8));
        MultipartReader.Part second = r.next();
        assertEquals("video", second.name());
        assertEquals("a.mp4", second.filename());
        assertEquals("video/mp4", second.contentType());
        assertArrayEquals(video, second.body().readAllBytes());
        assertNull(r.next());
    }

    @Test
    void aTruncatedMultipartBodyIsRefused() throws IOException {
        byte[] body = "--xyz\r\nContent-Disposition: form-data; name=\"video\"\r\n\r\nabcdef".getBytes(StandardCharsets.ISO_8859_1);
        MultipartReader r = new MultipartReader(new ByteArrayInputStream(body), "multipart/form-data; boundary=\"xyz\"");
        MultipartReader.Part p = r.next();
        Refused e = assertThrows(Refused.class, () -> p.body().readAllBytes());
        assertEquals(400, e.getStatus());
        assertEquals(400, assertThrows(Refused.class, () -> new MultipartReader(new ByteArrayInputStream(body), "application/json")).getStatus());
    }

    @Test
    void theTranscriberIsChosenByConfigurationAndAnUnknownOrModellessEngineStopsTheStart() throws Exception {
        io.camelcast.config.Settings base = io.camelcast.config.Settings.load(null, java.util.Map.of(), new java.util.Properties());
        assertEquals(WhisperApiTranscriber.class, MediaConfiguration.transcriber(
                base.with("camelcast.media.transcriber-url", "http://127.0.0.1:9"), null).getClass());
        try (AwsTranscriber aws = (AwsTranscriber) MediaConfiguration.transcriber(base.with("camelcast.media.transcriber", "aws"), null)) {
            assertEquals(AwsTranscriber.class, aws.getClass());
        }
        for (String engine : List.of("whisper", "vosk", "nonsense")) {
            assertThrows(io.camelcast.config.Settings.ConfigException.class,
                    () -> MediaConfiguration.transcriber(base.with("camelcast.media.transcriber", engine), null), engine);
        }
        // sim with no speech service configured: only the transcribing task fails, with the reason
        Transcriber none = MediaConfiguration.transcriber(base, null);
        assertThrows(WhisperApiTranscriber.Rejected.class, () -> none.transcribe(java.nio.file.Path.of("x.wav")));
    }

    @Test
    void idsThatWouldEscapeTheirKeyAreRefused() {
        var json = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        for (String bad : List.of("../x", "a/b", "", ".hidden")) {
            json.put("mentor", bad);
            assertEquals(400, assertThrows(Refused.class, () -> MediaIntake.id(json, "mentor")).getStatus(), bad);
        }
        json.put("mentor", "6196af5e068d43dc686194f8");
        assertEquals("6196af5e068d43dc686194f8", MediaIntake.id(json, "mentor"));
    }

    @Test
    void ffmpegsReasonNamesFilesWithoutTheHostsDirectories(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path junk = java.nio.file.Files.write(dir.resolve("original.mp4"), new byte[4096]);
        Ffmpeg.Unreadable e = org.junit.jupiter.api.Assertions.assertThrows(Ffmpeg.Unreadable.class,
                () -> new Ffmpeg("ffmpeg", "ffprobe", 60).probe(junk));
        assertTrue(e.getMessage().contains("original.mp4: Invalid data found"), e.getMessage());
        assertTrue(!e.getMessage().contains(dir.toString()), e.getMessage());
        assertEquals("x.mp4: No space left | x.mp4", Ffmpeg.withoutDirectories("/w/1/x.mp4: No space left | /w/1/x.mp4",
                java.util.List.of("/usr/bin/ffmpeg", "-i", "/w/1/x.mp4", "/")));
    }
}
