package io.camelcast.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped Prometheus alerts and Grafana dashboard ({@code docker/prometheus/}): promtool checks the rules
 * and runs their unit tests ({@code alerts.test.yml}) when it is installed (.ci/run installs it); the rules'
 * structure and the metric names both files use are checked here in any case. OperationsTest checks that a
 * running instance exports every {@code camelcast_*} name they use.
 */
class OperationsAlertsTest {

    static final Path DIR = Path.of("docker/prometheus");
    static final Pattern METRIC = Pattern.compile("\\b(camelcast_[a-z_]+|camel_[a-z_]+)\\b");

    @Test
    void theAlertRulesAreValidAndFireWhenTheyShould() throws Exception {
        Path promtool = Set.of("/usr/bin/promtool", "/usr/local/bin/promtool").stream().map(Path::of).filter(Files::isExecutable)
                .findFirst().orElse(null);
        if (promtool != null) {
            assertEquals(0, run(promtool.toString(), "check", "rules", "alerts.yml"));
            assertEquals(0, run(promtool.toString(), "test", "rules", "alerts.test.yml"));
        } else {
            System.err.println("promtool not installed: alerts.yml checked by its structure only");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(DIR.resolve("alerts.yml")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rules = (List<Map<String, Object>>) ((List<Map<String, Object>>) doc.get("groups")).get(0).get("rules");
        Set<String> names = new TreeSet<>();
        for (Map<String, Object> r : rules) {
            names.add((String) r.get("alert"));
            assertFalse(((String) r.get("expr")).isBlank());
            assertTrue(r.get("annotations") instanceof Map<?, ?> a && a.containsKey("summary"), r.toString());
        }
        assertEquals(Set.of("CamelcastDeadLetters", "CamelcastQueueBacklog", "CamelcastHarvestNotSuccessful", "CamelcastPeerDown"), names);
    }

    @Test
    void theDashboardShowsTheGauges() throws Exception {
        JsonNode dash = new ObjectMapper().readTree(DIR.resolve("grafana-dashboard.json").toFile());
        Set<String> used = new TreeSet<>();
        for (JsonNode p : dash.path("panels")) {
            for (JsonNode t : p.path("targets")) {
                used.addAll(metrics(t.path("expr").asText()));
            }
        }
        assertTrue(used.containsAll(Set.of("camelcast_queue_messages", "camelcast_peer_up",
                "camelcast_harvest_last_success_timestamp_seconds", "camelcast_harvest_period_seconds")), used.toString());
    }

    /** Every metric name the alerts and the dashboard use. */
    static Set<String> usedMetrics() throws Exception {
        Set<String> out = new TreeSet<>(metrics(Files.readString(DIR.resolve("alerts.yml"))));
        out.addAll(metrics(Files.readString(DIR.resolve("grafana-dashboard.json"))));
        return out;
    }

    static List<String> metrics(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    static int run(String... command) throws Exception {
        Path out = Files.createTempFile("promtool", ".txt");
        Process p = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String text = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        if (p.exitValue() != 0) {
            System.err.println(String.join(" ", command) + ":\n" + text);
        }
        return p.exitValue();
    }
}
