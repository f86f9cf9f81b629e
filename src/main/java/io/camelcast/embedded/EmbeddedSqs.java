package io.camelcast.embedded;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.elasticmq.server.ElasticMQServer;
import org.elasticmq.server.config.ElasticMQServerConfig;
import scala.Function0;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * SQS protocol in process: ElasticMQ on loopback with queue definitions ({@code queues.conf}) and
 * messages (H2, {@code messages.mv.db}) on disk under {@code data/sqs}, so a queued recording
 * survives a crash. Every flow queue is declared with its {@code -dlq}.
 */
final class EmbeddedSqs implements AutoCloseable {

    /** The account in every queue URL: {@code http://127.0.0.1:<port>/000000000000/<queue>}. */
    static final String ACCOUNT_ID = "000000000000";
    /** The dead-letter queue of {@code q} is {@code q + DLQ_SUFFIX} (as in the dlq package, which this one is below). */
    private static final String DLQ_SUFFIX = "-dlq";
    /** Pekko's own JVM shutdown hook (CoordinatedShutdown): off, ElasticMQ stops after Camel. */
    private static final String PEKKO_JVM_HOOK = "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook";

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
        // closed the message store under ElasticMQ while it still answered the last polls). ElasticMQ makes
        // its actor system from ConfigFactory.load(), not from this config: the setting goes in as a system
        // property (an operator's own -D stays), else Pekko tried to add its hook at every stop and logged a WARN.
        if (System.getProperty(PEKKO_JVM_HOOK) == null) {
            System.setProperty(PEKKO_JVM_HOOK, "off");
            ConfigFactory.invalidateCaches();
        }
        hocon.append("aws { region = \"us-east-1\", accountId = \"").append(ACCOUNT_ID).append("\" }\n");
        hocon.append("queues-storage { enabled = true, path = ").append(quote(dir.resolve("queues.conf").toString())).append(" }\n");
        // WRITE_DELAY=0: H2 has no redo log and writes committed changes from a background thread every
        // 500 ms by default, so kill -9 lost every send, receive and delete of the last half second (a
        // recording staged and taken just before a crash vanished). Now each commit reaches the file.
        String messagesDb = "jdbc:h2:" + dir.resolve("messages").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        hocon.append("messages-storage { enabled = true, driver-class = \"org.h2.Driver\", uri = ")
                .append(quote(messagesDb)).append(", username = \"\", password = \"\", ")
                .append("prune-data-on-init = false }\n");
        hocon.append("queues {\n");
        for (String q : declared(queues)) {
            hocon.append("  ").append(quote(q)).append(" {}\n");
        }
        hocon.append("}\n");
        Config config = ConfigFactory.parseString(hocon.toString()).withFallback(ConfigFactory.load());
        useMessageStore(messagesDb);
        Function0<?> shutdown = new ElasticMQServer(new ElasticMQServerConfig(config)).start();
        EmbeddedSqs sqs = new EmbeddedSqs(shutdown, port);
        sqs.awaitQueues(queues);
        return sqs;
    }

    /**
     * ElasticMQ opens its message store (scalikejdbc's default pool) only for the first server of a JVM, so
     * a second embedded SQS in the same JVM (an in-process restart, the next test) read and wrote the
     * first one's database. Pointing the pool at this server's database first keeps each data dir its own.
     */
    private static void useMessageStore(String uri) {
        scalikejdbc.ConnectionPool$ pools = scalikejdbc.ConnectionPool$.MODULE$;
        scalikejdbc.ConnectionPoolSettings settings = pools.singleton$default$4();
        pools.singleton(uri, "", "", settings, pools.singleton$default$5(uri, "", "", settings));
    }

    /**
     * ElasticMQ answers before it has restored its queues from the message store (asynchronously): until
     * then a consumer's first poll gets "queue does not exist". Ready means every declared queue is listed.
     * One ListQueues per look, not a GetQueueUrl per queue: sixty cold requests in a row took a second of
     * every start.
     */
    private void awaitQueues(List<String> queues) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try {
            while (true) {
                String missing = firstMissing(listQueues(http), queues);
                if (missing == null) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    close();
                    throw new IOException("embedded SQS did not restore queue " + missing + " within 60 s");
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while embedded SQS restored its queues", e);
        }
    }

    /** The ListQueues answer (query protocol, XML), or "" while ElasticMQ cannot answer yet. */
    private String listQueues(HttpClient http) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(endpoint() + "/?Action=ListQueues")).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? response.body() : "";
    }

    /**
     * The queues to declare: each one given and its {@code -dlq}, except for a name that already is a dead-letter
     * queue (ends in {@code -dlq}; e.g. {@code camelcast.analytics.dlq} set to a queue of the operator's own).
     */
    static List<String> declared(List<String> queues) {
        Set<String> out = new LinkedHashSet<>();
        for (String q : queues) {
            out.add(q);
            if (!q.endsWith(DLQ_SUFFIX)) {
                out.add(q + DLQ_SUFFIX);
            }
        }
        return List.copyOf(out);
    }

    /** The first declared queue (or its -dlq) the ListQueues answer lacks; null when all are there. */
    static String firstMissing(String listQueuesXml, List<String> queues) {
        for (String name : declared(queues)) {
            if (!listQueuesXml.contains("/" + name + "</QueueUrl>")) {
                return name;
            }
        }
        return null;
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
