package io.camelcast.runtime;

import io.camelcast.config.Settings;
import io.camelcast.logging.SecretMasker;
import io.camelcast.sim.Simulators;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.DefaultMainShutdownStrategy;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Camelcast: its services (embedded or configured), optional simulators ({@code --demo}),
 * and camel-main with the YAML routes. {@code camelcast run} and the end-to-end tests both start it
 * through {@link #start}.
 */
public final class CamelcastRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CamelcastRuntime.class);

    private final Services services;
    private final Simulators simulators;
    private final Main main;
    private final long startedMillis;

    private CamelcastRuntime(Services services, Simulators simulators, Main main, long startedMillis) {
        this.services = services;
        this.simulators = simulators;
        this.main = main;
        this.startedMillis = startedMillis;
    }

    public static CamelcastRuntime start(Settings configured, boolean demo) throws Exception {
        long t0 = System.nanoTime();
        int port = configured.getInt("camelcast.http.port", 8080);
        if (port < 0 || port > 65535) {
            throw new Settings.ConfigException("camelcast.http.port must be between 0 and 65535, got " + port);
        }
        SecretMasker.register(configured.secretValues());
        Simulators simulators = null;
        Services services = null;
        try {
            Settings settings = configured;
            if (demo) {
                simulators = Simulators.start(0, 0);
                // the demo recording is fetched at once instead of after Zoom's settling delay
                settings = simulators.pointAt(settings).with("camelcast.demo", "true")
                        .with("camelcast.recording.webhook-delay", "0")
                        // the demo upload shows Bunny's encode webhook arriving, and a custom upload from here
                        .with("camelcast.bunny.wait", "webhook")
                        .with("camelcast.bunny.poll-seconds", "2");
                if (!settings.isSet("camelcast.upload.root")) {
                    java.nio.file.Path media = settings.dataDir().resolve("demo-media");
                    java.nio.file.Files.createDirectories(media);
                    settings = settings.with("camelcast.upload.root", media.toString());
                }
                if (!settings.isSet("camelcast.api-key")) {
                    // the demo's own API is usable at once; `run` prints this key (a real one is configured)
                    settings = settings.with("camelcast.api-key", "demo-" + java.util.UUID.randomUUID());
                }
            }
            services = Services.open(settings, true);
            settings = services.settings();
            settings = settings.with("camel.main.routes-include-pattern", RouteFiles.expand(
                    settings.get("camel.main.routes-include-pattern"), CamelcastRuntime.class.getClassLoader()));
            SecretMasker.register(settings.secretValues());

            Main main = new Main();
            // our own shutdown hook stops Camel, then the embedded servers, in that order
            if (main.getShutdownStrategy() instanceof DefaultMainShutdownStrategy strategy) {
                strategy.disableHangupSupport();
            }
            main.setOverrideProperties(settings.toProperties());
            main.configure().addConfiguration(new CamelcastConfiguration(settings, simulators));
            Services ready = services;
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void afterConfigure(BaseMainSupport m) {
                    // routes are loaded; the embedded servers must answer before consumers start
                    try {
                        ready.awaitReady();
                    } catch (Exception e) {
                        throw new IllegalStateException(e.getMessage(), e);
                    }
                }
            });
            main.start();
            long millis = (System.nanoTime() - t0) / 1_000_000;
            LOG.info("camelcast started in {} ms: http=:{} s3={} sqs={} redis={} routes={}{}", millis,
                    settings.get("camelcast.http.port"), settings.get("camelcast.s3.endpoint"),
                    settings.get("camelcast.sqs.endpoint"), settings.get("camelcast.redis.url"),
                    main.getCamelContext().getRoutes().size(), demo ? " demo=on" : "");
            LOG.info("configuration in force (secrets masked): {}", settings.masked());
            IdleMemory.release();
            return new CamelcastRuntime(services, simulators, main, millis);
        } catch (Exception | Error e) {
            if (services != null) {
                services.close();
            }
            if (simulators != null) {
                simulators.close();
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
                    .with("camelcast.episodes.schedule", "false")
                    .with("camelcast.demo", "false");
            settings = settings.with("camel.main.routes-include-pattern", RouteFiles.expand(routes, CamelcastRuntime.class.getClassLoader()));
            SecretMasker.register(settings.secretValues());
            Main main = new Main();
            if (main.getShutdownStrategy() instanceof DefaultMainShutdownStrategy strategy) {
                strategy.disableHangupSupport();
            }
            main.setOverrideProperties(settings.toProperties());
            main.configure().addConfiguration(new CamelcastConfiguration(settings));
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

    public Simulators simulators() {
        return simulators;
    }

    public long startedMillis() {
        return startedMillis;
    }

    @Override
    public void close() {
        try {
            main.stop();
        } catch (Exception e) {
            LOG.warn("camel did not stop cleanly: {}", e.getMessage());
        }
        services.close();
        if (simulators != null) {
            simulators.close();
        }
        LOG.info("camelcast stopped");
    }
}
