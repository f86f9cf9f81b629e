package io.camelcast.zoom;

import io.camelcast.http.Refused;
import io.camelcast.sim.ZoomSimulator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookVerifierTest {

    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    static final WebhookVerifier VERIFIER = new WebhookVerifier("s3cret", Duration.ofMinutes(5), Clock.fixed(NOW, ZoneOffset.UTC));
    static final String BODY = "{\"event\":\"recording.completed\"}";

    static void verify(String sig, String ts, String body) {
        VERIFIER.verify(sig, ts, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void zoomsSignatureOfTheRawBodyIsAccepted() {
        String ts = Long.toString(NOW.getEpochSecond());
        verify(ZoomSimulator.sign("s3cret", ts, BODY), ts, BODY);
        String ms = Long.toString(NOW.toEpochMilli());
        verify(ZoomSimulator.sign("s3cret", ms, BODY), ms, BODY);
    }

    @Test
    void aWrongSecretAChangedBodyOrAMissingHeaderIs401() {
        String ts = Long.toString(NOW.getEpochSecond());
        assertEquals(401, assertThrows(Refused.class, () -> verify(ZoomSimulator.sign("other", ts, BODY), ts, BODY)).getStatus());
        assertThrows(Refused.class, () -> verify(ZoomSimulator.sign("s3cret", ts, BODY), ts, BODY + " "));
        assertThrows(Refused.class, () -> verify(null, ts, BODY));
        assertThrows(Refused.class, () -> verify(ZoomSimulator.sign("s3cret", ts, BODY), null, BODY));
        assertThrows(Refused.class, () -> verify("v0=zz", "not-a-number", BODY));
    }

    @Test
    void timestampsOutsideTheReplayWindowAreRefusedEvenWhenSigned() {
        String old = Long.toString(NOW.minusSeconds(301).getEpochSecond());
        Refused r = assertThrows(Refused.class, () -> verify(ZoomSimulator.sign("s3cret", old, BODY), old, BODY));
        assertTrue(r.getMessage().contains("replay window"));
        String future = Long.toString(NOW.plusSeconds(301).getEpochSecond());
        assertThrows(Refused.class, () -> verify(ZoomSimulator.sign("s3cret", future, BODY), future, BODY));
        String edge = Long.toString(NOW.minusSeconds(300).getEpochSecond());
        verify(ZoomSimulator.sign("s3cret", edge, BODY), edge, BODY);
    }

    @Test
    void withoutASecretEveryWebhookIsRefused() {
        WebhookVerifier closed = new WebhookVerifier("", Duration.ofMinutes(5), Clock.fixed(NOW, ZoneOffset.UTC));
        String ts = Long.toString(NOW.getEpochSecond());
        assertThrows(Refused.class, () -> closed.verify(ZoomSimulator.sign("anything", ts, BODY), ts, BODY.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void urlValidationAnswersTheSeedsHmac() {
        // the seed's test_webhook_validation: secret barbaz67890, plainToken foobar12345
        WebhookVerifier seed = new WebhookVerifier("barbaz67890", Duration.ofMinutes(5), Clock.systemUTC());
        assertEquals("aaca35ce2b1ee8e81c06c0e8c9841f4870bfa2b29b1812688459cf5d6cbdb5df", seed.encryptedToken("foobar12345"));
        assertEquals("{\"plainToken\": \"foobar12345\", \"encryptedToken\": "
                + "\"aaca35ce2b1ee8e81c06c0e8c9841f4870bfa2b29b1812688459cf5d6cbdb5df\"}", seed.validationAnswer("foobar12345"));
    }

    @Test
    void downloadHostsAreExactNamesOrSubdomains() {
        DownloadHosts hosts = new DownloadHosts("zoom.us, *.zoom.us");
        assertTrue(hosts.allowed("https://zoom.us/rec/download/abc"));
        assertTrue(hosts.allowed("https://ssrweb.zoom.us/file/abc?x=1"));
        assertFalse(hosts.allowed("https://zoom.us.evil.example/rec"));
        assertFalse(hosts.allowed("https://evilzoom.us/rec"));
        assertFalse(hosts.allowed("http://169.254.169.254/latest/meta-data/"));
        assertFalse(hosts.allowed("file:///etc/passwd"));
        assertFalse(hosts.allowed("https://user:pw@zoom.us/x"));
        assertFalse(hosts.allowed("not a url"));
    }
}
