package io.camelcast.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelcast.config.Settings;
import io.camelcast.store.CheckpointStore;
import io.camelcast.store.HarvestLease;
import io.camelcast.zoom.ZoomApi;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.ZoneId;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import redis.clients.jedis.UnifiedJedis;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The analytics harvests' beans (routes/analytics-*.yaml): user actions with the episode cache, episodes,
 * Zoom meetings and sessions, the sinks, and the once-per-cluster schedule lease.
 */
public final class AnalyticsConfiguration implements CamelConfiguration {

    private final Settings settings;

    public AnalyticsConfiguration(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void configure(CamelContext context) {
        Registry registry = context.getRegistry();
        UnifiedJedis redis = registry.lookupByNameAndType("redis", UnifiedJedis.class);
        S3Client s3 = registry.lookupByNameAndType("s3Client", S3Client.class);
        Clock clock = Clock.systemUTC();
        ZoneId opencastZone = ZoneId.of(settings.get("camelcast.opencast.time-zone"));
        Checkpoints checkpoints = "s3".equalsIgnoreCase(settings.get("camelcast.useractions.checkpoint"))
                ? Checkpoints.s3(s3, settings.get("camelcast.useractions.checkpoint-bucket"), settings.get("camelcast.useractions.checkpoint-key"))
                : Checkpoints.redis(new CheckpointStore(redis), "useractions");
        IndexNames indexNames = new IndexNames(settings.get("camelcast.useractions.index"), settings.get("camelcast.episodes.index"),
                settings.get("camelcast.zoom.meetings-index"), settings.get("camelcast.zoom.sessions-index"));
        ProducerTemplate[] producer = new ProducerTemplate[1];
        EpisodeCache episodes = new EpisodeCache(redis, settings.getInt("camelcast.episodes.cache-ttl"), mpid -> {
            synchronized (producer) {
                if (producer[0] == null) {
                    producer[0] = context.createProducerTemplate();
                }
            }
            return producer[0].requestBodyAndHeader("direct:analytics-episode-lookup", null, "CamelcastMpid", mpid, JsonNode.class);
        }, () -> context.getRegistry().findSingleByType(MeterRegistry.class));
        GeoIp geoIp;
        try {
            geoIp = new GeoIp(settings.get("camelcast.analytics.geoip-db"));
        } catch (java.io.IOException e) {
            throw new Settings.ConfigException("camelcast.analytics.geoip-db: cannot open " + settings.get("camelcast.analytics.geoip-db")
                    + ": " + e.getMessage());
        }
        SearchEngine engine = new SearchEngine(settings.get("camelcast.es.url"));
        registry.bind("searchEngine", engine);
        HarvestLease lease = registry.lookupByNameAndType("harvestLease", HarvestLease.class);
        // the harvest gauges of the scheduled harvests, once Camel's Micrometer registry is there
        java.util.Map<String, String> crons = new java.util.LinkedHashMap<>();
        if (settings.getBoolean("camelcast.useractions.schedule")) {
            crons.put("useractions", settings.get("camelcast.useractions.cron"));
        }
        if (settings.getBoolean("camelcast.episodes.schedule")) {
            crons.put("episodes", settings.get("camelcast.episodes.cron"));
        }
        if (settings.getBoolean("camelcast.zoom.schedule")) {
            crons.put("zoom", settings.get("camelcast.zoom.harvest-cron"));
        }
        if (!crons.isEmpty()) {
            try {
                context.addStartupListener((org.apache.camel.ExtendedStartupListener) new org.apache.camel.ExtendedStartupListener() {
                    @Override
                    public void onCamelContextStarted(CamelContext c, boolean alreadyStarted) {
                    }

                    @Override
                    public void onCamelContextFullyStarted(CamelContext c, boolean alreadyStarted) {
                        MeterRegistry meters = c.getRegistry().findSingleByType(MeterRegistry.class);
                        if (meters != null) {
                            lease.registerGauges(meters, crons);
                        }
                    }
                });
            } catch (Exception e) {
                throw new IllegalStateException("cannot register the harvest gauges", e);
            }
        }
        registry.bind("useractionHarvest", new UserActionHarvest(checkpoints, clock, opencastZone,
                settings.getInt("camelcast.useractions.max-span"), settings.getInt("camelcast.useractions.interval"),
                settings.getInt("camelcast.useractions.batch-size"), settings.getInt("camelcast.useractions.wait")));
        registry.bind("episodeCache", episodes);
        registry.bind("episodeSearch", new EpisodeSearch());
        registry.bind("indexNames", indexNames);
        registry.bind("userActionDocs", new UserActionDocs(episodes, new UserAgents(10_000), geoIp,
                new IpPrivacy(settings.get("camelcast.useractions.ip-mode"), settings.get("camelcast.useractions.ip-salt")), indexNames));
        registry.bind("analyticsPayloads", new AnalyticsPayloads(settings.getInt("camelcast.es.bulk-size")));
        registry.bind("episodeDocs", new EpisodeDocs(indexNames, settings.get("camelcast.analytics.sink"),
                java.nio.file.Path.of(settings.get("camelcast.analytics.dir")), engine, clock));
        registry.bind("zoomMetrics", new ZoomMetrics(
                (ZoomApi) registry.lookupByName("zoomApi"), indexNames, geoIp, clock, ZoneId.of(settings.get("camelcast.schedule.time-zone"))));
        registry.bind("bulkIndexer", new BulkIndexer(engine, settings.getInt("camelcast.es.bulk-retries"),
                settings.getInt("camelcast.retry.initial-delay")));
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() throws Exception {
                    engine.close();
                    geoIp.close();
                }
            }, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the analytics shutdown", e);
        }
    }
}
