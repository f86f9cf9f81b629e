package io.camelcast.analytics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.camelcast.embedded.EmbeddedServices;
import io.camelcast.sim.Simulators;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * `camelcast harvest useractions` as an operator runs it (the real jar): first with the search engine
 * down (the run fails after its retries and the checkpoint does not move), then killed with SIGKILL
 * half way through the window, then once more: every action is in the index exactly once (none skipped,
 * none doubled) and the checkpoint ends on the last action.
 */
class HarvestCrashIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Path JAR = Path.of(System.getProperty("camelcast.jar", "target/camelcast.jar"));
    static final int ACTIONS = 60;
    static final String INDEX = "useractions-camelcast-2026.10.21";

    @Test
    void aHarvestSurvivesTheEngineBeingDownAndKillNineWithEveryActionIndexedOnce(@TempDir Path dir) throws Exception {
        int redisPort = freePort();
        try (SearchEngineFixture engine = new SearchEngineFixture(dir.resolve("opensearch"));
             Simulators sims = Simulators.start(0, 0);
             EmbeddedServices redisServer = EmbeddedServices.start(new EmbeddedServices.Options(dir.resolve("redis"), false, false, true,
                     0, 0, redisPort, "k", "s", "us-east-1", List.of(), List.of()));
             UnifiedJedis redis = RedisClient.create(URI.create("redis://127.0.0.1:" + redisPort))) {
            ArrayNode actions = JSON.createArrayNode();
            for (int i = 0; i < ACTIONS; i++) {
                actions.add(AnalyticsFlowTest.action(9000 + i, "mp-crash", String.format("2026-10-21T10:%02d:00Z", i),
                        "huid-" + (i % 4), "10.1.0." + i, true, "HEARTBEAT", i * 30));
            }
            sims.opencast().addActions(actions);
            Path geo = dir.resolve("GeoLite2-City.mmdb");
            try (InputStream in = HarvestCrashIT.class.getResourceAsStream("/GeoLite2-City.mmdb")) {
                Files.copy(in, geo);
            }
            String common = String.join("\n",
                    "camelcast.data-dir=" + dir.resolve("state"),
                    "camelcast.redis.url=redis://127.0.0.1:" + redisPort,
                    "camelcast.analytics.sink=elasticsearch",
                    "camelcast.analytics.geoip-db=" + geo,
                    "camelcast.analytics.max-redeliveries=2",
                    "camelcast.es.bulk-retries=2",
                    "camelcast.retry.initial-delay=100",
                    "camelcast.retry.max-delay=300",
                    "camelcast.useractions.max-span=2592000",
                    "camelcast.opencast.url=" + sims.opencast().url(),
                    "camelcast.opencast.engage-url=" + sims.opencast().url(),
                    "camelcast.opencast.user=opencast_system_account",
                    "camelcast.opencast.password=CHANGE_ME", "");
            Path down = Files.writeString(dir.resolve("engine-down.properties"), common + "camelcast.es.url=http://127.0.0.1:" + freePort() + "\n");
            Path up = Files.writeString(dir.resolve("harvest.properties"), common + "camelcast.es.url=" + engine.url() + "\n");
            // scheduled-style runs: from the checkpoint (an explicit --start is a backfill and keeps it)
            List<String> window = List.of("--end", "20261021110000");
            redis.set("camelcast:checkpoint:useractions", "20261021100000");

            // 1. the search engine is down: retried, then the run fails with a reason; nothing moves
            Process failed = harvest(down, dir.resolve("down.log"), window, "--batch-size", "10", "--wait", "0");
            assertTrue(failed.waitFor(120, TimeUnit.SECONDS), "the run ends");
            assertNotEquals(0, failed.exitValue(), Files.readString(dir.resolve("down.log")));
            assertEquals("20261021100000", redis.get("camelcast:checkpoint:useractions"), "a run that delivered nothing keeps the checkpoint");

            // 2. killed half way: a page of 5 per second, SIGKILL once a few pages are in
            Process killed = harvest(up, dir.resolve("killed.log"), window, "--batch-size", "5", "--wait", "1");
            // generous: a loaded machine starts the harvest JVM slowly; the loop ends as soon as a few pages are in
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            String checkpoint = null;
            while (System.nanoTime() < deadline && (checkpoint == null || checkpoint.compareTo("20261021101500") < 0)) {
                Thread.sleep(50);
                checkpoint = redis.get("camelcast:checkpoint:useractions");
                if (!killed.isAlive()) {
                    fail("the harvest ended before it could be killed: " + Files.readString(dir.resolve("killed.log")));
                }
            }
            killed.destroyForcibly();
            assertTrue(killed.waitFor(30, TimeUnit.SECONDS));
            String atKill = redis.get("camelcast:checkpoint:useractions");
            assertTrue(atKill.compareTo("20261021101500") >= 0 && atKill.compareTo("20261021105900") < 0, "killed mid-window: " + atKill);

            // 3. the operator runs it again from the checkpoint
            Process rerun = harvest(up, dir.resolve("rerun.log"), window, "--batch-size", "7", "--wait", "0");
            assertTrue(rerun.waitFor(120, TimeUnit.SECONDS));
            String log = Files.readString(dir.resolve("rerun.log"));
            assertEquals(0, rerun.exitValue(), log);
            HTTP.send(HttpRequest.newBuilder(URI.create(engine.url() + "/_refresh")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(ACTIONS, JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(engine.url() + "/" + INDEX + "/_count")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).path("count").asLong(), "every action once: none skipped, none doubled");
            assertEquals("20261021105900", redis.get("camelcast:checkpoint:useractions"));
        }
    }

    static Process harvest(Path config, Path log, List<String> window, String... options) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("java", "-Xmx256m", "-jar", JAR.toString(), "harvest", "useractions",
                "--config", config.toString()));
        cmd.addAll(window);
        cmd.addAll(List.of(options));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
