package io.camelcast.embedded;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.elasticmq.server.ElasticMQServer;
import org.elasticmq.server.config.ElasticMQServerConfig;
import scala.Function0;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * SQS protocol in process: ElasticMQ on loopback with queue definitions ({@code queues.conf}) and
 * messages (H2, {@code messages.mv.db}) on disk under {@code data/sqs}, so a queued recording
 * survives a crash. Every flow queue is declared with its {@code -dlq}.
 */
final class EmbeddedSqs implements AutoCloseable {

    private final Function0<?> shutdown;
    private final int port;

    private EmbeddedSqs(Function0<?> shutdown, int port) {
        this.shutdown = shutdown;
        this.port = port;
    }

    static EmbeddedSqs start(Path dir, int requestedPort, List<String> queues) throws IOException {
        Files.createDirectories(dir);
        // ElasticMQ builds queue URLs from its node address, so the port must be known before binding
        int port = requestedPort > 0 ? requestedPort : freePort();
        StringBuilder hocon = new StringBuilder();
        hocon.append("node-address { protocol = http, host = \"127.0.0.1\", port = ").append(port)
                .append(", context-path = \"\" }\n");
        hocon.append("rest-sqs { enabled = true, bind-port = ").append(port)
                .append(", bind-hostname = \"127.0.0.1\", sqs-limits = strict }\n");
        hocon.append("generate-node-address = false\n");
        // Camelcast stops ElasticMQ itself, after Camel: no shutdown hook of its own (nor H2's, which
        // closed the message store under ElasticMQ while it still answered the last polls)
        hocon.append("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off\n");
        hocon.append("aws { region = \"us-east-1\", accountId = \"000000000000\" }\n");
        hocon.append("queues-storage { enabled = true, path = ").append(quote(dir.resolve("queues.conf").toString())).append(" }\n");
        hocon.append("messages-storage { enabled = true, driver-class = \"org.h2.Driver\", uri = ")
                .append(quote("jdbc:h2:" + dir.resolve("messages").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE")).append(", username = \"\", password = \"\", ")
                .append("prune-data-on-init = false }\n");
        hocon.append("queues {\n");
        for (String q : queues) {
            hocon.append("  ").append(quote(q)).append(" {}\n");
            hocon.append("  ").append(quote(q + "-dlq")).append(" {}\n");
        }
        hocon.append("}\n");
        Config config = ConfigFactory.parseString(hocon.toString()).withFallback(ConfigFactory.load());
        Function0<?> shutdown = new ElasticMQServer(new ElasticMQServerConfig(config)).start();
        return new EmbeddedSqs(shutdown, port);
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        shutdown.apply();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
