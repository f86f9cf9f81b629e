package io.camelcast.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;

/**
 * The seed's {@code export viewing-options} and {@code export attendance} CSVs, from the episodes and
 * user-action indexes: per episode of a term and year, per viewer (anonymous excluded), the counts of
 * view-mode / playback-speed / caption events, or the percentage of the episode's intervals watched.
 */
public final class Exports {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RestClient client;
    private final String episodesIndex;
    private final String useractions;

    public Exports(RestClient client, String episodesIndex, String useractionsWildcard) {
        this.client = client;
        this.episodesIndex = episodesIndex;
        this.useractions = useractionsWildcard;
    }

    /** Episodes of a term and year: [mpid, duration, live_duration]. */
    List<JsonNode> episodes(String term, String year) throws IOException {
        ObjectNode q = JSON.createObjectNode();
        q.put("size", 10_000);
        ArrayNode filter = q.putObject("query").putObject("bool").putArray("filter");
        filter.addObject().putObject("term").put("term", term);
        filter.addObject().putObject("term").put("year", year);
        JsonNode hits = search(episodesIndex, q).path("hits").path("hits");
        List<JsonNode> out = new ArrayList<>();
        hits.forEach(h -> out.add(h.path("_source")));
        return out;
    }

    public void viewingOptions(String term, String year, PrintWriter out) throws IOException {
        out.println("mpid,huid,captions,playback_speed,view_mode");
        for (JsonNode ep : episodes(term, year)) {
            String mpid = ep.path("mpid").asText();
            ObjectNode q = base(mpid);
            ObjectNode filters = q.putObject("aggs").putObject("huid");
            filters.putObject("terms").put("field", "huid").put("size", 10_000);
            ObjectNode f = filters.putObject("aggs").putObject("paella_events").putObject("filters").putObject("filters");
            f.putObject("view_mode").putObject("term").put("action.type", "paella:button:action;edu.harvard.dce.paella.viewModeTogglePlugin");
            f.putObject("playback_speed").putObject("term").put("action.type", "paella:button:action;es.upv.paella.playbackRatePlugin");
            f.putObject("captions").putObject("wildcard").put("action.type", "paella:caption:enabled*");
            for (JsonNode b : search(useractions, q).path("aggregations").path("huid").path("buckets")) {
                JsonNode ev = b.path("paella_events").path("buckets");
                out.printf("%s,%s,%d,%d,%d%n", csv(mpid), csv(b.path("key").asText()), ev.path("captions").path("doc_count").asLong(),
                        ev.path("playback_speed").path("doc_count").asLong(), ev.path("view_mode").path("doc_count").asLong());
            }
        }
        out.flush();
    }

    public void attendance(String term, String year, int chunkInterval, boolean live, PrintWriter out) throws IOException {
        String column = live ? "live_attendance" : "vod_attendance";
        out.println("mpid,huid," + column);
        for (JsonNode ep : episodes(term, year)) {
            String mpid = ep.path("mpid").asText();
            JsonNode duration = ep.path(live ? "live_duration" : "duration");
            if (duration.isMissingNode() || duration.isNull()) {
                continue;
            }
            // the seed divides the episode's duration (ms) into chunk-interval second pieces
            long total = (long) Math.ceil(ep.path("duration").asDouble() / 1000.0 / chunkInterval);
            if (total == 0) {
                continue;
            }
            ObjectNode q = base(mpid);
            ArrayNode filter = (ArrayNode) q.path("query").path("bool").path("filter");
            filter.addObject().putObject("term").put("is_live", live);
            filter.addObject().putObject("term").put("action.is_playing", true);
            filter.addObject().putObject("term").put("action.type", "HEARTBEAT");
            ObjectNode huid = q.putObject("aggs").putObject("huid");
            huid.putObject("terms").put("field", "huid").put("size", 10_000);
            huid.putObject("aggs").putObject("inpoints").putObject("histogram").put("field", "action.inpoint")
                    .put("interval", chunkInterval).put("min_doc_count", 1);
            for (JsonNode b : search(useractions, q).path("aggregations").path("huid").path("buckets")) {
                int watched = b.path("inpoints").path("buckets").size();
                out.printf("%s,%s,%d%n", csv(mpid), csv(b.path("key").asText()), (int) (100.0 * watched / total));
            }
        }
        out.flush();
    }

    private static ObjectNode base(String mpid) {
        ObjectNode q = JSON.createObjectNode();
        q.put("size", 0);
        ObjectNode bool = q.putObject("query").putObject("bool");
        bool.putArray("filter").addObject().putObject("term").put("mpid", mpid);
        bool.putArray("must_not").addObject().putObject("term").put("huid", "anonymous");
        return q;
    }

    private JsonNode search(String index, ObjectNode query) throws IOException {
        Request r = new Request("POST", "/" + index + "/_search?ignore_unavailable=true&allow_no_indices=true");
        r.setEntity(new NStringEntity(JSON.writeValueAsString(query), ContentType.APPLICATION_JSON));
        return JSON.readTree(client.performRequest(r).getEntity().getContent());
    }

    static String csv(String v) {
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
