package io.camelcast.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.core.ExecutableProvider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} (the binary shipped in the embedded-redis package) bound to loopback,
 * with append-only persistence in {@code data/redis} and its log in {@code data/redis/redis.log}. It is a
 * child process: if the JVM died by {@code kill -9} it may still run, so its pid file is checked at start
 * and a leftover server on the same directory is stopped first (SIGTERM lets it finish its AOF).
 *
 * <p>The package gives the binary; the process is started here, not by its {@code RedisServer}. That one
 * adds a JVM shutdown hook of its own that stops Redis as soon as the JVM begins to stop, while the run's
 * hook is still draining Camel: an upload in flight then lost its lock and offset mid-PATCH. It also runs
 * in a session of its own ({@code setsid}), so Ctrl-C in a terminal, which signals the whole process group,
 * does not stop it either. It stops in {@link #close()}, after Camel.
 */
final class EmbeddedRedis implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final String READY = "Ready to accept connections";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final int port;

    private EmbeddedRedis(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static EmbeddedRedis start(Path dir, int requestedPort) throws IOException {
        Files.createDirectories(dir);
        Path pidFile = dir.resolve("redis.pid");
        stopLeftover(pidFile);
        int port = requestedPort > 0 ? requestedPort : EmbeddedSqs.freePort();
        List<String> cmd = new ArrayList<>();
        setsid().ifPresent(cmd::add);
        cmd.addAll(List.of(ExecutableProvider.newJarResourceProvider().get().getAbsolutePath(),
                "--port", Integer.toString(port),
                "--bind", "127.0.0.1",
                "--dir", dir.toAbsolutePath().toString(),
                "--pidfile", pidFile.toAbsolutePath().toString(),
                "--appendonly", "yes",
                "--appendfsync", "everysec",
                "--save", "",
                "--daemonize", "no"));
        Path log = dir.resolve("redis.log");
        long from = Files.exists(log) ? Files.size(log) : 0;
        Process process = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        try {
            awaitReady(process, log, from);
        } catch (IOException | RuntimeException e) {
            stop(process.toHandle());
            throw e;
        }
        return new EmbeddedRedis(process, port);
    }

    /** Waits for redis-server's ready line in its log, written after {@code from}. */
    private static void awaitReady(Process process, Path log, long from) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            String written = since(log, from);
            if (written.contains(READY)) {
                return;
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("redis-server did not start (" + (process.isAlive() ? "not ready in "
                        + START_TIMEOUT.toSeconds() + " s" : "exit " + process.exitValue()) + "): " + lastLines(written));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while redis-server started", e);
            }
        }
    }

    private static String since(Path log, long from) throws IOException {
        try (java.nio.channels.SeekableByteChannel ch = Files.newByteChannel(log)) {
            ch.position(Math.min(from, ch.size()));
            return new String(java.nio.channels.Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String lastLines(String text) {
        String[] lines = text.strip().split("\\R");
        return String.join(" | ", Arrays.asList(lines).subList(Math.max(0, lines.length - 3), lines.length));
    }

    /** util-linux's setsid, where there is one (every Debian and most Linux images). */
    private static Optional<String> setsid() {
        return Stream.of("/usr/bin/setsid", "/bin/setsid").filter(p -> Files.isExecutable(Path.of(p))).findFirst();
    }

    private static void stopLeftover(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        String text = Files.readString(pidFile).trim();
        Files.deleteIfExists(pidFile);
        Optional<ProcessHandle> leftover;
        try {
            leftover = ProcessHandle.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return;
        }
        leftover.filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("redis-server")).orElse(false))
                .ifPresent(p -> {
                    LOG.warn("stopping a redis-server left over from a crashed run pid={}", p.pid());
                    stop(p);
                });
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        stop(process.toHandle());
    }

    /**
     * SIGTERM: redis-server writes its AOF out and exits; killed if it has not within the timeout. Ours at
     * close, or one a crashed run left behind.
     */
    private static void stop(ProcessHandle process) {
        process.destroy();
        try {
            process.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn("redis-server did not stop within {} s of SIGTERM; killing it pid={}", STOP_TIMEOUT.toSeconds(), process.pid());
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
