package io.camelcast.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real jar, as an operator runs it: {@code java -jar target/camelcast.jar ...}.
 * Runs after {@code package} (failsafe), so it checks the shaded jar itself: service files merged,
 * routes found on its classpath, logging alive.
 */
class CamelcastJarIT {

    static final Path JAR = Path.of(System.getProperty("camelcast.jar", "target/camelcast.jar"));
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    record Result(int exit, String out) {
    }

    @Test
    void helpListsEveryCommand() throws Exception {
        Result r = run("--help");
        assertEquals(0, r.exit, r.out);
        for (String command : List.of("run", "sim", "status", "dlq", "version")) {
            assertTrue(r.out.contains(command), command + " in --help: " + r.out);
        }
        assertEquals(0, run("dlq", "replay", "--help").exit);
    }

    @Test
    void versionNamesCamelcastAndCamel() throws Exception {
        Result r = run("version");
        assertEquals(0, r.exit, r.out);
        assertTrue(r.out.contains("camelcast 0."), r.out);
        assertTrue(r.out.contains("camel 4.17.0"), r.out);
    }

    @Test
    void badInputExitsNonZeroWithAReason(@TempDir Path dir) throws Exception {
        Result unknown = run("frobnicate");
        assertNotEquals(0, unknown.exit);
        assertTrue(unknown.out.contains("Unmatched argument") || unknown.out.contains("frobnicate"), unknown.out);

        Result noConfig = run("run", "--config", dir.resolve("missing.properties").toString());
        assertEquals(2, noConfig.exit, noConfig.out);
        assertTrue(noConfig.out.contains("configuration file not found"), noConfig.out);

        Result replay = run("dlq", "replay", "camelcast-plumbing");
        assertEquals(2, replay.exit, replay.out);
        assertTrue(replay.out.contains("--id") && replay.out.contains("--all"), replay.out);

        Result port = run("sim", "--zoom-port", "70000");
        assertNotEquals(0, port.exit);
        assertTrue(port.out.contains("65535"), port.out);

        Result notANumber = run("sim", "--opencast-port", "eighty");
        assertNotEquals(0, notANumber.exit);
        assertTrue(notANumber.out.contains("eighty"), notANumber.out);

        Result badValue = run("-Dcamelcast.http.port=eighty", "run", "--config", writeConfig(dir, 0).toString());
        assertNotEquals(0, badValue.exit);
        assertTrue(badValue.out.contains("camelcast.http.port"), badValue.out);
    }

    @Test
    void simPrintsOneLinePerSimulator() throws Exception {
        Process p = start(List.of("sim"));
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> lines = new ArrayList<>();
            String line;
            while (lines.size() < 4 && (line = out.readLine()) != null) {
                if (line.matches("(zoom|opencast|bunny|kaltura) http://127\\.0\\.0\\.1:\\d+")) {
                    lines.add(line);
                }
            }
            assertEquals(4, lines.size(), "zoom, opencast, bunny and kaltura lines");
            String kaltura = lines.stream().filter(l -> l.startsWith("kaltura")).findFirst().orElseThrow().split(" ")[1];
            HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create(kaltura
                    + "/api_v3/service/session/action/start?format=1&secret=wrong&partnerId=1")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, refused.statusCode(), "Kaltura answers its errors with 200");
            assertTrue(refused.body().contains("\"objectType\":\"KalturaAPIException\""), refused.body());
            String opencast = lines.stream().filter(l -> l.startsWith("opencast")).findFirst().orElseThrow().split(" ")[1];
            HttpResponse<String> ingests = HTTP.send(HttpRequest.newBuilder(URI.create(opencast + "/_sim/ingests")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ingests.statusCode());
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void runDemoComesUpHealthyAndPushesSampleEventsThrough(@TempDir Path dir) throws Exception {
        int port = freePort();
        Path log = dir.resolve("run.log");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(List.of("java", "-jar", JAR.toString(), "run", "--demo",
                "--config", writeConfig(dir, port).toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long upMillis = awaitHealthUp(port, p, log);
            long rssKb = rssKb(p.pid());
            System.out.printf("startup to health UP: %d ms (from process start %d ms), RSS %d MB%n",
                    upMillis, (System.nanoTime() - t0) / 1_000_000, rssKb / 1024);

            HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("routeId=\"plumbing-store\""), "per-route metrics");

            // the demo's probes travel queue -> S3 -> status record
            awaitLog(log, "plumbing stored item=demo-probe-1", p);
            String text = Files.readString(log);
            assertTrue(text.contains("simulator zoom http://127.0.0.1:"), text);
            assertTrue(text.contains("simulator opencast http://127.0.0.1:"), text);
            assertTrue(Files.exists(dir.resolve("state/instance.json")), "instance advertised for CLI commands");
            // secrets: the key is reported, its value never appears in the log
            assertTrue(text.contains("camelcast.api-key=****"), "configuration logged with the secret masked");
            assertTrue(!text.contains(API_KEY), "the API key value never appears in the log");
            assertTrue(!text.contains("sim-client-secret"), "the Zoom client secret never appears in the log");
            // the recording flow: the Zoom simulator's signed webhook ends as one ingest in the Opencast simulator
            awaitLog(log, "recording ingested zip_id=auto-ingest-", p);
            // its Opencast workflow followed until it succeeded, then the recording trashed in Zoom (after-ingest=trash)
            awaitLog(log, "state=OPENCAST_SUCCEEDED", p);
            awaitLog(log, "action=trash: Zoom recording moved to the trash", p);
            String after = Files.readString(log);
            assertTrue(after.contains("recording file staged"), "staging is logged per file");
            assertTrue(!after.contains(io.camelcast.sim.Simulators.DEMO_WEBHOOK_SECRET), "the webhook secret never appears");
            assertTrue(!after.contains(io.camelcast.sim.ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN), "download tokens never appear");
            // the upload demo: a TUS upload broken off and resumed, and a custom upload, each through the
            // archive, the Bunny simulator (and its encode webhook) to a signed site notification
            awaitLog(log, "demo: TUS upload", p);
            awaitCount(log, "upload done id=", 2, p);
            String uploads = Files.readString(log);
            assertTrue(uploads.contains("resuming with HEAD + PATCH"), "the demo upload was resumed");
            assertTrue(uploads.contains("bunny webhook id="), "Bunny's encode webhook came back");
            assertTrue(!uploads.contains(io.camelcast.sim.BunnySimulator.DEFAULT_API_KEY), "the Bunny API key never appears");
            assertTrue(!uploads.contains(io.camelcast.sim.SiteSimulator.DEFAULT_SECRET), "the notify secret never appears");
            // every other secret the demo configures: Opencast's password, the embedded stores' key
            assertTrue(!uploads.contains("password=" + io.camelcast.sim.OpencastSimulator.DEFAULT_PASSWORD)
                    && !uploads.contains(":" + io.camelcast.sim.OpencastSimulator.DEFAULT_PASSWORD + "@"), "the Opencast password never appears");
            assertTrue(!uploads.contains("camelcast-embedded-secret"), "the embedded S3/SQS secret key never appears");
            // the media demo: an answer video through ffmpeg's four tasks to DONE, its outputs listed
            awaitLog(log, "demo: media upload accepted", p);
            awaitLog(log, " DONE: tasks", p);
            awaitLog(log, "media event=media.done", p);
            String media = Files.readString(log);
            assertTrue(media.matches("(?s).*demo: media upload \\S+ DONE: .*\"web\":\"videos/demo-mentor/.*"), "its outputs are listed");
            assertTrue(!media.contains(io.camelcast.sim.SpeechSimulator.DEFAULT_KEY), "the speech API key never appears");
        } finally {
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stops on SIGTERM");
        }
        assertTrue(Files.readString(log).contains("camelcast stopped"), "graceful shutdown");
        assertTrue(!Files.exists(dir.resolve("state/instance.json")), "instance file removed on stop");
    }

    /**
     * Ctrl-C in a terminal signals the whole process group. The run stops Camel first, letting an upload in
     * flight finish (camel.main.shutdown-timeout), and only then the embedded Redis that upload's lock and
     * offset live in: redis-server is started in a session of its own and without embedded-redis's own JVM
     * hook, which stopped it at once, beside Camel's drain.
     */
    @Test
    void ctrlCLetsAnUploadInFlightFinishBeforeRedisStops(@TempDir Path dir) throws Exception {
        // HTTP/1.1: over HTTP/2 the held PATCH would stall the HEADs multiplexed beside it
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int port = freePort();
        Path log = dir.resolve("run.log");
        Process p = new ProcessBuilder(List.of("setsid", "java", "-jar", JAR.toString(), "run",
                "--config", writeConfig(dir, port).toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitHealthUp(port, p, log);
            byte[] data = new byte[(10 << 20) + 12345];
            new java.util.Random(3).nextBytes(data);
            URI files = URI.create("http://127.0.0.1:" + port + "/files");
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(files).header("Tus-Resumable", "1.0.0")
                    .header("X-Api-Key", API_KEY).header("Upload-Length", Integer.toString(data.length))
                    .header("Upload-Metadata", "filename " + java.util.Base64.getEncoder().encodeToString("stop.mp4".getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            URI upload = files.resolve(created.headers().firstValue("Location").orElseThrow());

            // 9 MiB sent (an 8 MiB part in S3, the offset in Redis), the rest held back until after the Ctrl-C
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.io.InputStream body = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(data, 0, 9 << 20),
                    new java.io.InputStream() {
                        private final java.io.InputStream rest = new java.io.ByteArrayInputStream(data, 9 << 20, data.length - (9 << 20));

                        @Override
                        public int read() throws IOException {
                            await(go);
                            return rest.read();
                        }

                        @Override
                        public int read(byte[] b, int off, int len) throws IOException {
                            await(go);
                            return rest.read(b, off, len);
                        }
                    });
            var patch = http.sendAsync(HttpRequest.newBuilder(upload).header("Tus-Resumable", "1.0.0").header("X-Api-Key", API_KEY)
                    .header("Upload-Offset", "0").header("Content-Type", "application/offset+octet-stream")
                    .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(), HttpResponse.BodyHandlers.ofString());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (offset(http, upload) < (8 << 20)) {
                assertTrue(System.nanoTime() < deadline && !patch.isDone(), "the PATCH's first part reached S3");
                Thread.sleep(100);
            }

            Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + p.pid()).redirectErrorStream(true).start();
            assertEquals(0, kill.waitFor(), "SIGINT to the run's process group");
            awaitLog(log, "is shutting down", p);
            Thread.sleep(2000);
            go.countDown();
            HttpResponse<String> done = patch.get(30, TimeUnit.SECONDS);
            assertEquals(204, done.statusCode(), done.body() + Files.readString(log));
            assertEquals(String.valueOf(data.length), done.headers().firstValue("Upload-Offset").orElse(""));
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stops on Ctrl-C");
        } finally {
            // SIGTERM first: a killed JVM would leave its redis-server running
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        String text = Files.readString(log);
        assertTrue(text.contains("tus upload complete id="), text);
        assertTrue(text.contains("camelcast stopped"), "graceful shutdown: " + text);
        for (String line : text.split("\\R")) {
            // no WARN either: Pekko's "Could not addJvmShutdownHook" came at every stop
            assertTrue(!line.contains(" ERROR ") && !line.contains(" WARN ") && !line.contains("Failed to connect")
                    && !line.contains("Connection refused"), "nothing failed while the run stopped: " + line);
        }
        Path pidFile = dir.resolve("state/redis/redis.pid");
        assertTrue(!Files.exists(pidFile), "redis-server stopped with the run, not left behind");
    }

    static void await(java.util.concurrent.CountDownLatch go) throws IOException {
        try {
            go.await();
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    static long offset(HttpClient http, URI upload) throws Exception {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(upload).timeout(Duration.ofSeconds(10))
                .header("Tus-Resumable", "1.0.0").header("X-Api-Key", API_KEY)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        return r.statusCode() == 200 ? Long.parseLong(r.headers().firstValue("Upload-Offset").orElse("-1")) : -1;
    }

    @Test
    void anOperatorsRouteFolderReplacesTheBuiltInRoutes(@TempDir Path dir) throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("hello.yaml"), String.join("\n",
                "- route:",
                "    id: operator-hello",
                "    from:",
                "      uri: platform-http:/hello",
                "      steps:",
                "        - setBody:",
                "            simple: 'hello from {{camelcast.http.port}}'",
                ""));
        int port = freePort();
        Path log = dir.resolve("run.log");
        Process p = new ProcessBuilder(List.of("java", "-Dcamel.main.routes-include-pattern=file:" + routes + "/*.yaml",
                "-jar", JAR.toString(), "run", "--config", writeConfig(dir, port).toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitHealthUp(port, p, log);
            HttpResponse<String> hello = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/hello")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("hello from " + port, hello.body());
            assertTrue(!Files.readString(log).contains("plumbing-store"), "built-in routes were not loaded");
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    static final String API_KEY = "it-api-key-3f9c2a7b";

    static Path writeConfig(Path dir, int port) throws IOException {
        Path config = dir.resolve("it.properties");
        Files.writeString(config, "camelcast.data-dir=" + dir.resolve("state") + "\ncamelcast.http.port=" + port
                + "\ncamelcast.plumbing.demo-period=500\ncamelcast.api-key=" + API_KEY + "\n");
        return config;
    }

    static long awaitHealthUp(int port, Process p, Path log) throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                fail("process exited " + p.exitValue() + ": " + Files.readString(log));
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/observe/health")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("UP")) {
                    return (System.nanoTime() - t0) / 1_000_000;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        fail("health not UP within 60 s: " + Files.readString(log));
        return -1;
    }

    static void awaitLog(Path log, String text, Process p) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readString(log).contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        fail("log never said '" + text + "': " + Files.readString(log));
    }

    static void awaitCount(Path log, String text, int count, Process p) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String s = Files.readString(log);
            if (s.split(java.util.regex.Pattern.quote(text), -1).length - 1 >= count) {
                return;
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        fail("log never said '" + text + "' " + count + " times: " + Files.readString(log));
    }

    static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static Process start(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    static Result run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("java"));
        List<String> rest = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("-D")) {
                cmd.add(a);
            } else {
                rest.add(a);
            }
        }
        cmd.add("-jar");
        cmd.add(JAR.toString());
        cmd.addAll(rest);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("camelcast " + String.join(" ", args) + " did not exit: " + out);
        }
        return new Result(p.exitValue(), out);
    }
}
