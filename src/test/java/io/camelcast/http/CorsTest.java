package io.camelcast.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CORS decisions without a server (CorsFlowTest checks them on the running one, and in a browser). */
class CorsTest {

    final Cors cors = new Cors(" https://uploads.example.edu/ , http://127.0.0.1:9000");

    @Test
    void anAllowedOriginsPreflightIsAnsweredWithTheGrant() {
        Cors.Decision d = cors.decide("OPTIONS", "https://uploads.example.edu", "PATCH");
        assertEquals(204, d.status());
        assertEquals("https://uploads.example.edu", d.headers().get("Access-Control-Allow-Origin"));
        assertEquals("Origin", d.headers().get("Vary"));
        assertTrue(d.headers().get("Access-Control-Allow-Methods").contains("PATCH"));
        assertTrue(d.headers().get("Access-Control-Allow-Headers").contains("Upload-Offset"));
    }

    @Test
    void anAllowedOriginsRequestGoesOnWithTheTusHeadersExposed() {
        Cors.Decision d = cors.decide("POST", "http://127.0.0.1:9000", null);
        assertEquals(0, d.status());
        assertEquals("http://127.0.0.1:9000", d.headers().get("Access-Control-Allow-Origin"));
        assertTrue(d.headers().get("Access-Control-Expose-Headers").contains("Location"));
        // an OPTIONS that is not a preflight (a TUS client asking for capabilities) reaches the TUS route
        assertEquals(0, cors.decide("OPTIONS", "http://127.0.0.1:9000", null).status());
    }

    @Test
    void otherOriginsGetNoGrant() {
        for (String origin : new String[] {"https://evil.example", "https://uploads.example.edu.evil.example",
                "http://uploads.example.edu", "http://127.0.0.1:9001", "null"}) {
            Cors.Decision preflight = cors.decide("OPTIONS", origin, "POST");
            assertEquals(403, preflight.status(), origin);
            assertNull(preflight.headers().get("Access-Control-Allow-Origin"), origin);
            assertNull(preflight.headers().get("Access-Control-Allow-Methods"), origin);
            Cors.Decision request = cors.decide("POST", origin, null);
            assertEquals(0, request.status());
            assertNull(request.headers().get("Access-Control-Allow-Origin"), origin);
        }
    }

    @Test
    void noOriginOrNoConfigurationMeansNoCors() {
        assertTrue(cors.decide("POST", null, null).headers().isEmpty());
        Cors off = new Cors("");
        assertFalse(off.enabled());
        assertTrue(off.decide("OPTIONS", "https://uploads.example.edu", "POST").headers().isEmpty());
        assertTrue(new Cors("*").allows("https://anything.example"));
    }
}
