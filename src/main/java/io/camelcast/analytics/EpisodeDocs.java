package io.camelcast.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.http.Refused;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Episode documents (the seed's {@code load_episodes}): which mpids (given, or those in a day's user
 * actions: a terms aggregation on the index, or the day's NDJSON file with the file sink), then per mpid
 * the search episode and the newest SUCCEEDED workflow: title, duration, start, series fields, stills and
 * slides from the attachments, {@code live_stream}/{@code live_start}/{@code live_end}/{@code live_duration}
 * from the capture operation, {@code available} from retract-element. A missing episode or start is
 * reported and skipped; it never stops the run (the seed crashed on both).
 */
public final class EpisodeDocs {

    private static final Logger LOG = LoggerFactory.getLogger(EpisodeDocs.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern TIME = Pattern.compile("time=([^;]+)");

    private final IndexNames indexNames;
    private final String sink;
    private final Path analyticsDir;
    private final SearchEngine engine;
    private final Clock clock;

    public EpisodeDocs(IndexNames indexNames, String sink, Path analyticsDir, SearchEngine engine, Clock clock) {
        this.indexNames = indexNames;
        this.sink = sink;
        this.analyticsDir = analyticsDir;
        this.engine = engine;
        this.clock = clock;
    }

    /** One run: its mpids and what became of them (shared by the split's pieces). */
    public static final class Run {
        private final List<String> mpids;
        private final AtomicLong indexed = new AtomicLong();
        private final List<String> skipped = java.util.Collections.synchronizedList(new ArrayList<>());

        Run(List<String> mpids) {
            this.mpids = mpids;
        }

        public List<String> getMpids() {
            return mpids;
        }
    }

    public Run begin(String mpids, String day) throws IOException {
        if (mpids != null && !mpids.isBlank()) {
            return new Run(List.of(mpids.split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).distinct().toList());
        }
        LocalDate d;
        try {
            d = day == null || day.isBlank() ? LocalDate.now(clock).minusDays(1) : LocalDate.parse(day.trim());
        } catch (DateTimeParseException e) {
            throw new Refused(400, "--since must be YYYY-MM-DD, got '" + day + "'");
        }
        String index = indexNames.forTime(indexNames.useractions(), d.atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
        List<String> found = switch (sink) {
            case "elasticsearch" -> fromIndex(index);
            case "file" -> fromFile(analyticsDir.resolve(index + ".ndjson"));
            default -> throw new Refused(400, "with camelcast.analytics.sink=" + sink + " there is no index to read mpids from: give --mpid");
        };
        LOG.info("episodes harvest day={} index={} mpids={}", d, index, found.size());
        return new Run(found);
    }

    /** The seed's terms aggregation on the day's user-action index. */
    List<String> fromIndex(String index) throws IOException {
        Request r = new Request("POST", "/" + index + "/_search?ignore_unavailable=true");
        r.setEntity(new NStringEntity("{\"size\":0,\"aggs\":{\"mpids\":{\"terms\":{\"field\":\"mpid\",\"size\":65000}}}}",
                ContentType.APPLICATION_JSON));
        JsonNode answer = JSON.readTree(engine.get().performRequest(r).getEntity().getContent());
        List<String> out = new ArrayList<>();
        answer.path("aggregations").path("mpids").path("buckets").forEach(b -> out.add(b.path("key").asText()));
        return out;
    }

    /** The same from the file sink's NDJSON: every document line's mpid. */
    static List<String> fromFile(Path file) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("{\"index\"")) {
                    continue;
                }
                JsonNode doc = JSON.readTree(line);
                if (doc.hasNonNull("mpid")) {
                    out.add(doc.get("mpid").asText());
                }
            }
        } catch (NoSuchFileException e) {
            LOG.warn("episodes harvest: no user actions file {}", file);
        }
        return new ArrayList<>(out);
    }

    /** The document of one mpid (empty when it cannot be made: reported, not fatal). */
    public List<AnalyticsDoc> document(Run run, String mpid, JsonNode episode, String workflows) throws IOException {
        if (episode == null) {
            skip(run, mpid, "no such episode in Opencast's search");
            return List.of();
        }
        JsonNode mp = episode.path("mediapackage");
        if (!mp.hasNonNull("start") || mp.path("start").asText().isBlank()) {
            skip(run, mpid, "the episode has no start");
            return List.of();
        }
        ObjectNode doc = NODES.objectNode();
        doc.put("title", mp.path("title").asText(null));
        doc.put("mpid", mp.path("id").asText(mpid));
        doc.put("duration", mp.path("duration").asLong());
        doc.put("start", UserActionDocs.ARROW_UTC.format(Instant.parse(UserActionDocs.normalize(mp.path("start").asText()))));
        // Kibana's default time field: the episode's start
        doc.put("@timestamp", doc.path("start").asText());
        if (mp.hasNonNull("series")) {
            String series = mp.path("series").asText();
            doc.put("course", mp.path("seriestitle").asText(null));
            doc.put("series", series);
            doc.put("year", UserActionDocs.slice(series, 0, 4));
            doc.put("term", UserActionDocs.slice(series, 4, 6));
            doc.put("crn", UserActionDocs.slice(series, 6, 11));
        }
        if (episode.has("dcType")) {
            doc.put("type", episode.path("dcType").asText());
        }
        if (episode.has("dcDescription")) {
            doc.put("description", episode.path("dcDescription").asText());
        }
        List<JsonNode> attachments = list(mp.path("attachments").path("attachment"));
        for (String preview : List.of("presenter", "presentation")) {
            attachments.stream().filter(a -> (preview + "/player+preview").equals(a.path("type").asText())).findFirst()
                    .ifPresent(a -> doc.put(preview + "_still", a.path("url").asText()));
        }
        ArrayNode slides = NODES.arrayNode();
        for (JsonNode a : attachments) {
            if ("presentation/segment+preview".equals(a.path("type").asText())) {
                Matcher m = TIME.matcher(a.path("ref").asText(""));
                slides.addObject().put("img", a.path("url").asText()).put("time", m.find() ? m.group(1) : null);
            }
        }
        if (!attachments.isEmpty()) {
            doc.set("slides", slides);
        }
        workflow(doc, workflows);
        run.indexed.incrementAndGet();
        return List.of(new AnalyticsDoc(indexNames.episodes(), mpid, doc));
    }

    /** The newest SUCCEEDED workflow: capture → live fields, retract-element → available. */
    static void workflow(ObjectNode doc, String workflowsJson) throws IOException {
        List<JsonNode> workflows = list(JSON.readTree(workflowsJson == null || workflowsJson.isBlank() ? "{}" : workflowsJson)
                .path("workflows").path("workflow"));
        if (workflows.isEmpty()) {
            return;
        }
        // the seed: take the most recent; the API's sort arguments do not work, so sort by id here
        JsonNode wf = workflows.stream().max(java.util.Comparator.comparingLong(w -> w.path("id").asLong())).orElseThrow();
        List<JsonNode> ops = list(wf.path("operations").path("operation"));
        JsonNode capture = ops.stream().filter(o -> "capture".equals(o.path("id").asText())).findFirst().orElse(null);
        if (capture != null) {
            long started = capture.path("started").asLong();
            long completed = capture.path("completed").asLong();
            doc.put("live_stream", true);
            doc.put("live_start", UserActionDocs.ARROW_UTC.format(Instant.ofEpochMilli(started)));
            doc.put("live_end", UserActionDocs.ARROW_UTC.format(Instant.ofEpochMilli(completed)));
            doc.put("live_duration", completed - started);
        } else {
            doc.put("live_stream", false);
        }
        ops.stream().filter(o -> "retract-element".equals(o.path("id").asText())).findFirst()
                .ifPresent(o -> doc.put("available", UserActionDocs.ARROW_UTC.format(Instant.ofEpochMilli(o.path("completed").asLong()))));
    }

    public Map<String, Object> summary(Run run) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("mpids", run.mpids.size());
        s.put("indexed", run.indexed.get());
        s.put("skipped", new ArrayList<>(run.skipped));
        LOG.info("episodes harvest done mpids={} indexed={} skipped={}", run.mpids.size(), run.indexed.get(), run.skipped.size());
        return s;
    }

    private static void skip(Run run, String mpid, String why) {
        run.skipped.add(mpid + ": " + why);
        LOG.warn("episodes harvest skipped mpid={}: {}", mpid, why);
    }

    static List<JsonNode> list(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(out::add);
        } else if (node.isObject()) {
            out.add(node);
        }
        return out;
    }
}
