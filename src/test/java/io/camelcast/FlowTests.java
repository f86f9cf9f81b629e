package io.camelcast;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.sqs.SqsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** What the flow tests share: the CLI run in process against a config file, and waiting for a condition. */
public final class FlowTests {

    private FlowTests() {
    }

    /** {@code camelcast ARGS --config CONFIG}, which must exit 0; returns its standard output. */
    public static String cli(Path config, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = config.toString();
        int code = Camelcast.execute(new PrintWriter(out), new PrintWriter(err), all);
        assertEquals(0, code, String.join(" ", args) + ": " + err);
        return out.toString();
    }

    /** The messages {@code queue} holds: visible, taken and not yet deleted, and delayed. */
    public static Map<String, Integer> queueCounts(SqsClient sqs, String queue) {
        String url = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
        Map<String, Integer> counts = new TreeMap<>();
        sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("ApproximateNumberOfMessages",
                "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed")).attributesAsStrings()
                .forEach((name, value) -> counts.put(name, Integer.parseInt(value)));
        return counts;
    }

    /**
     * A free port for a service the test stops and starts again on the same port. It is taken below Linux's
     * ephemeral range (32768-60999): a port from {@code new ServerSocket(0)} lies inside it, and while the
     * service is down the local end of any outgoing connection (an SQS poll, a Redis reconnect) may be
     * given that port, and the restart fails with "Address already in use".
     */
    public static int portToReuse() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int tries = 0; tries < 200; tries++) {
            int port = random.nextInt(20_000, 32_000);
            try (java.net.ServerSocket s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                return port;
            } catch (java.io.IOException taken) {
                // in use: try another
            }
        }
        throw new IllegalStateException("no free port between 20000 and 32000");
    }

    /** Polls {@code condition} every 100 ms for up to a minute. */
    public static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        fail("timed out waiting for " + what);
    }

    /** The first ingest of {@code mediapackageId} the Opencast simulator received and did not fail, within a minute. */
    public static Map<String, Object> awaitIngest(io.camelcast.sim.OpencastSimulator opencast, String mediapackageId)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (Map<String, Object> i : opencast.ingests()) {
                if (mediapackageId.equals(i.get("mediapackageId")) && !"FAILED".equals(i.get("state"))) {
                    return i;
                }
            }
            Thread.sleep(100);
        }
        fail("no ingest of " + mediapackageId + "; Opencast saw " + opencast.requests());
        return null;
    }

    /**
     * {@code npm ci} in {@code js} unless {@code module} is installed. npm must not share the test JVM's stdin
     * or stdout: those are surefire's channel to the fork, and node sets an inherited stdin non-blocking (the
     * fork then failed with "std/in stream corrupted"); its output goes to a file shown on failure.
     */
    public static void npmCi(Path js, String module) throws java.io.IOException, InterruptedException {
        if (java.nio.file.Files.isDirectory(js.resolve("node_modules").resolve(module))) {
            return;
        }
        Path log = java.nio.file.Files.createTempFile("npm-ci", ".log");
        try {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(js.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean done = npm.waitFor(300, java.util.concurrent.TimeUnit.SECONDS);
            if (!done || npm.exitValue() != 0) {
                npm.destroyForcibly();
                fail("npm ci in " + js + " failed: " + java.nio.file.Files.readString(log));
            }
        } finally {
            java.nio.file.Files.deleteIfExists(log);
        }
    }
}
