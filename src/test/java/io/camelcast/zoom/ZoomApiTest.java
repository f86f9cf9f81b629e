package io.camelcast.zoom;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelcast.sim.Faults;
import io.camelcast.sim.ZoomSimulator;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Zoom API client against the Zoom simulator: 429 with Retry-After is waited out, never retried sooner. */
class ZoomApiTest {

    static ZoomSimulator zoom;

    @BeforeAll
    static void start() throws Exception {
        zoom = new ZoomSimulator();
        zoom.start(0);
    }

    @AfterAll
    static void stop() {
        zoom.close();
    }

    ZoomApi api() {
        return new ZoomApi(zoom.url() + "/v2", zoom.url() + "/oauth/token", ZoomSimulator.DEFAULT_ACCOUNT_ID,
                ZoomSimulator.DEFAULT_CLIENT_ID, ZoomSimulator.DEFAULT_CLIENT_SECRET, Clock.systemUTC());
    }

    @Test
    void aRateLimitedCallWaitsAtLeastRetryAfterThenSucceeds() throws Exception {
        zoom.faults().clear();
        zoom.faults().add(new Faults.Fault(429, 1, 0, "/v2/", "GET", "2", null));
        long started = System.nanoTime();
        JsonNode page = api().get("users/me/recordings");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertEquals(0, page.path("total_records").asInt());
        // a lower bound, not a speed: the second try may not come before Zoom's Retry-After
        assertTrue(took.compareTo(Duration.ofSeconds(2)) >= 0, "retried after " + took.toMillis() + " ms, Retry-After was 2 s");
    }

    @Test
    void aLimitThatOutlastsTheWaitsIsAnErrorWithTheStatus() {
        zoom.faults().clear();
        zoom.faults().add(new Faults.Fault(429, 100, 0, "/v2/", "GET", "0", null));
        ZoomApi.ZoomApiException e = assertThrows(ZoomApi.ZoomApiException.class, () -> api().get("users/me/recordings"));
        assertEquals(429, e.getStatus());
        zoom.faults().clear();
    }

    @Test
    void retryAfterReadsSecondsAndHttpDatesAndIsCapped() {
        assertEquals(Duration.ofSeconds(7), ZoomApi.retryAfter("7"));
        assertEquals(Duration.ofSeconds(1), ZoomApi.retryAfter(null));
        assertEquals(Duration.ZERO, ZoomApi.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT"), "a date in the past: at once");
        assertEquals(Duration.ofSeconds(60), ZoomApi.retryAfter("86400"), "capped at a minute");
    }
}
