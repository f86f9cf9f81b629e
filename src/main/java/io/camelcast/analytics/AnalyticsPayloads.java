package io.camelcast.analytics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each analytics sink target is sent, from one batch of documents (the {@code analytics-sink}
 * route template splits on these):
 * <ul>
 *   <li>{@code file}: per index, the batch in Elasticsearch {@code _bulk} NDJSON, appended to
 *       {@code <dir>/<index>.ndjson} (load it later with {@code curl -XPOST _bulk --data-binary @file});</li>
 *   <li>{@code sqs}: one message per document, body = the document JSON (as the seed), ten per SQS batch;</li>
 *   <li>{@code elasticsearch}: the batch in pieces of {@code camelcast.es.bulk-size} for {@code _bulk}.</li>
 * </ul>
 */
public final class AnalyticsPayloads {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int bulkSize;

    public AnalyticsPayloads(int bulkSize) {
        this.bulkSize = Math.max(1, bulkSize);
    }

    /** One index's share of a batch for the {@code file} target. */
    public record FileChunk(String index, String ndjson) {
    }

    /** The file a piece goes to ({@code file} target), or null for the other targets' pieces. */
    public String indexOf(Object piece) {
        return piece instanceof FileChunk c ? c.index() : null;
    }

    /** What the endpoint is sent: a file piece's text, the other targets' pieces as they are. */
    public Object unwrap(Object piece) {
        return piece instanceof FileChunk c ? c.ndjson() : piece;
    }

    public List<FileChunk> file(List<AnalyticsDoc> docs) throws JsonProcessingException {
        Map<String, StringBuilder> byIndex = new LinkedHashMap<>();
        for (AnalyticsDoc d : docs) {
            appendBulk(byIndex.computeIfAbsent(d.index(), k -> new StringBuilder()), d);
        }
        List<FileChunk> out = new ArrayList<>();
        byIndex.forEach((index, text) -> out.add(new FileChunk(index, text.toString())));
        return out;
    }

    public List<List<String>> sqs(List<AnalyticsDoc> docs) throws JsonProcessingException {
        List<List<String>> batches = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (AnalyticsDoc d : docs) {
            current.add(JSON.writeValueAsString(d.source()));
            if (current.size() == 10) {
                batches.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    public List<List<AnalyticsDoc>> elasticsearch(List<AnalyticsDoc> docs) {
        List<List<AnalyticsDoc>> out = new ArrayList<>();
        for (int i = 0; i < docs.size(); i += bulkSize) {
            out.add(new ArrayList<>(docs.subList(i, Math.min(docs.size(), i + bulkSize))));
        }
        return out;
    }

    /**
     * After a target: the documents Elasticsearch rejected for good, as DLQ letters
     * ({@code {index, id, status, reason, document}}); empty for the other targets.
     */
    public List<String> rejected(Object result) throws JsonProcessingException {
        List<String> letters = new ArrayList<>();
        if (result instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof BulkIndexer.Rejected r) {
                    ObjectNode letter = JSON.createObjectNode();
                    letter.put("index", r.doc().index());
                    letter.put("id", r.doc().id());
                    letter.put("status", r.status());
                    letter.put("reason", r.reason());
                    letter.set("document", r.doc().source());
                    letters.add(JSON.writeValueAsString(letter));
                }
            }
        }
        return letters;
    }

    static void appendBulk(StringBuilder b, AnalyticsDoc d) throws JsonProcessingException {
        ObjectNode meta = JSON.createObjectNode();
        ObjectNode index = meta.putObject("index");
        index.put("_index", d.index());
        index.put("_id", d.id());
        b.append(JSON.writeValueAsString(meta)).append('\n').append(JSON.writeValueAsString(d.source())).append('\n');
    }

    /** {@code _bulk} NDJSON of a batch. */
    public static String bulkBody(List<AnalyticsDoc> docs) throws JsonProcessingException {
        StringBuilder b = new StringBuilder(docs.size() * 512);
        for (AnalyticsDoc d : docs) {
            appendBulk(b, d);
        }
        return b.toString();
    }
}
