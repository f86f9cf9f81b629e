package io.camelcast.recording;

import io.camelcast.embedded.EmbeddedServices;
import io.camelcast.sim.ZoomSimulator;
import io.camelcast.zoom.DownloadHosts;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streaming a Zoom file into S3 staging, without Camel: the Zoom simulator over HTTP and the embedded
 * S3 server, checked with an independent S3 client reading the object back.
 */
class RecordingStagingTest {

    @TempDir
    static Path dir;
    static EmbeddedServices services;
    static S3Client s3;
    static ZoomSimulator zoom;
    static final Map<String, String> checksums = new HashMap<>();
    static RecordingStaging staging;

    @BeforeAll
    static void start() throws Exception {
        services = EmbeddedServices.start(new EmbeddedServices.Options(dir, true, false, false, 0, 0, 0, "k", "s",
                "us-east-1", List.of("staging"), List.of()));
        s3 = S3Client.builder().endpointOverride(URI.create(services.s3Endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
        zoom = new ZoomSimulator();
        zoom.start(0);
        staging = new RecordingStaging(s3, "staging", 5 << 20, new DownloadHosts("127.0.0.1"), null,
                new RecordingStaging.Checksums() {
                    @Override
                    public String get(String key) {
                        return checksums.get(key);
                    }

                    @Override
                    public void put(String key, String sha256) {
                        checksums.put(key, sha256);
                    }
                });
    }

    @AfterAll
    static void stop() throws Exception {
        staging.close();
        zoom.close();
        s3.close();
        services.close();
    }

    static Map<String, String> file(String id, long size) {
        Map<String, String> f = new HashMap<>();
        f.put("recording_id", id);
        f.put("download_url", zoom.downloadUrl(id, size));
        f.put("recording_start", "2026-11-17T15:00:00Z");
        f.put("recording_end", "2026-11-17T16:00:00Z");
        f.put("file_type", "MP4");
        return f;
    }

    static String sha256Of(String key) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = s3.getObject(b -> b.bucket("staging").key(key))) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    @Test
    void aFileIsStreamedIntoStagingByPartsWithItsChecksumAndZoomsFileName() throws Exception {
        long size = (12L << 20) + 12345; // three parts, the last one short
        StagedFile f = staging.stage("zip-1", "42/1700000000/000-active_speaker", "active_speaker", 0,
                file("file-a", size), ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN, "uuid-1");
        assertEquals("42/1700000000/000-active_speaker.mp4", f.key(), "the extension comes from Content-Disposition");
        assertEquals(size, f.bytes());
        assertEquals(ZoomSimulator.sha256Hex("file-a", size), f.sha256());
        assertEquals(f.sha256(), sha256Of(f.key()), "what S3 holds is what Zoom sent");
        assertEquals("file-a", s3.headObject(b -> b.bucket("staging").key(f.key())).metadata().get("file_id"));
        assertEquals(3600.0, f.seconds(), "without ffprobe the duration is Zoom's end - start");
    }

    @Test
    void zoomsRateLimitOnTheDownloadIsWaitedOutForItsRetryAfterNeverSooner() throws Exception {
        long size = 1L << 20;
        zoom.faults().clear();
        zoom.faults().add(new io.camelcast.sim.Faults.Fault(429, 2, 0, "/rec/download/", "GET", "1", null));
        long started = System.nanoTime();
        StagedFile f = staging.stage("zip-429", "42/1700000000/002-active_speaker", "active_speaker", 2,
                file("file-429", size), ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN, "uuid-429");
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(zoom.faults().list().isEmpty(), "both 429s were answered: " + zoom.faults().list());
        // a lower bound, not a speed: two answers of Retry-After: 1 mean at least two seconds of waiting
        assertTrue(tookMs >= 2000, "retried after " + tookMs + " ms");
        assertEquals(ZoomSimulator.sha256Hex("file-429", size), sha256Of(f.key()));
    }

    @Test
    void aDroppedConnectionIsResumedWithRangeWhereItStopped() throws Exception {
        long size = 20L << 20;
        zoom.cutNextDownloads(2, 7L << 20);
        StagedFile f = staging.stage("zip-2", "42/1700000000/001-gallery_view", "gallery_view", 1,
                file("file-b", size), ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN, "uuid-2");
        assertEquals(size, f.bytes());
        assertEquals(ZoomSimulator.sha256Hex("file-b", size), sha256Of(f.key()), "no byte lost or doubled across resumes");
    }

    @Test
    void overTheSinglePutLimitTheFileGoesUpByPartsAndStillResumes() throws Exception {
        RecordingStaging parts = new RecordingStaging(s3, "staging", 5 << 20, new DownloadHosts("127.0.0.1"), null,
                new RecordingStaging.Checksums() {
                    @Override
                    public String get(String key) {
                        return null;
                    }

                    @Override
                    public void put(String key, String sha256) {
                    }
                }, 1 << 20);
        try {
            long size = (11L << 20) + 7;
            zoom.cutNextDownloads(1, 6L << 20);
            StagedFile f = parts.stage("zip-8", "42/1/000-shared_screen_with_gallery_view", "shared_screen_with_gallery_view", 0,
                    file("file-parts", size), ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN, "uuid-8");
            assertEquals(size, f.bytes());
            assertEquals(ZoomSimulator.sha256Hex("file-parts", size), sha256Of(f.key()));
        } finally {
            parts.close();
        }
    }

    @Test
    void aFileAlreadyStagedIsNotFetchedAgain() throws Exception {
        long size = 6L << 20;
        Map<String, String> f = file("file-c", size);
        StagedFile first = staging.stage("zip-3", "42/1/000-shared_screen", "shared_screen", 0, f,
                ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN, "uuid-3");
        long modified = s3.headObject(b -> b.bucket("staging").key(first.key())).lastModified().toEpochMilli();
        Thread.sleep(1100);
        StagedFile second = staging.stage("zip-3", "42/1/000-shared_screen", "shared_screen", 0, f,
                ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN, "uuid-3");
        assertEquals(first.sha256(), second.sha256());
        assertEquals(modified, s3.headObject(b -> b.bucket("staging").key(first.key())).lastModified().toEpochMilli(),
                "the object was not written again");
    }

    @Test
    void aDeletedFileAnswersHtmlAndIsSkipped() throws Exception {
        Map<String, String> f = file("file-d", 1000);
        f.put("download_url", zoom.url() + "/rec/download/file-d?deleted=true");
        assertNull(staging.stage("zip-4", "42/1/000-active_speaker", "active_speaker", 0, f,
                ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN, "uuid-4"));
    }

    @Test
    void aHostOutsideTheAllowListIsRefusedWithoutARequest() {
        Map<String, String> f = file("file-e", 1000);
        f.put("download_url", "http://169.254.169.254/latest/meta-data/");
        assertThrows(RecordingStaging.PermanentFailure.class, () -> staging.stage("zip-5", "42/1/000-x", "x", 0, f,
                ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN, "uuid-5"));
    }

    /** The seed's ffprobe check on real MP4s made by ffmpeg (.ci/run installs Debian's ffmpeg). */
    @Test
    void ffprobeMeasuresARealMp4AndRejectsACorruptOne() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(onPath("ffmpeg") && onPath("ffprobe"), "ffmpeg/ffprobe not installed");
        Path mp4 = dir.resolve("lecture.mp4");
        Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10",
                "-t", "150", "-c:v", "libx264", "-preset", "ultrafast", mp4.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertEquals(0, p.waitFor());
        zoom.storeFile("real-mp4", mp4);
        Path junk = dir.resolve("junk.mp4");
        java.nio.file.Files.write(junk, new byte[200_000]);
        zoom.storeFile("corrupt-mp4", junk);
        software.amazon.awssdk.services.s3.presigner.S3Presigner presigner = software.amazon.awssdk.services.s3.presigner.S3Presigner
                .builder().endpointOverride(URI.create(services.s3Endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
        RecordingStaging probing = new RecordingStaging(s3, "staging", 5 << 20, new DownloadHosts("127.0.0.1"),
                new FfprobeCheck("ffprobe", presigner), new RecordingStaging.Checksums() {
                    @Override
                    public String get(String key) {
                        return null;
                    }

                    @Override
                    public void put(String key, String sha256) {
                    }
                });
        try {
            Map<String, String> real = file("real-mp4", 0);
            real.put("download_url", zoom.url() + "/rec/download/real-mp4");
            StagedFile f = probing.stage("zip-6", "42/1/000-active_speaker", "active_speaker", 0, real,
                    ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN, "uuid-6");
            assertEquals(150.0, f.seconds(), 0.5, "ffprobe's duration, not Zoom's start/end");
            assertEquals(java.nio.file.Files.size(mp4), f.probeBytes());
            Map<String, String> corrupt = file("corrupt-mp4", 0);
            corrupt.put("download_url", zoom.url() + "/rec/download/corrupt-mp4");
            java.io.IOException e = assertThrows(java.io.IOException.class, () -> probing.stage("zip-7", "42/1/000-gallery_view",
                    "gallery_view", 0, corrupt, ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN, "uuid-7"));
            assertTrue(e.getMessage().contains("Corrupt MP4"), e.getMessage());
        } finally {
            probing.close();
            presigner.close();
        }
    }

    static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (java.nio.file.Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theExtensionFollowsTheSeedsRules() {
        assertEquals("mp4", RecordingStaging.extension("attachment; filename=GMT2026_Rec.MP4", "https://zoom.us/rec/download/x", "MP4"));
        assertEquals("txt", RecordingStaging.extension("attachment; filename=\"chat.txt\"", "https://zoom.us/rec/download/x", "CHAT"));
        assertEquals("m4a", RecordingStaging.extension(null, "https://ssrweb.zoom.us/file/audio.m4a?x=1", "M4A"));
        assertEquals("txt", RecordingStaging.extension(null, "https://zoom.us/rec/download/x", "CHAT"));
    }
}
