package io.camelcast.embedded;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** When the embedded SQS counts as ready: every declared queue and its -dlq in one ListQueues answer. */
class EmbeddedSqsTest {

    private static String listQueues(String... names) {
        StringBuilder xml = new StringBuilder("<ListQueuesResponse><ListQueuesResult>");
        for (String n : names) {
            xml.append("<QueueUrl>http://127.0.0.1:9324/000000000000/").append(n).append("</QueueUrl>");
        }
        return xml.append("</ListQueuesResult></ListQueuesResponse>").toString();
    }

    @Test
    void readyWhenEveryQueueAndItsDeadLetterQueueIsListed() {
        assertNull(EmbeddedSqs.firstMissing(listQueues("jobs", "jobs-dlq", "uploads", "uploads-dlq"), List.of("jobs", "uploads")));
    }

    @Test
    void namesTheFirstQueueStillMissing() {
        assertEquals("uploads-dlq", EmbeddedSqs.firstMissing(listQueues("jobs", "jobs-dlq", "uploads"), List.of("jobs", "uploads")));
        assertEquals("jobs", EmbeddedSqs.firstMissing("", List.of("jobs")));
    }

    @Test
    void aQueueIsNotMistakenForAnotherThatEndsWithItsName() {
        assertEquals("jobs", EmbeddedSqs.firstMissing(listQueues("old-jobs", "jobs-dlq"), List.of("jobs")));
    }

    @Test
    void aDeadLetterQueueNamedOnItsOwnIsDeclaredWithoutOneOfItsOwn() {
        assertEquals(List.of("jobs", "jobs-dlq", "analytics", "analytics-dlq", "rejects-dlq"),
                EmbeddedSqs.declared(List.of("jobs", "analytics", "analytics-dlq", "rejects-dlq")));
        assertEquals("rejects-dlq", EmbeddedSqs.firstMissing(listQueues("jobs", "jobs-dlq"), List.of("jobs", "rejects-dlq")));
        assertNull(EmbeddedSqs.firstMissing(listQueues("jobs", "jobs-dlq", "rejects-dlq"), List.of("jobs", "rejects-dlq")));
    }
}
