package io.camelcast.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelcast.config.Settings;
import io.camelcast.embedded.EmbeddedServices;
import io.camelcast.store.AwsClients;
import io.camelcast.store.Buckets;
import software.amazon.awssdk.services.s3.S3Client;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Where S3, SQS and Redis are for this process. A blank {@code camelcast.s3.endpoint},
 * {@code camelcast.sqs.endpoint} or {@code camelcast.redis.url} means "embedded": the part is started
 * in process on {@code camelcast.data-dir}, unless another Camelcast process already serves that data
 * directory, in which case this one uses that instance's servers (read from {@code instance.json}).
 * So {@code camelcast dlq replay} next to a running {@code run} works on the same queues, and two
 * processes never open the same on-disk state.
 */
public final class Services implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Services.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Credentials of the embedded S3/SQS servers: they listen on loopback only. */
    static final String EMBEDDED_ACCESS_KEY = "camelcast";
    static final String EMBEDDED_SECRET_KEY = "camelcast-embedded-secret";

    private final Settings settings;
    private final CompletableFuture<EmbeddedServices> starting;
    private EmbeddedServices embedded;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Path instanceFile;
    private final boolean sharedWithRunningInstance;
    private final boolean[] parts;

    private Services(Settings settings, CompletableFuture<EmbeddedServices> starting, FileChannel lockChannel,
                     FileLock lock, Path instanceFile, boolean shared, boolean[] parts) {
        this.settings = settings;
        this.starting = starting;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.instanceFile = instanceFile;
        this.sharedWithRunningInstance = shared;
        this.parts = parts;
    }

    /** Settings with every endpoint filled in: the configured ones, or those of the embedded servers. */
    public Settings settings() {
        return settings;
    }

    /** True when another running Camelcast serves the embedded parts this process uses. */
    public boolean sharedWithRunningInstance() {
        return sharedWithRunningInstance;
    }

    /** Resolves the services and waits until they answer: what one-shot commands use. */
    public static Services open(Settings settings) throws Exception {
        Services services = open(settings, false);
        try {
            return services.awaitReady();
        } catch (Exception e) {
            services.close();
            throw e;
        }
    }

    /**
     * Resolves the services and starts the embedded ones in the background; {@link #settings()} already
     * has every endpoint, {@link #awaitReady()} waits for them. {@code advertise} is set by {@code run}:
     * it writes {@code instance.json} so one-shot commands can find its servers.
     */
    public static Services open(Settings settings, boolean advertise) throws Exception {
        boolean s3 = !settings.isSet("camelcast.s3.endpoint");
        boolean sqs = !settings.isSet("camelcast.sqs.endpoint");
        boolean redis = !settings.isSet("camelcast.redis.url");
        if (!settings.isSet("camelcast.sqs.wait-seconds")) {
            // Real SQS: long polls (fewer, cheaper requests). Embedded ElasticMQ: 1 s long polls; short polls
            // (every half second from every consumer) kept a sixth of a core busy while idle
            settings = settings.with("camelcast.sqs.wait-seconds", sqs ? "1" : "5");
        }
        if (!settings.isSet("camelcast.recording.incoming-wait-seconds")) {
            // except the download queue on ElasticMQ: while a long poll waits there it sorts every message of
            // the queue on each send (QueueActorWaitForMessagesOps.scheduleTryReplyWhenAvailable), and that
            // queue holds thousands of delayed recordings in a burst, which slowed every webhook (bench/webhook)
            settings = settings.with("camelcast.recording.incoming-wait-seconds",
                    sqs ? "0" : settings.get("camelcast.sqs.wait-seconds"));
        }
        if (!s3 && !sqs && !redis) {
            return new Services(settings, null, null, null, null, false, null);
        }
        Path dataDir = settings.dataDir();
        Files.createDirectories(dataDir);
        Path instanceFile = dataDir.resolve("instance.json");
        FileChannel channel = FileChannel.open(dataDir.resolve("camelcast.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // this JVM already runs an instance on the directory
        }
        if (lock == null) {
            channel.close();
            return new Services(attach(settings, instanceFile, s3, sqs, redis), null, null, null, null, true, null);
        }
        try {
            // ports are chosen first so every endpoint is known at once: Camel loads its routes while
            // the servers start (ElasticMQ alone takes over a second)
            int s3Port = port(settings, "camelcast.s3.embedded-port", s3);
            int sqsPort = port(settings, "camelcast.sqs.embedded-port", sqs);
            int redisPort = port(settings, "camelcast.redis.embedded-port", redis);
            EmbeddedServices.Options options = new EmbeddedServices.Options(
                    dataDir, s3, sqs, redis, s3Port, sqsPort, redisPort,
                    EMBEDDED_ACCESS_KEY, EMBEDDED_SECRET_KEY,
                    settings.get("camelcast.s3.region"),
                    buckets(settings), embeddedQueues(settings));
            Settings resolved = settings;
            if (s3) {
                resolved = resolved.with("camelcast.s3.endpoint", "http://127.0.0.1:" + s3Port)
                        .with("camelcast.s3.access-key", EMBEDDED_ACCESS_KEY)
                        .with("camelcast.s3.secret-key", EMBEDDED_SECRET_KEY)
                        .with("camelcast.s3.path-style", "true");
            }
            if (sqs) {
                resolved = knownQueueUrls(resolved.with("camelcast.sqs.endpoint", "http://127.0.0.1:" + sqsPort)
                        .with("camelcast.sqs.access-key", EMBEDDED_ACCESS_KEY)
                        .with("camelcast.sqs.secret-key", EMBEDDED_SECRET_KEY));
            }
            if (redis) {
                resolved = resolved.with("camelcast.redis.url", "redis://127.0.0.1:" + redisPort);
            }
            CompletableFuture<EmbeddedServices> starting = new CompletableFuture<>();
            Thread starter = new Thread(() -> {
                try {
                    starting.complete(EmbeddedServices.start(options));
                } catch (Throwable e) {
                    starting.completeExceptionally(e);
                }
            }, "embedded-services");
            starter.setDaemon(true);
            starter.start();
            return new Services(resolved, starting, channel, lock, advertise ? instanceFile : null, false,
                    new boolean[] {s3, sqs, redis});
        } catch (Exception e) {
            lock.release();
            channel.close();
            throw e;
        }
    }

    /**
     * The queue URLs of the SQS this process starts are known before it answers: every flow queue is declared
     * as it starts, at {@code <endpoint>/<account>/<queue>}. Camel's aws2-sqs endpoints build their URL from
     * these options (host, protocol, region and queue owner) instead of asking the server for it (and creating
     * the queue) while the routes are built, so the routes are built while ElasticMQ is still starting; only
     * starting them waits for it. A configured SQS ({@code camelcast.sqs.endpoint}) is asked as before.
     */
    static Settings knownQueueUrls(Settings settings) {
        URI endpoint = URI.create(settings.get("camelcast.sqs.endpoint"));
        return settings.with("camel.component.aws2-sqs.protocol", endpoint.getScheme())
                .with("camel.component.aws2-sqs.amazonAWSHost", endpoint.getHost() + ":" + endpoint.getPort())
                .with("camel.component.aws2-sqs.region", settings.get("camelcast.sqs.region", "us-east-1"))
                .with("camel.component.aws2-sqs.queueOwnerAWSAccountId", EmbeddedServices.SQS_ACCOUNT_ID);
    }

    private static int port(Settings settings, String key, boolean needed) throws IOException {
        int configured = settings.getInt(key, 0);
        if (!needed || configured > 0) {
            return configured;
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Waits until the embedded servers answer (at once when there are none) and, for {@code run},
     * advertises them in {@code instance.json}. Throws what stopped a server from starting.
     */
    public Services awaitReady() throws Exception {
        if (starting == null || embedded != null) {
            return this;
        }
        try {
            embedded = starting.get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        if (instanceFile != null) {
            writeInstanceFile(parts[0], parts[1], parts[2]);
        }
        return this;
    }

    /**
     * {@code run} on a real store: every configured bucket the store lacks is created (the embedded S3 made its
     * own as it started). The archive bucket ({@code camelcast.archive.endpoint}) and the Kaltura bucket
     * ({@code camelcast.kaltura.s3-endpoint}) may live in a store of their own. A bucket that cannot be checked or
     * created is logged with the store's reason and the start goes on: the health check shows the store, and
     * the flows that use the bucket fail (and retry) until it exists.
     */
    public void ensureBuckets() {
        boolean stagingIsEmbedded = sharedWithRunningInstance || (parts != null && parts[0]);
        Map<String, S3Client> clients = new LinkedHashMap<>();
        try {
            for (String key : keysEndingWith(settings, ".bucket")) {
                String store;
                Settings storeSettings;
                if (key.equals("camelcast.archive.bucket") && settings.isSet("camelcast.archive.endpoint")) {
                    store = "archive";
                    storeSettings = null;
                } else if (key.equals("camelcast.kaltura.bucket") && settings.isSet("camelcast.kaltura.s3-endpoint")) {
                    store = "kaltura";
                    storeSettings = settings.with("camelcast.s3.endpoint", settings.get("camelcast.kaltura.s3-endpoint"));
                } else if (stagingIsEmbedded) {
                    continue;
                } else {
                    store = "s3";
                    storeSettings = settings;
                }
                String bucket = settings.get(key);
                try {
                    S3Client s3 = clients.computeIfAbsent(store,
                            k -> storeSettings == null ? AwsClients.archive(settings) : AwsClients.s3(storeSettings));
                    if (Buckets.ensure(s3, bucket) == Buckets.Outcome.CREATED) {
                        LOG.info("bucket created bucket={} key={}", bucket, key);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("bucket not ready bucket={} key={}: {}", bucket, key, e.getMessage());
                }
            }
        } finally {
            clients.values().forEach(S3Client::close);
        }
    }

    /** Buckets the embedded S3 creates: every {@code camelcast.*.bucket} value. */
    static List<String> buckets(Settings settings) {
        return valuesOfKeysEndingWith(settings, ".bucket");
    }

    /** Queues the embedded SQS creates (each with its {@code -dlq}): every {@code camelcast.*.queue} value. */
    /** Every flow queue: the values of {@code camelcast.<flow>.queue} and {@code camelcast.<flow>.<name>-queue}. */
    public static List<String> queues(Settings settings) {
        List<String> out = new ArrayList<>(valuesOfKeysEndingWith(settings, ".queue"));
        valuesOfKeysEndingWith(settings, "-queue").stream().filter(q -> !out.contains(q)).forEach(out::add);
        return out;
    }

    /**
     * What the embedded SQS declares: every flow queue (each gets its {@code -dlq} there) and the dead-letter
     * queues named on their own ({@code camelcast.*.dlq}, e.g. {@code camelcast.analytics.dlq}). Its endpoints
     * never create a queue (see knownQueueUrls), so one named only here would not exist and every send to it fail.
     */
    static List<String> embeddedQueues(Settings settings) {
        List<String> out = new ArrayList<>(queues(settings));
        valuesOfKeysEndingWith(settings, ".dlq").stream().filter(q -> !out.contains(q)).forEach(out::add);
        return out;
    }

    private static List<String> valuesOfKeysEndingWith(Settings settings, String suffix) {
        Set<String> out = new LinkedHashSet<>();
        for (String key : keysEndingWith(settings, suffix)) {
            out.add(settings.get(key));
        }
        return new ArrayList<>(out);
    }

    private static List<String> keysEndingWith(Settings settings, String suffix) {
        return settings.toProperties().stringPropertyNames().stream().sorted()
                .filter(key -> key.startsWith("camelcast.") && key.endsWith(suffix) && settings.isSet(key)).toList();
    }

    private void writeInstanceFile(boolean s3, boolean sqs, boolean redis) throws IOException {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("pid", ProcessHandle.current().pid());
        info.put("startedAt", Instant.now().toString());
        info.put("httpPort", settings.get("camelcast.http.port"));
        if (s3) {
            info.put("s3Endpoint", settings.get("camelcast.s3.endpoint"));
        }
        if (sqs) {
            info.put("sqsEndpoint", settings.get("camelcast.sqs.endpoint"));
        }
        if (redis) {
            info.put("redisUrl", settings.get("camelcast.redis.url"));
        }
        Path tmp = instanceFile.resolveSibling("instance.json.tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), info);
        Files.move(tmp, instanceFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @SuppressWarnings("unchecked")
    private static Settings attach(Settings settings, Path instanceFile, boolean s3, boolean sqs, boolean redis)
            throws IOException {
        if (!Files.exists(instanceFile)) {
            throw new IllegalStateException("another Camelcast process holds " + instanceFile.getParent()
                    + " but has not published its servers yet; try again in a few seconds");
        }
        Map<String, Object> info = JSON.readValue(instanceFile.toFile(), Map.class);
        LOG.info("using the embedded servers of the running instance pid={} in {}", info.get("pid"),
                instanceFile.getParent());
        Settings resolved = settings;
        if (s3) {
            resolved = resolved.with("camelcast.s3.endpoint", require(info, "s3Endpoint", instanceFile))
                    .with("camelcast.s3.access-key", EMBEDDED_ACCESS_KEY)
                    .with("camelcast.s3.secret-key", EMBEDDED_SECRET_KEY)
                    .with("camelcast.s3.path-style", "true");
        }
        if (sqs) {
            resolved = resolved.with("camelcast.sqs.endpoint", require(info, "sqsEndpoint", instanceFile))
                    .with("camelcast.sqs.access-key", EMBEDDED_ACCESS_KEY)
                    .with("camelcast.sqs.secret-key", EMBEDDED_SECRET_KEY);
        }
        if (redis) {
            resolved = resolved.with("camelcast.redis.url", require(info, "redisUrl", instanceFile));
        }
        return resolved;
    }

    private static String require(Map<String, Object> info, String key, Path file) {
        Object v = info.get(key);
        if (v == null) {
            throw new IllegalStateException("the running instance (" + file + ") does not serve " + key
                    + "; configure that endpoint explicitly");
        }
        return v.toString();
    }

    @Override
    public void close() {
        try {
            if (instanceFile != null) {
                Files.deleteIfExists(instanceFile);
            }
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", instanceFile, e.getMessage());
        }
        if (embedded == null && starting != null) {
            try {
                embedded = starting.get(120, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("embedded services never started: {}", e.toString());
            }
        }
        if (embedded != null) {
            embedded.close();
        }
        try {
            if (lock != null) {
                lock.release();
                lockChannel.close();
            }
        } catch (IOException e) {
            LOG.warn("cannot release the data directory lock: {}", e.getMessage());
        }
    }
}
