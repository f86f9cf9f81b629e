package io.camelcast.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elasticsearch / OpenSearch {@code _bulk} with the checks {@code _bulk} needs: the answer is 200 even
 * when items fail, so every item is read. Items failing with 429 or 5xx are sent again (only those) with
 * back-off; items rejected for good (a mapping error, a 400) come back to the route, which puts them in
 * the analytics DLQ with the reason. A whole request failing (engine down) is an exception: the route's
 * redelivery and, after it, the harvest's checkpoint (it does not move) take care of it.
 *
 * <p>Uses the low-level REST client Camel's elasticsearch-rest-client component is built on; the
 * component itself has no bulk operation.
 */
public final class BulkIndexer {

    private static final Logger LOG = LoggerFactory.getLogger(BulkIndexer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final java.util.function.Supplier<RestClient> client;
    private final int retries;
    private final long backoffMillis;

    /** @param client the engine's client (made on first use: the file and sqs sinks never need one) */
    public BulkIndexer(java.util.function.Supplier<RestClient> client, int retries, long backoffMillis) {
        this.client = client;
        this.retries = retries;
        this.backoffMillis = backoffMillis;
    }

    /** A document Elasticsearch refused for good, with its reason. */
    public record Rejected(AnalyticsDoc doc, int status, String reason) {
    }

    /** Indexes {@code docs}; returns the documents rejected for good (empty when all were accepted). */
    public List<Rejected> send(List<AnalyticsDoc> docs) throws IOException, InterruptedException {
        List<AnalyticsDoc> pending = docs;
        List<Rejected> rejected = new ArrayList<>();
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            Request request = new Request("POST", "/_bulk");
            request.setEntity(new NStringEntity(AnalyticsPayloads.bulkBody(pending), ContentType.create("application/x-ndjson",
                    StandardCharsets.UTF_8)));
            Response response;
            try {
                response = client.get().performRequest(request);
            } catch (ResponseException e) {
                int status = e.getResponse().getStatusLine().getStatusCode();
                if ((status == 429 || status >= 500) && attempt < retries) {
                    sleep(attempt);
                    continue;
                }
                throw e;
            }
            JsonNode answer = JSON.readTree(response.getEntity().getContent());
            List<AnalyticsDoc> again = new ArrayList<>();
            if (answer.path("errors").asBoolean(false)) {
                JsonNode items = answer.path("items");
                for (int i = 0; i < items.size() && i < pending.size(); i++) {
                    JsonNode result = items.get(i).elements().next();
                    int status = result.path("status").asInt(200);
                    if (status < 300) {
                        continue;
                    }
                    if ((status == 429 || status >= 500) && attempt < retries) {
                        again.add(pending.get(i));
                    } else {
                        JsonNode error = result.path("error");
                        rejected.add(new Rejected(pending.get(i), status,
                                error.path("type").asText("error") + ": " + error.path("reason").asText(error.toString())));
                    }
                }
            }
            if (!again.isEmpty()) {
                LOG.warn("analytics bulk: {} of {} documents to send again (429/5xx) attempt={}", again.size(), pending.size(), attempt + 1);
                sleep(attempt);
            }
            pending = again;
        }
        if (!rejected.isEmpty()) {
            LOG.warn("analytics bulk: {} document(s) rejected for good, first: index={} id={} reason=\"{}\"", rejected.size(),
                    rejected.get(0).doc().index(), rejected.get(0).doc().id(), rejected.get(0).reason());
        }
        return rejected;
    }

    private void sleep(int attempt) throws InterruptedException {
        Thread.sleep(Math.min(30_000, backoffMillis * (1L << Math.min(attempt, 10))));
    }
}
