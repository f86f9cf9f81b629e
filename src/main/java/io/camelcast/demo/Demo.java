package io.camelcast.demo;

import io.camelcast.config.Settings;
import io.camelcast.runtime.RuntimeExtension;
import io.camelcast.sim.Simulators;
import io.camelcast.recording.ScheduleStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.UUID;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import redis.clients.jedis.UnifiedJedis;

/**
 * {@code run --demo}: the Zoom, Opencast, Bunny, site and Kaltura simulators, the flows pointed at them, and the
 * demo's own routes ({@code routes/demo/*.yaml}) that send sample events through every flow. Production
 * code knows nothing of it: the runtime takes it as a {@link RuntimeExtension}.
 */
public final class Demo implements RuntimeExtension {

    private Simulators simulators;

    @Override
    public Settings configure(Settings configured) throws Exception {
        simulators = Simulators.start(0, 0);
        // the demo recording is fetched at once instead of after Zoom's settling delay
        Settings settings = simulators.pointAt(configured)
                .with("camelcast.recording.webhook-delay", "0")
                // the demo upload shows Bunny's encode webhook arriving, and a custom upload from here
                .with("camelcast.bunny.wait", "webhook")
                .with("camelcast.bunny.poll-seconds", "2")
                // the demo recording's Opencast workflow is followed every 2 s until it succeeds, then the
                // recording goes to the Zoom simulator's trash (GET <zoom>/_sim/deletions)
                .with("camelcast.opencast.workflow-poll-seconds", "2")
                .with("camelcast.zoom.after-ingest", "trash");
        if (!settings.isSet("camelcast.upload.root")) {
            Path media = settings.dataDir().resolve("demo-media");
            Files.createDirectories(media);
            settings = settings.with("camelcast.upload.root", media.toString());
        }
        if (!settings.isSet("camelcast.media.jwt-secret")) {
            // the demo's media upload signs its JWT with this; a configured secret is kept
            settings = settings.with("camelcast.media.jwt-secret", "demo-media-" + UUID.randomUUID());
        }
        if (!settings.isSet("camelcast.notify.url") && !settings.isSet("camelcast.notify.slack-url")) {
            // operator notifications (README "Operating it") go to the site simulator: GET <site>/_sim/notifications
            // shows the signed events, GET <site>/_sim/slack the Slack messages
            settings = settings.with("camelcast.notify.url", simulators.site().url() + "/notify")
                    .with("camelcast.notify.secret", io.camelcast.sim.SiteSimulator.DEFAULT_SECRET)
                    .with("camelcast.notify.slack-url", simulators.site().url() + "/slack/TDEMO/BDEMO/demo");
        }
        if (!settings.isSet("camelcast.kaltura.placeholder-video")) {
            // the demo's placeholder: any small file stands in for the seed's placeholder_video.mp4
            Path placeholder = settings.dataDir().resolve("demo-media").resolve("placeholder.mp4");
            Files.createDirectories(placeholder.getParent());
            Files.write(placeholder, new byte[64 * 1024]);
            settings = settings.with("camelcast.kaltura.placeholder-video", placeholder.toString())
                    .with("camelcast.kaltura.ready-poll-ms", "200");
        }
        if (!settings.isSet("camelcast.api-key")) {
            // the demo's own API is usable at once; `run` prints this key (a real one is configured)
            settings = settings.with("camelcast.api-key", "demo-" + UUID.randomUUID());
        }
        return settings;
    }

    @Override
    public CamelConfiguration beans(Settings settings) {
        return new CamelConfiguration() {
            @Override
            public void configure(CamelContext context) {
                var registry = context.getRegistry();
                UnifiedJedis redis = registry.lookupByNameAndType("redis", UnifiedJedis.class);
                registry.bind("demoRecording", new DemoRecording(simulators, new ScheduleStore(redis),
                        ZoneId.of(settings.get("camelcast.schedule.time-zone")),
                        URI.create("http://127.0.0.1:" + settings.get("camelcast.http.port") + settings.get("camelcast.zoom.webhook-path")),
                        settings.get("camelcast.zoom.webhook-secret"), settings.getInt("camelcast.recording.demo-file-size")));
                registry.bind("demoUpload", new DemoUpload(simulators, settings));
                registry.bind("demoMedia", new DemoMedia(settings));
                registry.bind("demoKaltura", new DemoKaltura(simulators));
                registry.bind("demoAnalytics", new DemoAnalytics(simulators, settings.get("camelcast.analytics.sink"),
                        settings.get("camelcast.analytics.dir")));
            }
        };
    }

    @Override
    public String routes() {
        return "classpath:routes/demo/*.yaml";
    }

    @Override
    public String describe() {
        return " demo=on";
    }

    public Simulators simulators() {
        return simulators;
    }

    @Override
    public void close() {
        if (simulators != null) {
            simulators.close();
        }
    }
}
