package io.camelcast.analytics;

import java.io.Closeable;
import java.io.IOException;
import java.util.function.Supplier;
import org.apache.http.HttpHost;
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

    @Override
    public synchronized void close() throws IOException {
        if (client != null) {
            client.close();
        }
    }
}
