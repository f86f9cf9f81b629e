package io.camelcast.http;


import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeyGuardTest {

    @Test
    void onlyTheConfiguredKeyPasses() {
        ApiKeyGuard guard = new ApiKeyGuard("k-123");
        assertDoesNotThrow(() -> guard.check("k-123"));
        assertThrows(ApiKeyGuard.Rejected.class, () -> guard.check("k-124"));
        assertThrows(ApiKeyGuard.Rejected.class, () -> guard.check(null));
        var e = assertThrows(ApiKeyGuard.Rejected.class, () -> guard.check("k-12"));
        assertTrue(!e.getMessage().contains("k-123"), "the reason never reveals the key");
    }

    @Test
    void withoutAConfiguredKeyTheApiIsClosed() {
        ApiKeyGuard guard = new ApiKeyGuard("");
        var e = assertThrows(ApiKeyGuard.Rejected.class, () -> guard.check("anything"));
        assertTrue(e.getMessage().contains("camelcast.api-key"));
    }
}
