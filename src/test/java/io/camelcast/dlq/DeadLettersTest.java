package io.camelcast.dlq;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DeadLettersTest {

    @Test
    void sourceQueueIsTheConsumedQueueName() {
        assertEquals("camelcast-plumbing",
                DeadLetters.sourceQueue("aws2-sqs://camelcast-plumbing?waitTimeSeconds=20", "plumbing-store"));
        assertEquals("q", DeadLetters.sourceQueue("aws2-sqs:q", "r"));
    }

    @Test
    void routesThatDoNotConsumeAQueueCannotDeadLetter() {
        assertThrows(IllegalStateException.class, () -> DeadLetters.sourceQueue("direct:x", "r"));
    }

    @Test
    void onlyTheFlowsOwnScalarHeadersAreKept() {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("itemId", "abc");
        headers.put("attempt", 3);
        headers.put("CamelAwsSqsMessageId", "m-1");
        headers.put("camelcastInternal", "x");
        headers.put("blob", new byte[] {1});
        assertEquals(Map.of("itemId", "abc", "attempt", "3"), DeadLetters.originalHeaders(headers));
    }

    @Test
    void envelopeRoundTripsAndOtherBodiesAreNotLetters() {
        assertEquals("id-1", DeadLetterQueues.parse("{\"id\":\"id-1\",\"queue\":\"q\",\"body\":\"b\"}").id());
        assertNull(DeadLetterQueues.parse("plain text"));
        assertNull(DeadLetterQueues.parse("{\"other\":1}"));
        assertEquals("q-dlq", DeadLetterQueues.dlqName("q"));
        assertEquals("q-dlq", DeadLetterQueues.dlqName("q-dlq"));
    }
}
