package io.camelcast.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelcast.kaltura.ArchiveFilter;
import io.camelcast.kaltura.ArchiveRun;
import io.camelcast.sim.Simulators;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code run --demo}: the Kaltura archive flow on the Kaltura simulator. A handful of entries are registered
 * (old and unplayed, recently played, one without an original), then routes/demo/demo.yaml sends one list,
 * one copy (executed: the originals land in the archive bucket) and one health run; their lines are logged.
 */
public final class DemoKaltura {

    private static final Logger LOG = LoggerFactory.getLogger(DemoKaltura.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Simulators simulators;

    public DemoKaltura(Simulators simulators) {
        this.simulators = simulators;
    }

    public void register() throws Exception {
        List<Map<String, Object>> entries = new ArrayList<>();
        entries.add(entry("0_demo1", "Intro lecture (2019)", 6, 5, 3, 4096, true));
        entries.add(entry("0_demo2", "Lab session (2020)", 5, null, 0, 2048, true));
        entries.add(entry("0_demo3", "Seminar (last year)", 1, 0, 12, 1024, true));
        entries.add(entry("0_demo4", "Upload that failed", 7, null, 0, 512, false));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(simulators.kaltura().url() + "/_sim/entries"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(entries))).build(), HttpResponse.BodyHandlers.ofString());
        LOG.info("demo: {} Kaltura entries registered in the simulator ({})", entries.size(), r.statusCode());
    }

    private static Map<String, Object> entry(String id, String name, int createdYearsAgo, Integer playedYearsAgo, int plays,
                                             long kb, boolean original) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", id);
        e.put("name", name);
        e.put("tags", "demo");
        e.put("plays", plays);
        e.put("createdAt", ZonedDateTime.now().minusYears(createdYearsAgo).toEpochSecond());
        e.put("lastPlayedAt", playedYearsAgo == null ? null : ZonedDateTime.now().minusYears(playedYearsAgo).toEpochSecond());
        e.put("creatorId", "demo-professor");
        List<Map<String, Object>> flavors = new ArrayList<>();
        if (original) {
            flavors.add(Map.of("id", id + "_orig", "isOriginal", true, "status", 2, "size", kb));
        }
        flavors.add(Map.of("id", id + "_720p", "isOriginal", false, "status", 2, "size", kb / 3));
        e.put("flavors", flavors);
        return e;
    }

    /** A run of the archive flow whose lines go to the log. */
    public ArchiveRun run(String command, boolean execute) {
        ArchiveFilter filter = ArchiveFilter.parse("--tag demo");
        return new ArchiveRun(command, filter, execute, "video", line -> LOG.info("demo: archive {}: {}", command, line));
    }
}
