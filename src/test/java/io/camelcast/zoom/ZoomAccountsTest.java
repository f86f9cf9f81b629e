package io.camelcast.zoom;

import io.camelcast.config.Settings;
import io.camelcast.http.Refused;
import io.camelcast.sim.ZoomSimulator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZoomAccountsTest {

    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    static final String BODY = "{\"event\":\"recording.completed\"}";

    static ZoomAccounts accounts(Map<String, String> values) {
        return ZoomAccounts.from(Settings.of(values), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static final ZoomAccounts TWO = accounts(Map.of(
            "camelcast.zoom.webhook-secret", "default-secret",
            "camelcast.zoom.account-id", "acct-default", "camelcast.zoom.client-id", "cid", "camelcast.zoom.client-secret", "csec",
            "camelcast.zoom.accounts.north.webhook-secret", "north-secret",
            "camelcast.zoom.accounts.north.account-id", "acct-north",
            "camelcast.zoom.accounts.south.client-id", "south-cid"));

    static void verify(ZoomAccounts a, String account, String secret) {
        String ts = Long.toString(NOW.getEpochSecond());
        a.verify(account, ZoomSimulator.sign(secret, ts, BODY), ts, BODY.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void eachAccountVerifiesWithItsOwnSecretAndTheDefaultWithTheSingleAccountOne() {
        verify(TWO, "north", "north-secret");
        verify(TWO, null, "default-secret");
        verify(TWO, "default", "default-secret");
        verify(TWO, " ", "default-secret");
        assertEquals(401, assertThrows(Refused.class, () -> verify(TWO, "north", "default-secret")).getStatus());
        assertEquals(401, assertThrows(Refused.class, () -> verify(TWO, null, "north-secret")).getStatus());
        // south sets no secret of its own: the single-account one
        verify(TWO, "south", "default-secret");
        assertEquals(ZoomSimulator.hmacHex("north-secret", "tok"),
                TWO.validationAnswer("north", "tok").replaceAll(".*\"encryptedToken\": \"([0-9a-f]+)\".*", "$1"));
    }

    @Test
    void unsetKeysFallBackToTheSingleAccountKeys() {
        Settings s = Settings.of(Map.of("camelcast.zoom.client-id", "cid", "camelcast.zoom.accounts.north.client-id", "north-cid",
                "camelcast.zoom.accounts.north.api-url", ""));
        assertEquals("north-cid", ZoomAccounts.value(s, "north", "client-id"));
        assertEquals("cid", ZoomAccounts.value(s, "south", "client-id"));
        assertEquals("https://api.zoom.us/v2", ZoomAccounts.value(s, "north", "api-url"), "blank is unset");
        // north has its own account id and falls back to the default client: configured; an account of nothing is not
        assertTrue(TWO.api("north").configured());
        assertFalse(accounts(Map.of("camelcast.zoom.accounts.x.webhook-secret", "s")).api("x").configured());
    }

    @Test
    void namesAreTheDefaultAndEveryConfiguredOneAndAnUnknownNameIs404() {
        assertEquals(List.of("default", "north", "south"), TWO.names());
        assertTrue(TWO.known("north") && TWO.known(null) && TWO.known("default"));
        assertFalse(TWO.known("east"));
        assertEquals(404, assertThrows(Refused.class, () -> TWO.api("east")).getStatus());
        assertEquals(404, assertThrows(Refused.class, () -> TWO.check("east")).getStatus());
        assertEquals(404, assertThrows(Refused.class, () -> verify(TWO, "east", "default-secret")).getStatus());
        assertEquals("north", TWO.require("north"));
        assertEquals("default", ZoomAccounts.name(null));
        assertNull(ZoomAccounts.messageName("default"));
        assertNull(ZoomAccounts.messageName(""));
        assertEquals("north", ZoomAccounts.messageName("north"));
    }

    @Test
    void aMistypedKeyOrABadNameFailsAtStart() {
        assertThrows(Settings.ConfigException.class,
                () -> accounts(Map.of("camelcast.zoom.accounts.north.webhook-secrett", "x")));
        assertThrows(Settings.ConfigException.class, () -> accounts(Map.of("camelcast.zoom.accounts.north", "x")));
        assertThrows(Settings.ConfigException.class,
                () -> accounts(Map.of("camelcast.zoom.accounts.no/rth.webhook-secret", "x")));
        assertThrows(Settings.ConfigException.class,
                () -> accounts(Map.of("camelcast.zoom.accounts.a.b.webhook-secret", "x")));
        assertEquals(List.of("default", "x-1_b"), accounts(Map.of("camelcast.zoom.accounts.x-1_b.client-id", "c")).names());
    }
}
