package io.camelcast.runtime;

import io.camelcast.config.Settings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which queues the embedded SQS declares: its endpoints never create one, so a queue left out cannot be sent to. */
class ServicesTest {

    @Test
    void declaresEveryFlowQueueAndTheDefaultAnalyticsDeadLetterQueueOnce() {
        List<String> queues = Services.embeddedQueues(Settings.load(null));
        assertTrue(queues.containsAll(List.of("camelcast-recordings-incoming", "camelcast-uploads", "camelcast-analytics")), queues.toString());
        assertEquals(1, queues.stream().filter("camelcast-analytics-dlq"::equals).count(), queues.toString());
    }

    @Test
    void declaresADeadLetterQueueTheOperatorNamed() {
        List<String> queues = Services.embeddedQueues(Settings.load(null).with("camelcast.analytics.dlq", "analytics-rejects"));
        assertTrue(queues.contains("analytics-rejects"), queues.toString());
        // the flow queues stay what the gauges and the dead-letter API list
        assertFalse(Services.queues(Settings.load(null).with("camelcast.analytics.dlq", "analytics-rejects"))
                .contains("analytics-rejects"));
    }
}
