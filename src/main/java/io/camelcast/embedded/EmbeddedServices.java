package io.camelcast.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The embedded default: S3, SQS and Redis in process (Redis as a child process), on one data
 * directory. They start in parallel because ElasticMQ's actor system alone takes most of the time.
 */
public final class EmbeddedServices implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServices.class);

    /** What to start and where; ports 0 pick free ones. */
    public record Options(Path dataDir, boolean startS3, boolean startSqs, boolean startRedis,
                          int s3Port, int sqsPort, int redisPort,
                          String accessKey, String secretKey, String region,
                          List<String> buckets, List<String> queues) {
    }

    /** The account of the embedded SQS's queue URLs ({@code <endpoint>/<account>/<queue>}). */
    public static final String SQS_ACCOUNT_ID = EmbeddedSqs.ACCOUNT_ID;

    private final EmbeddedS3 s3;
    private final EmbeddedSqs sqs;
    private final EmbeddedRedis redis;

    private EmbeddedServices(EmbeddedS3 s3, EmbeddedSqs sqs, EmbeddedRedis redis) {
        this.s3 = s3;
        this.sqs = sqs;
        this.redis = redis;
    }

    public static EmbeddedServices start(Options o) throws Exception {
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(3, r -> new Thread(r, "embedded-start"));
        CompletableFuture<EmbeddedS3> s3 = CompletableFuture.completedFuture(null);
        CompletableFuture<EmbeddedSqs> sqs = CompletableFuture.completedFuture(null);
        CompletableFuture<EmbeddedRedis> redis = CompletableFuture.completedFuture(null);
        try {
            if (o.startSqs()) {
                sqs = CompletableFuture.supplyAsync(timed("sqs", () -> EmbeddedSqs.start(
                        o.dataDir().resolve("sqs"), o.sqsPort(), o.queues()), EmbeddedSqs::endpoint), pool);
            }
            if (o.startS3()) {
                s3 = CompletableFuture.supplyAsync(timed("s3", () -> EmbeddedS3.start(o.dataDir().resolve("s3"),
                        o.s3Port(), o.accessKey(), o.secretKey(), o.buckets()), EmbeddedS3::endpoint), pool);
            }
            if (o.startRedis()) {
                redis = CompletableFuture.supplyAsync(timed("redis", () -> EmbeddedRedis.start(
                        o.dataDir().resolve("redis"), o.redisPort()), EmbeddedRedis::url), pool);
            }
            CompletableFuture.allOf(s3, sqs, redis).exceptionally(e -> null).join();
            List<Throwable> failures = new ArrayList<>();
            EmbeddedServices started = new EmbeddedServices(value(s3, failures), value(sqs, failures), value(redis, failures));
            if (!failures.isEmpty()) {
                started.close();
                Throwable first = failures.get(0);
                throw first instanceof Exception e ? e : new IllegalStateException(first);
            }
            LOG.info("embedded services ready in {} ms data={}", (System.nanoTime() - t0) / 1_000_000, o.dataDir());
            return started;
        } finally {
            pool.shutdown();
        }
    }

    public String s3Endpoint() {
        return s3 == null ? null : s3.endpoint();
    }

    public String sqsEndpoint() {
        return sqs == null ? null : sqs.endpoint();
    }

    public String redisUrl() {
        return redis == null ? null : redis.url();
    }

    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[] {s3, sqs, redis}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("embedded service did not stop cleanly: {}", e.toString());
                }
            }
        }
    }

    private interface Starter<T> {
        T start() throws Exception;
    }

    private static <T> java.util.function.Supplier<T> timed(String name, Starter<T> starter,
                                                            java.util.function.Function<T, String> where) {
        return () -> {
            long t0 = System.nanoTime();
            try {
                T service = starter.start();
                LOG.info("embedded {} started in {} ms at {}", name, (System.nanoTime() - t0) / 1_000_000, where.apply(service));
                return service;
            } catch (Exception e) {
                throw new CompletionException("embedded " + name + " failed to start: " + e.getMessage(), e);
            }
        };
    }

    private static <T> T value(CompletableFuture<T> f, List<Throwable> failures) {
        try {
            return f.join();
        } catch (CompletionException e) {
            failures.add(e.getCause() != null && e.getMessage() == null ? e.getCause() : new IllegalStateException(e.getMessage(), e.getCause()));
            return null;
        }
    }
}
