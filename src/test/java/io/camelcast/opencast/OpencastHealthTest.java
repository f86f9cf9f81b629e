package io.camelcast.opencast;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelcast.sim.Faults;
import io.camelcast.sim.Simulators;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class OpencastHealthTest {

    @Test
    void readsOpencastsHealthStatus() {
        assertEquals("pass", OpencastHealth.status("{\"status\": \"pass\", \"version\": \"1\"}"));
        assertEquals("fail", OpencastHealth.status("{\"status\": \"fail\"}"));
        assertNull(OpencastHealth.status("<html>"));
        assertNull(OpencastHealth.status("{\"status\": 1}"));
    }

    @Test
    void upWhenOpencastAnswersDownWhenItFailsOrIsGone() throws Exception {
        try (Simulators sims = Simulators.start(0, 0)) {
            OpencastHealth health = new OpencastHealth(sims.opencast().url() + "/");
            assertDoesNotThrow(health::check);
            sims.opencast().faults().add(new Faults.Fault(500, 1, 0, "/info/health", "GET", null, null));
            IOException failing = assertThrows(IOException.class, health::check);
            assertTrue(failing.getMessage().contains("500"), failing.getMessage());
            assertDoesNotThrow(health::check, "a fault for one request only");
        }
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        OpencastHealth gone = new OpencastHealth("http://127.0.0.1:" + closed);
        assertThrows(IOException.class, gone::check);
    }
}
