package io.camelcast.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelcast.config.Settings;
import io.camelcast.runtime.CamelcastRuntime;
import io.camelcast.sim.Simulators;
import java.io.BufferedWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench/harvest} (not part of the test suite: it runs only with -Dcamelcast.bench=true).
 * N user actions (default 200,000) from the Opencast simulator's generator, through episode enrichment
 * (Redis cache), user-agent parsing and the elasticsearch sink into a real OpenSearch node; then the same
 * documents, dumped from the index, posted to {@code _bulk} by {@code curl} in pieces of the same size,
 * in the same run. Prints actions/s for both, the ratio, and the episode cache hit ratio.
 */
class HarvestBenchmark {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void harvestAgainstCurlBulk() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("camelcast.bench"), "benchmark: run bench/harvest");
        int count = Integer.getInteger("camelcast.bench.actions", 200_000);
        int batch = 1000;
        try (SearchEngineFixture engine = new SearchEngineFixture(dir.resolve("opensearch")); Simulators sims = Simulators.start(0, 0)) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            List<String> mpids = new ArrayList<>();
            StringBuilder episodes = new StringBuilder("[");
            for (int i = 0; i < 40; i++) {
                String mp = "bench-mp-" + i;
                mpids.add(mp);
                episodes.append(i == 0 ? "" : ",").append("{\"id\": \"").append(mp).append("\", \"title\": \"Lecture ").append(i)
                        .append("\", \"start\": \"2026-09-01T14:00:00Z\", \"duration\": 3600000, \"series\": \"20270199887\", \"seriestitle\": \"MATH E-21\"}");
            }
            post(sims.opencast().url() + "/_sim/episodes", episodes.append("]").toString());
            Settings settings = sims.pointAt(Settings.load(null)).with("camelcast.data-dir", dir.resolve("state").toString())
                    .with("camelcast.http.port", Integer.toString(port)).with("camelcast.analytics.sink", "elasticsearch")
                    .with("camelcast.es.url", engine.url()).with("camelcast.useractions.wait", "0")
                    .with("camelcast.useractions.batch-size", Integer.toString(batch)).with("camelcast.es.bulk-size", Integer.toString(batch));
            double camelcastRate;
            double curlRate;
            double hitRatio;
            try (CamelcastRuntime runtime = CamelcastRuntime.start(settings)) {
                // a warm-up round for both sides first (a day of its own, a quarter of the actions): a harvest runs
                // in a long-lived runtime, and whichever side went first would otherwise pay the JIT of this JVM
                // (the runtime, the simulator and the OpenSearch node share it) for the other
                int warmup = Math.max(batch, count / 4);
                harvest(runtime, sims, mpids, warmup, "2026-08-31", 3);
                curl(engine.url(), dump(engine.url(), "useractions-camelcast-2026.08.31", "bench-warmup", batch));
                camelcastRate = harvest(runtime, sims, mpids, count, "2026-09-01", 7);
                hitRatio = runtime.camelContext().getRegistry().lookupByNameAndType("episodeCache", EpisodeCache.class).hitRatio();
            }
            // the same documents, as _bulk files of the same size, posted by curl one after another into a new index
            List<Path> files = dump(engine.url(), "useractions-camelcast-2026.09.01", "bench-baseline", batch);
            curlRate = Math.min((long) files.size() * batch, count) / curl(engine.url(), files);
            System.out.printf("BENCH %-44s %12s %12s %8s%n", "analytics harvest (" + count + " actions)", "curl docs/s", "camelcast", "ratio");
            System.out.printf("BENCH %-44s %12.0f %12.0f %8.2f%n", "Opencast -> enrich -> OpenSearch _bulk", curlRate, camelcastRate,
                    camelcastRate / curlRate);
            System.out.printf("BENCH episode cache hit ratio: %.4f%n", hitRatio);
        }
    }

    /** Harvests {@code count} generated actions of {@code day}; answers actions/s. */
    static double harvest(CamelcastRuntime runtime, Simulators sims, List<String> mpids, int count, String day, int seed) throws Exception {
        post(sims.opencast().url() + "/_sim/actions/generate", JSON.writeValueAsString(Map.of("count", count,
                "start", day + "T00:00:00Z", "end", day + "T23:59:59Z", "mpids", mpids, "seed", seed)));
        String compact = day.replace("-", "");
        Map<String, Object> h = new HashMap<>();
        h.put("start", compact + "000000");
        h.put("end", compact + "235959");
        h.put("noCheckpoint", true);
        long t0 = System.nanoTime();
        Map<?, ?> summary = runtime.camelContext().createProducerTemplate().requestBodyAndHeaders("direct:analytics-useractions-harvest", null, h, Map.class);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long delivered = ((Number) summary.get("delivered")).longValue();
        if (delivered != count) {
            throw new IllegalStateException("harvest of " + day + " delivered " + delivered + " of " + count + " actions");
        }
        HTTP.send(HttpRequest.newBuilder(URI.create(runtime.settings().get("camelcast.es.url") + "/_refresh"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        return delivered / seconds;
    }

    /** Posts each file to _bulk with curl, one after another; answers the seconds it took. */
    static double curl(String url, List<Path> files) throws Exception {
        long t0 = System.nanoTime();
        for (Path f : files) {
            Process curl = new ProcessBuilder("curl", "-sf", "-o", "/dev/null", "-H", "Content-Type: application/x-ndjson", "-XPOST",
                    url + "/_bulk", "--data-binary", "@" + f).start();
            if (curl.waitFor() != 0) {
                throw new IllegalStateException("curl failed");
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Scrolls {@code index} into _bulk NDJSON files of {@code size} documents for {@code target}. */
    List<Path> dump(String url, String index, String target, int size) throws Exception {
        List<Path> files = new ArrayList<>();
        JsonNode page = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url + "/" + index + "/_search?scroll=2m&size=" + size))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"sort\": [\"_doc\"]}")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        while (page.path("hits").path("hits").size() > 0) {
            Path f = dir.resolve("bulk-" + files.size() + ".ndjson");
            try (BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
                for (JsonNode hit : page.path("hits").path("hits")) {
                    w.write("{\"index\":{\"_index\":\"" + target + "\",\"_id\":\"" + hit.path("_id").asText() + "\"}}\n");
                    w.write(JSON.writeValueAsString(hit.path("_source")));
                    w.write('\n');
                }
            }
            files.add(f);
            String scrollId = page.path("_scroll_id").asText();
            page = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url + "/_search/scroll")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"scroll\": \"2m\", \"scroll_id\": \"" + scrollId + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        }
        return files;
    }

    static void post(String url, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(url + ": " + r.body());
        }
    }
}
