package io.camelcast.runtime;

import io.camelcast.config.Settings;
import io.camelcast.logging.SecretMasker;
import org.apache.camel.CamelContext;
import org.apache.camel.main.DefaultMainShutdownStrategy;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Camelcast: its services (embedded or configured), camel-main with the YAML routes, and an
 * optional {@link RuntimeExtension} ({@code run --demo}). {@code camelcast run} and the end-to-end tests both start it
 * through {@link #start}.
 */
public final class CamelcastRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CamelcastRuntime.class);

    private final Services services;
    private final RuntimeExtension extension;
    private final Main main;
    private final long startedMillis;
    /** Gives memory back while the instance runs ({@link IdleMemory}); null for one-shot commands. */
    private Thread idleMemory;

    private CamelcastRuntime(Services services, RuntimeExtension extension, Main main, long startedMillis) {
        this.services = services;
        this.extension = extension;
        this.main = main;
        this.startedMillis = startedMillis;
    }

    public static CamelcastRuntime start(Settings configured) throws Exception {
        return start(configured, null);
    }

    /** With an extension (its settings, beans and routes added), which is closed with the runtime. */
    public static CamelcastRuntime start(Settings configured, RuntimeExtension extension) throws Exception {
        long t0 = System.nanoTime();
        int port = configured.getInt("camelcast.http.port");
        if (port < 0 || port > 65535) {
            throw new Settings.ConfigException("camelcast.http.port must be between 0 and 65535, got " + port);
        }
        SecretMasker.register(configured.secretValues());
        Services services = null;
        try {
            Settings settings = extension == null ? configured : extension.configure(configured);
            services = Services.open(settings, true);
            settings = services.settings();
            String routes = settings.get("camel.main.routes-include-pattern")
                    + (extension == null ? "" : "," + extension.routes());
            settings = settings.with("camel.main.routes-include-pattern", RouteFiles.expand(routes,
                    CamelcastRuntime.class.getClassLoader()));
            SecretMasker.register(settings.secretValues());

            Main main = newMain();
            main.setOverrideProperties(settings.toProperties());
            main.configure().addConfiguration(new CamelcastConfiguration(settings));
            CamelcastConfiguration.flows(settings).forEach(main.configure()::addConfiguration);
            if (extension != null) {
                main.configure().addConfiguration(extension.beans(settings));
            }
            // Camel is configured and its routes are built while the embedded servers start: no endpoint asks a
            // server for anything while it is built (Services.knownQueueUrls). They must answer before the routes
            // (their consumers) start.
            main.init();
            main.getCamelContext().init();
            services.awaitReady().ensureBuckets();
            main.start();
            long millis = (System.nanoTime() - t0) / 1_000_000;
            LOG.info("camelcast started in {} ms: http=:{} s3={} sqs={} redis={} routes={}{}", millis,
                    settings.get("camelcast.http.port"), settings.get("camelcast.s3.endpoint"),
                    settings.get("camelcast.sqs.endpoint"), settings.get("camelcast.redis.url"),
                    main.getCamelContext().getRoutes().size(), extension == null ? "" : extension.describe());
            LOG.info("configuration in force (secrets masked): {}", settings.masked());
            CamelcastRuntime runtime = new CamelcastRuntime(services, extension, main, millis);
            runtime.idleMemory = IdleMemory.releaseSoon();
            return runtime;
        } catch (Exception | Error e) {
            if (services != null) {
                services.close();
            }
            if (extension != null) {
                extension.close();
            }
            throw e;
        }
    }

    /**
     * For one-shot commands ({@code harvest ...}, {@code es setup}): the same beans and only the named
     * route files, on the running instance's services (or the data directory's), with no HTTP server and
     * no schedules. The caller sends to a direct endpoint and closes it.
     */
    public static CamelcastRuntime startForCommand(Settings configured, String routes) throws Exception {
        long t0 = System.nanoTime();
        SecretMasker.register(configured.secretValues());
        Services services = Services.open(configured);
        try {
            Settings settings = services.settings()
                    .with("camel.server.enabled", "false")
                    .with("camel.management.enabled", "false")
                    .with("camelcast.useractions.schedule", "false")
                    .with("camelcast.zoom.schedule", "false")
                    .with("camelcast.episodes.schedule", "false");
            settings = settings.with("camel.main.routes-include-pattern", RouteFiles.expand(routes, CamelcastRuntime.class.getClassLoader()));
            SecretMasker.register(settings.secretValues());
            Main main = newMain();
            main.setOverrideProperties(settings.toProperties());
            main.configure().addConfiguration(new CamelcastConfiguration(settings));
            CamelcastConfiguration.flows(settings).forEach(main.configure()::addConfiguration);
            main.start();
            return new CamelcastRuntime(services, null, main, (System.nanoTime() - t0) / 1_000_000);
        } catch (Exception | Error e) {
            services.close();
            throw e;
        }
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    public Settings settings() {
        return services.settings();
    }

    public RuntimeExtension extension() {
        return extension;
    }

    /** camel-main without its hang-up handling: our own shutdown hook stops Camel, then the embedded servers. */
    private static Main newMain() {
        Main main = new Main();
        if (main.getShutdownStrategy() instanceof DefaultMainShutdownStrategy strategy) {
            strategy.disableHangupSupport();
        }
        return main;
    }

    public long startedMillis() {
        return startedMillis;
    }

    @Override
    public void close() {
        if (idleMemory != null) {
            idleMemory.interrupt();
        }
        try {
            main.stop();
        } catch (Exception e) {
            LOG.warn("camel did not stop cleanly: {}", e.getMessage());
        }
        services.close();
        if (extension != null) {
            extension.close();
        }
        LOG.info("camelcast stopped");
    }
}
