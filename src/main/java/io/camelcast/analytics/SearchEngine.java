package io.camelcast.analytics;

import java.io.Closeable;
import java.io.IOException;
import java.util.function.Supplier;
import org.apache.http.HttpHost;
import org.apache.http.client.config.RequestConfig;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RequestOptions;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;

/**
 * The Elasticsearch / OpenSearch low-level REST client for {@code camelcast.es.url} (the seed's
 * {@code ES_HOST}: {@code host:port} works too), made on first use and closed with Camel.
 */
public final class SearchEngine implements Supplier<RestClient>, Closeable {

    private final String url;
    private RestClient client;

    public SearchEngine(String url) {
        this.url = url;
    }

    @Override
    public synchronized RestClient get() {
        if (client == null) {
            if (url == null || url.isBlank()) {
                throw new IllegalStateException("camelcast.es.url is not set: the elasticsearch sink, es setup and exports need it");
            }
            client = RestClient.builder(HttpHost.create(url.contains("://") ? url : "http://" + url)).build();
        }
        return client;
    }

    /**
     * The readiness probe: {@code GET /_cluster/health} within three seconds (a health check must not wait
     * out the client's 30 s socket timeout). Throws with the reason when the engine does not answer or
     * says the cluster is red (writes would fail).
     */
    public void ping() throws IOException {
        Request request = new Request("GET", "/_cluster/health");
        request.setOptions(RequestOptions.DEFAULT.toBuilder().setRequestConfig(RequestConfig.custom()
                .setConnectTimeout(3000).setSocketTimeout(3000).setConnectionRequestTimeout(3000).build()));
        Response response = get().performRequest(request);
        String body = new String(response.getEntity().getContent().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (body.contains("\"status\":\"red\"")) {
            throw new IOException("cluster status red");
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (client != null) {
            client.close();
        }
    }
}
