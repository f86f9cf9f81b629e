package io.camelcast.opencast;

import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The deliver stage's small decisions, without Opencast. */
class OpencastDeliveryTest {

    static OpencastDelivery delivery(Map<String, String> settings) {
        return new OpencastDelivery(null, null, null, "b", java.time.Duration.ofMinutes(1), 2, settings, 1800, null, 5);
    }

    @Test
    void typeFollowsTheTitleAsTheSeed() {
        assertEquals("L", OpencastDelivery.typeNum("Lecture"));
        assertEquals("S", OpencastDelivery.typeNum("Section"));
        assertEquals("P", OpencastDelivery.typeNum("Staff Meeting"));
    }

    @Test
    void publisherIsOverrideThenSeriesThenDefault() throws Exception {
        String catalog = "{\"http://purl.org/dc/terms/\": {\"title\": [{\"value\": \"T\"}], \"publisher\": [{\"value\": \"prof@x.edu\"}]}}";
        String noPublisher = "{\"http://purl.org/dc/terms/\": {\"title\": [{\"value\": \"T\"}]}}";
        assertEquals("over@x.edu", delivery(Map.of("override-publisher", "over@x.edu", "publisher", "d@x.edu")).publisher(catalog));
        assertEquals("prof@x.edu", delivery(Map.of("override-publisher", "None", "publisher", "d@x.edu")).publisher(catalog));
        assertEquals("d@x.edu", delivery(Map.of("publisher", "d@x.edu")).publisher(noPublisher));
        assertEquals("", delivery(Map.of()).publisher(noPublisher));
    }

    @Test
    void theWorkflowIdIsReadFromOpencastsAnswer() {
        assertEquals("1001", OpencastDelivery.workflowId("<?xml version=\"1.0\"?><ns3:workflow xmlns:ns3=\"http://workflow.opencastproject.org\""
                + " id=\"1001\" state=\"RUNNING\"><ns3:mediapackage/></ns3:workflow>"));
        assertNull(OpencastDelivery.workflowId("not xml"));
        assertNull(OpencastDelivery.workflowId("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><w id=\"&e;\"/>"),
                "no external entities");
    }

    @Test
    void anIngestTryLeftUnansweredKeepsCountingAsPossiblyUnderWay() {
        Delivery d = new Delivery(new io.camelcast.messages.StagedRecording("u", null, "s", null, null, null, null, null, "z", null, 0, 0, 0, null, null, null, null), "mp-1");
        d.ingestPosted();
        d.ingestAnswered();
        assertTrue(d.everyIngestAnswered(), "one try, answered: Opencast is not working on it");
        d.ingestPosted(); // this try timed out: Opencast may still be fetching its files
        d.ingestPosted();
        d.ingestAnswered();
        assertFalse(d.everyIngestAnswered(), "a later answer says nothing about the try that timed out");
    }

    @Test
    void xmlSpecialCharactersAreEscapedAsSaxutils() {
        assertEquals("ZIP-a&amp;b&lt;c&gt;", OpencastDelivery.escape("ZIP-a&b<c>"));
    }
}
