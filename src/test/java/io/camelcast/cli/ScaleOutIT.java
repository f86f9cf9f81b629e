package io.camelcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.FlowTests;
import io.camelcast.opencast.MediapackageIds;
import io.camelcast.sim.OpencastSimulator;
import io.camelcast.sim.Simulators;
import io.camelcast.sim.ZoomSimulator;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * Issue 24, as an operator scaling out would run it: three real jars, each in its own working directory.
 * Instance A runs the embedded S3, SQS and Redis on fixed ports; B and C point {@code camelcast.s3.endpoint},
 * {@code camelcast.sqs.endpoint} and {@code camelcast.redis.url} at A's (with the embedded credentials).
 * 100 recordings and 20 uploads (8 Zoom uploads, 6 TUS, 6 custom) spread over the instances, every webhook
 * sent to two of them (as Zoom's retries land wherever a balancer sends them), C killed with SIGKILL in the
 * middle, and a harvest scheduled every 5 s on all three.
 *
 * <p>What is asserted is what the operator would check: the Opencast simulator holds each recording exactly
 * once; Zoom served each file once (twice at most for a recording the killed instance was fetching); each
 * upload is DONE, archived once with the bytes sent; no instance waited out an ingest grace except for an
 * ingest the killed instance had under way; each harvest tick ran on one instance.
 */
class ScaleOutIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "scale-out-key";
    static final String SERIES = "20270188888";
    static final long FILE_SIZE = 256 << 10;
    static final int RECORDINGS = 100;
    // HTTP/1.1, as TUS clients and browsers speak to a plain-HTTP port: the JDK client otherwise upgrades to h2c and
    // multiplexes every request to an instance on one connection, where the held PATCHes below stalled the others
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    record Instance(String name, int port, Path dir, Path log, Process process) {
        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }
    }

    @Test
    void threeInstancesOnSharedServicesDeliverEveryRecordingAndUploadExactlyOnceThroughAKill(@TempDir Path dir) throws Exception {
        int s3Port = FlowTests.portToReuse();
        int sqsPort = FlowTests.portToReuse();
        int redisPort = FlowTests.portToReuse();
        try (Simulators sims = Simulators.start(0, 0)) {
            sims.opencast().registerSeries(SERIES, "Scale out");
            List<String> common = List.of(
                    "camelcast.api-key=" + KEY,
                    "camelcast.recording.webhook-delay=0",
                    "camelcast.sqs.wait-seconds=1",
                    // a killed instance's messages are back on their queues this soon
                    "camelcast.sqs.visibility-seconds=8",
                    "camelcast.cluster.heartbeat-ms=1000",
                    "camelcast.cluster.instance-ttl-ms=4000",
                    "camelcast.opencast.ingest-grace=20",
                    "camelcast.zoom.webhook-secret=" + Simulators.DEMO_WEBHOOK_SECRET,
                    "camelcast.zoom.download-hosts=127.0.0.1",
                    "camelcast.zoom.api-url=" + sims.zoom().url() + "/v2",
                    "camelcast.zoom.oauth-url=" + sims.zoom().url() + "/oauth/token",
                    "camelcast.opencast.url=" + sims.opencast().url(),
                    "camelcast.opencast.engage-url=" + sims.opencast().url(),
                    "camelcast.opencast.user=" + OpencastSimulator.DEFAULT_USER,
                    "camelcast.opencast.password=" + OpencastSimulator.DEFAULT_PASSWORD,
                    "camelcast.schedule.default-series-id=" + SERIES,
                    "camelcast.targets.zoom-upload=archive",
                    "camelcast.targets.tus=archive",
                    "camelcast.targets.custom=archive",
                    "camelcast.archive.part-size=5242880",
                    // issue 26: upload bytes live in S3 staging; each instance's custom files are on its own disk
                    // and go once staged and queued; a killed instance's PATCH lock is gone within 5 s
                    "camelcast.upload.delete-custom-files=true",
                    "camelcast.upload.part-size=5242880",
                    "camelcast.upload.lock-ttl-ms=5000",
                    "camelcast.useractions.schedule=true",
                    "camelcast.useractions.cron=0/5 * * * * ?");
            Instance a = start("a", dir, common, List.of(
                    "camelcast.s3.embedded-port=" + s3Port,
                    "camelcast.sqs.embedded-port=" + sqsPort,
                    "camelcast.redis.embedded-port=" + redisPort));
            List<String> pointAtA = List.of(
                    "camelcast.s3.endpoint=http://127.0.0.1:" + s3Port,
                    "camelcast.s3.access-key=camelcast",
                    "camelcast.s3.secret-key=camelcast-embedded-secret",
                    "camelcast.sqs.endpoint=http://127.0.0.1:" + sqsPort,
                    "camelcast.sqs.access-key=camelcast",
                    "camelcast.sqs.secret-key=camelcast-embedded-secret",
                    "camelcast.redis.url=redis://127.0.0.1:" + redisPort);
            List<Instance> all = new ArrayList<>();
            all.add(a);
            try {
                all.add(start("b", dir, common, pointAtA));
                all.add(start("c", dir, common, pointAtA));
                Instance b = all.get(1);
                Instance c = all.get(2);
                Map<String, String> ids = new LinkedHashMap<>();
                for (Instance i : all) {
                    ids.put(i.name(), instanceId(i));
                }

                // recordings: the first half to all three, every webhook to two instances
                List<String> uuids = new ArrayList<>();
                List<String> zoomUploads = new ArrayList<>();
                for (int i = 0; i < RECORDINGS; i++) {
                    uuids.add("scale" + i + "x" + System.nanoTime() + "==");
                }
                for (int i = 0; i < 8; i++) {
                    zoomUploads.add("scaleup" + i + "x" + System.nanoTime() + "==");
                }
                Map<String, String> uploadSha = new TreeMap<>();
                // issue 26: an upload begun on A is finished on B; two PATCHes of one upload at once on A and B
                tusAcross(a, b, new Random(26), uploadSha);
                tusAtOnce(a, b, new Random(27), uploadSha, redisPort);
                // C is in the middle of a PATCH when it is killed (below): 12 of 20 MiB sent, the rest held back
                byte[] cut = new byte[20 << 20];
                new Random(28).nextBytes(cut);
                String cutId = create(c, cut.length, "cut.mp4");
                java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
                // (its answer never comes: C dies with the connection open)
                HTTP.sendAsync(patch(c, cutId, 0, held(Arrays.copyOf(cut, 12 << 20), never)), HttpResponse.BodyHandlers.ofString());
                awaitTrue(() -> offset(a, cutId) >= (5 << 20), "C's PATCH has a part in S3", all);
                ExecutorService senders = Executors.newFixedThreadPool(4);
                List<Future<?>> sent = new ArrayList<>();
                for (int i = 0; i < RECORDINGS / 2; i++) {
                    sent.add(sendTwice(senders, sims, all, i, uuids.get(i), "/zoom/webhook"));
                }
                for (int i = 0; i < 4; i++) {
                    sent.add(sendTwice(senders, sims, all, i, zoomUploads.get(i), "/zoom-upload"));
                }
                Random random = new Random(24);
                for (int i = 0; i < 3; i++) {
                    tus(all.get(i % 3), random, uploadSha);
                    custom(all.get((i + 1) % 3), random, uploadSha);
                }
                for (Future<?> f : sent) {
                    f.get(60, TimeUnit.SECONDS);
                }
                // C is in the middle of downloads (Zoom holds the next ones back for 4 s each): kill it
                long fetchesBefore = Files.readAllLines(c.log()).stream().filter(l -> l.contains("recording fetch zip_id=")).count();
                sims.zoom().faults().add(new io.camelcast.sim.Faults.Fault(0, 30, 4000, "/rec/download/", "GET", null, null));
                awaitLog(c, l -> false, () -> Files.readAllLines(c.log()).stream()
                        .filter(l -> l.contains("recording fetch zip_id=")).count() > fetchesBefore, "C fetching");
                Thread.sleep(1000);
                c.process().destroyForcibly();
                assertTrue(c.process().waitFor(30, TimeUnit.SECONDS));
                List<Instance> alive = List.of(a, b);

                // the rest goes to the two that are left
                sent.clear();
                for (int i = RECORDINGS / 2; i < RECORDINGS; i++) {
                    sent.add(sendTwice(senders, sims, alive, i, uuids.get(i), "/zoom/webhook"));
                }
                for (int i = 4; i < 8; i++) {
                    sent.add(sendTwice(senders, sims, alive, i, zoomUploads.get(i), "/zoom-upload"));
                }
                for (int i = 3; i < 6; i++) {
                    tus(alive.get(i % 2), random, uploadSha);
                    custom(alive.get((i + 1) % 2), random, uploadSha);
                }
                // the client of the PATCH C died in resumes on B: HEAD says where, the dead instance's lock is gone
                // within camelcast.upload.lock-ttl-ms (423 until then)
                never.countDown();
                long at = offset(b, cutId);
                assertTrue(at >= (5 << 20) && at <= (12 << 20), "the bytes C made durable count: " + at);
                int locked = resume(b, cutId, cut, at);
                uploadSha.put(cutId, sha256(cut));
                System.out.println("scale-out: C's PATCH resumed on B at " + at + " after " + locked + " answers 423");
                // tus-js-client with parallelUploads behind a round-robin balancer over A and B: partial uploads on
                // both, the final concatenation on either
                tusJsParallel(dir, List.of(a, b), random, uploadSha);
                for (Future<?> f : sent) {
                    f.get(60, TimeUnit.SECONDS);
                }
                senders.shutdown();

                // everything arrives
                Set<String> expected = new TreeSet<>();
                uuids.forEach(u -> expected.add(MediapackageIds.deterministic(u)));
                long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
                while (System.nanoTime() < deadline && !ingestedIn(sims).containsAll(expected)) {
                    Thread.sleep(500);
                }
                Set<String> missing = new TreeSet<>(expected);
                missing.removeAll(ingestedIn(sims));
                assertEquals(Set.of(), missing, () -> "recordings never ingested; logs:\n" + logs(all));
                for (String id : uploadSha.keySet()) {
                    awaitUploadDone(b, id, all);
                }
                for (String uuid : zoomUploads) {
                    // the item id RecordingUploads.items gives the recording's one MP4 segment
                    awaitUploadDone(b, "zoom" + sha256(("auto-ingest-" + uuid + "/0").getBytes(StandardCharsets.UTF_8)).substring(0, 28), all);
                }
                Map<String, String> zoomArchived = awaitZoomUploads(s3Port, zoomUploads.size(), all);
                Thread.sleep(8_000); // a wrongly repeated delivery would show up now

                // 1. each recording in Opencast exactly once
                Map<String, Integer> perMediapackage = new TreeMap<>();
                for (Map<String, Object> ingest : sims.opencast().ingests()) {
                    perMediapackage.merge(String.valueOf(ingest.get("mediapackageId")), 1, Integer::sum);
                }
                Map<String, Integer> twice = new TreeMap<>();
                perMediapackage.forEach((mp, n) -> {
                    if (n != 1) {
                        twice.put(mp, n);
                    }
                });
                assertEquals(Map.of(), twice, "no recording ingested twice");
                assertEquals(RECORDINGS, perMediapackage.size());

                // 2. each file fetched from Zoom once; twice at most for recordings C was fetching when it died
                Set<String> touchedByC = zipIdsIn(c.log(), Pattern.compile("recording fetch zip_id=auto-ingest-(\\S+)"));
                Map<String, Integer> downloads = new TreeMap<>();
                for (String r : sims.zoom().requests()) {
                    if (r.startsWith("GET /rec/download/")) {
                        downloads.merge(r.substring("GET /rec/download/".length()).replaceAll("\\?.*", ""), 1, Integer::sum);
                    }
                }
                Map<String, Integer> fetchedAgain = new TreeMap<>();
                List<String> everyUuid = new ArrayList<>(uuids);
                everyUuid.addAll(zoomUploads);
                for (String uuid : everyUuid) {
                    for (JsonNode file : recordingFiles(sims.zoom(), uuid)) {
                        int n = downloads.getOrDefault(file.path("id").asText(), 0);
                        int allowed = touchedByC.contains(uuid) ? 2 : 1;
                        if (n > allowed || ("MP4".equals(file.path("file_type").asText()) && n == 0)) {
                            fetchedAgain.put(uuid + " " + file.path("recording_type").asText(), n);
                        }
                    }
                }
                assertEquals(Map.of(), fetchedAgain, () -> "files fetched more than once (or never); C was fetching "
                        + touchedByC + "\n" + logs(all));

                // 3. no grace waited out but for an ingest the killed instance had under way
                List<String> graceWaits = new ArrayList<>();
                for (Instance i : List.of(a, b)) {
                    for (String line : Files.readAllLines(i.log())) {
                        if (line.contains("died during its ingest") && !line.contains("instance " + ids.get("c") + " ")) {
                            graceWaits.add(i.name() + ": " + line);
                        }
                    }
                }
                assertEquals(List.of(), graceWaits, "a grace waited for a live instance's ingest");

                // 4. each upload archived once, with the bytes sent
                Map<String, Integer> archivedSteps = new TreeMap<>();
                for (Instance i : all) {
                    for (String line : Files.readAllLines(i.log())) {
                        Matcher m = Pattern.compile("upload step done id=(\\S+) step=archive").matcher(line);
                        if (m.find()) {
                            archivedSteps.merge(m.group(1), 1, Integer::sum);
                        }
                    }
                }
                try (S3Client s3 = s3(s3Port)) {
                    for (Map.Entry<String, String> u : uploadSha.entrySet()) {
                        JsonNode status = uploadStatus(a, u.getKey());
                        String key = status.path("steps").path("archive").path("key").asText();
                        try (InputStream in = s3.getObject(g -> g.bucket("camelcast-archive").key(key))) {
                            assertEquals(u.getValue(), sha256(in), "archived bytes of " + u.getKey());
                        }
                    }
                    for (Map.Entry<String, String> z : zoomArchived.entrySet()) {
                        try (InputStream in = s3.getObject(g -> g.bucket("camelcast-archive").key(z.getKey()))) {
                            assertTrue(sims.zoom().recordings().stream().anyMatch(r -> {
                                for (JsonNode f : r.path("recording_files")) {
                                    if (ZoomSimulator.sha256Hex(f.path("id").asText(), FILE_SIZE).equals(z.getValue())) {
                                        return true;
                                    }
                                }
                                return false;
                            }), "the archived Zoom upload " + z.getKey() + " holds a Zoom file's bytes");
                            assertEquals(z.getValue(), sha256(in));
                        }
                    }
                }
                assertEquals(uploadSha.size() + zoomUploads.size(), archivedSteps.size(), "every upload archived: " + archivedSteps);
                Map<String, Integer> archivedTwice = new TreeMap<>(archivedSteps);
                archivedTwice.values().removeIf(n -> n == 1);
                assertEquals(Map.of(), archivedTwice, "no upload archived twice");

                // 5. each harvest tick ran on one instance
                Map<String, Integer> ticks = new TreeMap<>();
                for (Instance i : all) {
                    for (String line : Files.readAllLines(i.log())) {
                        Matcher m = Pattern.compile("harvest useractions tick=(\\d+) runs on this instance").matcher(line);
                        if (m.find()) {
                            ticks.merge(m.group(1), 1, Integer::sum);
                        }
                    }
                }
                assertTrue(ticks.size() >= 3, "the harvest ran on its schedule: " + ticks);
                Map<String, Integer> ranTwice = new TreeMap<>(ticks);
                ranTwice.values().removeIf(n -> n == 1);
                assertEquals(Map.of(), ranTwice, "no tick ran on two instances");

                // what happened, for the record (the closing note's numbers)
                Map<String, Long> lines = new TreeMap<>();
                for (Instance i : all) {
                    for (String line : Files.readAllLines(i.log())) {
                        for (String what : List.of("recording fetch zip_id", "recording fetch skipped", "recording deliver skipped", "upload skipped",
                                "claim taken over", "is ingesting it now", "died during its ingest", "recording ingested zip_id",
                                "upload done id")) {
                            if (line.contains(what)) {
                                lines.merge(i.name() + ": " + what, 1L, Long::sum);
                            }
                        }
                    }
                }
                System.out.println("scale-out: C was fetching " + touchedByC.size() + " recordings when killed; ticks "
                        + ticks.size() + "; Zoom downloads " + downloads.values().stream().mapToInt(Integer::intValue).sum()
                        + "; log lines " + lines);
            } finally {
                for (int i = all.size() - 1; i >= 0; i--) {
                    all.get(i).process().destroy();
                    all.get(i).process().waitFor(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    static Instance start(String name, Path root, List<String> common, List<String> own) throws Exception {
        Path dir = Files.createDirectories(root.resolve("instance-" + name));
        int port = FlowTests.portToReuse();
        List<String> lines = new ArrayList<>(common);
        lines.addAll(own);
        lines.add("camelcast.http.port=" + port);
        lines.add("camelcast.data-dir=" + dir.resolve("data"));
        lines.add("camelcast.upload.root=" + Files.createDirectories(dir.resolve("custom-root")));
        Path config = dir.resolve("camelcast.properties");
        Files.writeString(config, String.join("\n", lines) + "\n");
        Path log = dir.resolve("run.log");
        Process p = new ProcessBuilder(List.of("java", "-Xmx256m", "-jar", CamelcastJarIT.JAR.toString(), "run", "--config",
                config.toString())).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        CamelcastJarIT.awaitHealthUp(port, p, log);
        return new Instance(name, port, dir, log, p);
    }

    static String instanceId(Instance i) throws Exception {
        Matcher m = Pattern.compile("cluster instance=(\\S+)").matcher(Files.readString(i.log()));
        assertTrue(m.find(), "instance " + i.name() + " logs its cluster id");
        return m.group(1);
    }

    /** The recording's webhook to two instances (a Zoom retry landing elsewhere). */
    static Future<?> sendTwice(ExecutorService pool, Simulators sims, List<Instance> to, int n, String uuid, String path) {
        ObjectNode event = sims.zoom().recordingCompletedEvent(uuid, 96_000_000_000L + n, "Scale out " + n,
                "2026-11-17T15:00:00Z", 60, FILE_SIZE);
        return pool.submit(() -> {
            for (int k = 0; k < 2; k++) {
                Instance target = to.get((n + k) % to.size());
                HttpResponse<String> r = sims.zoom().sendWebhook(target.uri(path), Simulators.DEMO_WEBHOOK_SECRET, event.toString());
                assertEquals(200, r.statusCode(), target.name() + " " + path + ": " + r.body());
            }
            return null;
        });
    }

    /** A TUS upload created with all its bytes in one request (creation-with-upload). */
    static void tus(Instance on, Random random, Map<String, String> uploadSha) throws Exception {
        byte[] data = new byte[(1 << 20) + random.nextInt(1 << 20)];
        random.nextBytes(data);
        String name = "tus-" + uploadSha.size() + ".mp4";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(on.uri("/files"))
                .header("Tus-Resumable", "1.0.0").header("Upload-Length", Integer.toString(data.length))
                .header("Upload-Metadata", "filename " + Base64.getEncoder().encodeToString(name.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/offset+octet-stream").header("X-Api-Key", KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        String id = r.headers().firstValue("Location").orElseThrow().replaceAll(".*/", "");
        uploadSha.put(id, sha256(data));
    }

    /**
     * A file under the receiving instance's own upload root, handed over by path: staged in S3 in the request and
     * removed from that disk (delete-custom-files) once queued, so whichever instance delivers it reads S3.
     */
    static void custom(Instance on, Random random, Map<String, String> uploadSha) throws Exception {
        byte[] data = new byte[(1 << 20) + random.nextInt(1 << 20)];
        random.nextBytes(data);
        Path file = Files.write(on.dir().resolve("custom-root").resolve("custom-" + uploadSha.size() + ".mp4"), data);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(on.uri("/custom-upload")).header("X-Api-Key", KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().put("path", file.getFileName().toString()).toString()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
        uploadSha.put(JSON.readTree(r.body()).path("id").asText(), sha256(data));
        assertTrue(!Files.exists(file), "the local file goes once staged and queued");
    }

    static Set<String> ingestedIn(Simulators sims) {
        Set<String> out = new TreeSet<>();
        sims.opencast().ingests().forEach(i -> out.add(String.valueOf(i.get("mediapackageId"))));
        return out;
    }

    static JsonNode recordingFiles(ZoomSimulator zoom, String uuid) {
        return zoom.recordings().stream().filter(r -> uuid.equals(r.path("uuid").asText())).findFirst()
                .orElseThrow().path("recording_files");
    }

    static Set<String> zipIdsIn(Path log, Pattern pattern) throws Exception {
        Set<String> out = new TreeSet<>();
        for (String line : Files.readAllLines(log)) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    static JsonNode uploadStatus(Instance on, String id) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(on.uri("/uploads/" + id)).header("X-Api-Key", KEY).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.createObjectNode().put("http", r.statusCode());
    }

    static void awaitUploadDone(Instance on, String id, List<Instance> all) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = uploadStatus(on, id);
            if ("DONE".equals(last.path("state").asText())) {
                return;
            }
            Thread.sleep(300);
        }
        fail("upload " + id + " never DONE: " + last + "\n" + logs(all));
    }

    /** Archive key → SHA-256 of the archived Zoom uploads, once all of them are there. */
    static Map<String, String> awaitZoomUploads(int s3Port, int count, List<Instance> all) throws Exception {
        try (S3Client s3 = s3(s3Port)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (System.nanoTime() < deadline) {
                var objects = s3.listObjectsV2(l -> l.bucket("camelcast-archive").prefix("zoom-upload/")).contents();
                if (objects.size() >= count) {
                    Map<String, String> out = new TreeMap<>();
                    for (var o : objects) {
                        try (InputStream in = s3.getObject(g -> g.bucket("camelcast-archive").key(o.key()))) {
                            out.put(o.key(), sha256(in));
                        }
                    }
                    assertEquals(count, out.size(), "one archive object per Zoom upload: " + out.keySet());
                    return out;
                }
                Thread.sleep(500);
            }
        }
        fail("the Zoom uploads were not all archived\n" + logs(all));
        return null;
    }

    static void awaitLog(Instance i, java.util.function.Predicate<String> line, java.util.concurrent.Callable<Boolean> or,
                         String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readAllLines(i.log()).stream().anyMatch(line) || or.call()) {
                return;
            }
            Thread.sleep(100);
        }
        fail("timed out waiting for " + what + "\n" + Files.readString(i.log()));
    }

    static S3Client s3(int port) {
        return S3Client.builder().region(Region.US_EAST_1).forcePathStyle(true)
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("camelcast", "camelcast-embedded-secret")))
                .build();
    }

    /** The flows' lines of every instance's log, for a failure message. */
    static String logs(List<Instance> all) {
        StringBuilder out = new StringBuilder();
        for (Instance i : all) {
            out.append("--- ").append(i.name()).append('\n');
            try {
                Files.readAllLines(i.log()).stream()
                        .filter(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.contains("deferred") || l.contains("skipped"))
                        .limit(400)
                        .forEach(l -> out.append(l, 0, Math.min(l.length(), 300)).append('\n'));
            } catch (java.io.IOException e) {
                out.append(e).append('\n');
            }
        }
        return out.toString();
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static String sha256(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    // ---- issue 26: uploads on any instance ------------------------------------------------------------------

    static HttpRequest.Builder tusRequest(Instance on, String path) {
        return HttpRequest.newBuilder(on.uri(path)).header("Tus-Resumable", "1.0.0").header("X-Api-Key", KEY);
    }

    /** A new TUS upload of {@code length} bytes on {@code on}; its id. */
    static String create(Instance on, long length, String name) throws Exception {
        HttpResponse<String> r = HTTP.send(tusRequest(on, "/files").header("Upload-Length", Long.toString(length))
                .header("Upload-Metadata", "filename " + Base64.getEncoder().encodeToString(name.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return r.headers().firstValue("Location").orElseThrow().replaceAll(".*/", "");
    }

    static HttpRequest patch(Instance on, String id, long offset, HttpRequest.BodyPublisher body) {
        return tusRequest(on, "/files/" + id).header("Upload-Offset", Long.toString(offset))
                .header("Content-Type", "application/offset+octet-stream").method("PATCH", body).build();
    }

    static HttpResponse<String> patch(Instance on, String id, long offset, byte[] data, int from, int to) throws Exception {
        return HTTP.send(patch(on, id, offset, HttpRequest.BodyPublishers.ofByteArray(data, from, to - from)),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The upload's offset as {@code on} answers HEAD (-1 when it does not know it). */
    static long offset(Instance on, String id) throws Exception {
        HttpResponse<Void> r = HTTP.send(tusRequest(on, "/files/" + id).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        return r.statusCode() == 200 ? Long.parseLong(r.headers().firstValue("Upload-Offset").orElse("-1")) : -1;
    }

    /** {@code first}, then a body that waits for {@code go} before it ends (a slow client mid-PATCH). */
    static HttpRequest.BodyPublisher held(byte[] first, java.util.concurrent.CountDownLatch go) {
        return HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(first),
                new InputStream() {
                    @Override
                    public int read() throws java.io.IOException {
                        try {
                            go.await();
                        } catch (InterruptedException e) {
                            throw new java.io.IOException(e);
                        }
                        return -1;
                    }
                }));
    }

    /** Created and half sent on one instance, HEAD and the rest on another. */
    static void tusAcross(Instance first, Instance second, Random random, Map<String, String> uploadSha) throws Exception {
        byte[] data = new byte[(7 << 20) + random.nextInt(1 << 20)];
        random.nextBytes(data);
        String id = create(first, data.length, "across.mp4");
        assertEquals(204, patch(first, id, 0, data, 0, 6 << 20).statusCode());
        assertEquals(6 << 20, offset(second, id), "the other instance knows the offset");
        HttpResponse<String> rest = patch(second, id, 6 << 20, data, 6 << 20, data.length);
        assertEquals(204, rest.statusCode(), rest.body());
        uploadSha.put(id, sha256(data));
    }

    /** A PATCH streaming on one instance; a second PATCH of the same upload on the other is 423, never a second writer. */
    static void tusAtOnce(Instance streaming, Instance other, Random random, Map<String, String> uploadSha, int redisPort)
            throws Exception {
        byte[] data = new byte[6 << 20];
        random.nextBytes(data);
        String id = create(streaming, data.length, "at-once.mp4");
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        var first = HTTP.sendAsync(patch(streaming, id, 0, held(Arrays.copyOf(data, 1 << 20), go)), HttpResponse.BodyHandlers.ofString());
        // the first PATCH holds the upload's lock in the shared Redis once it streams
        try (redis.clients.jedis.UnifiedJedis jedis = redis.clients.jedis.RedisClient.create(URI.create("redis://127.0.0.1:" + redisPort))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!jedis.exists("camelcast:tus-lock:" + id) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
        // (the refusing instance drops the unread body, so this client, which reads the answer only once its body is
        // sent, gets it; and the kept-alive connection serves the next request)
        HttpResponse<String> second = patch(other, id, 0, data, 0, 1 << 20);
        assertEquals(423, second.statusCode(), "a second PATCH while the first streams: " + second.body());
        go.countDown();
        assertEquals(204, first.get(60, TimeUnit.SECONDS).statusCode());
        assertEquals(1 << 20, offset(other, id));
        assertEquals(204, patch(other, id, 1 << 20, data, 1 << 20, data.length).statusCode());
        uploadSha.put(id, sha256(data));
    }

    /** The rest of {@code data} from {@code at}, retried while the upload's lock is still held (423); how many 423s. */
    static int resume(Instance on, String id, byte[] data, long at) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int locked = 0;
        while (true) {
            HttpResponse<String> r = patch(on, id, at, data, (int) at, data.length);
            if (r.statusCode() == 204) {
                return locked;
            }
            assertEquals(423, r.statusCode(), r.body());
            locked++;
            assertTrue(System.nanoTime() < deadline, "the dead instance's lock never expired");
            Thread.sleep(500);
        }
    }

    /** tus-js-client 4.3.1 (npm, src/test/js) with three parallel uploads through a round-robin balancer. */
    static void tusJsParallel(Path dir, List<Instance> behind, Random random, Map<String, String> uploadSha) throws Exception {
        Path js = Path.of("src/test/js").toAbsolutePath();
        io.camelcast.FlowTests.npmCi(js, "tus-js-client");
        byte[] data = new byte[(16 << 20) + random.nextInt(1 << 20)];
        random.nextBytes(data);
        Path file = Files.write(dir.resolve("parallel.bin"), data);
        List<String> cmd = new ArrayList<>(List.of("node", js.resolve("tus-balanced.mjs").toString(), file.toString(), KEY, "3"));
        behind.forEach(i -> cmd.add("http://127.0.0.1:" + i.port()));
        Process node = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(120, TimeUnit.SECONDS), "tus-js-client ends");
        assertEquals(0, node.exitValue(), out);
        JsonNode result = JSON.readTree(out.lines().reduce((x, y) -> y).orElseThrow());
        behind.forEach(i -> assertTrue(result.path("requests").path(Integer.toString(i.port())).asInt() > 0,
                "the balancer sent requests to " + i.name() + ": " + out));
        uploadSha.put(result.path("url").asText().replaceAll(".*/", ""), sha256(data));
        System.out.println("scale-out: tus-js-client parallel upload " + out.trim());
    }

    static void awaitTrue(java.util.concurrent.Callable<Boolean> condition, String what, List<Instance> all) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.call()) {
                return;
            }
            Thread.sleep(100);
        }
        fail("timed out waiting for " + what + "\n" + logs(all));
    }

}
