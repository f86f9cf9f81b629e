package io.camelcast.opencast;

import io.camelcast.config.Settings;
import io.camelcast.store.Instances;
import io.camelcast.store.RecordingStatus;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import redis.clients.jedis.UnifiedJedis;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The Opencast deliver stage's bean (routes/recording-deliver.yaml): the seed's ingest, exactly once. */
public final class OpencastConfiguration implements CamelConfiguration {

    private final Settings settings;

    public OpencastConfiguration(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void configure(CamelContext context) {
        Registry registry = context.getRegistry();
        Map<String, String> opencast = new HashMap<>();
        for (String k : List.of("publisher", "override-publisher", "license", "language")) {
            opencast.put(k, settings.get("camelcast.opencast." + k));
        }
        registry.bind("opencastDelivery", new OpencastDelivery(registry.lookupByNameAndType("recordingStatus", RecordingStatus.class),
                registry.lookupByNameAndType("redis", UnifiedJedis.class), registry.lookupByNameAndType("s3Presigner", S3Presigner.class),
                settings.get("camelcast.recording.bucket"),
                Duration.ofMinutes(settings.getInt("camelcast.recording.presign-minutes")),
                settings.getInt("camelcast.recording.minimum-duration"), opencast,
                settings.getInt("camelcast.opencast.ingest-grace"),
                registry.lookupByNameAndType("instances", Instances.class), settings.getInt("camelcast.opencast.ingest-recheck"),
                EpisodeOwners.of(settings.get("camelcast.zoom.owner-map"))));
        registry.bind("opencastCaptions", new OpencastCaptions(registry.lookupByNameAndType("redis", UnifiedJedis.class),
                registry.lookupByNameAndType("s3Client", software.amazon.awssdk.services.s3.S3Client.class),
                settings.get("camelcast.recording.bucket"), settings.get("camelcast.opencast.language"),
                settings.getInt("camelcast.recording.captions-recheck"), settings.getInt("camelcast.recording.captions-max-wait"),
                java.time.Clock.systemUTC()));
        // follows the workflow each ingest started (routes/opencast-workflow.yaml)
        registry.bind("workflowTracking", new WorkflowTracking(registry.lookupByNameAndType("recordingStatus", RecordingStatus.class),
                registry.lookupByNameAndType("redis", UnifiedJedis.class), settings.getInt("camelcast.opencast.workflow-poll-seconds"),
                settings.getInt("camelcast.opencast.workflow-give-up-minutes"), java.time.Clock.systemUTC()));
    }
}
