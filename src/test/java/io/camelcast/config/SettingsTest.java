package io.camelcast.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest {

    @Test
    void embeddedDefaultsComeFromTheClasspath() {
        Settings s = Settings.load(null, Map.of(), new Properties());
        assertEquals(8080, s.getInt("camelcast.http.port", 0));
        assertFalse(s.isSet("camelcast.s3.endpoint"), "blank endpoint means embedded");
        assertEquals("camelcast-staging", s.get("camelcast.plumbing.bucket"), "{{...}} references resolve");
    }

    @Test
    void laterLayersWinFileThenEnvironmentThenSystemProperties(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("my.properties");
        Files.writeString(file, "camelcast.http.port=9000\ncamelcast.s3.bucket=from-file\ncamelcast.api-key=k1\n");
        Properties system = new Properties();
        system.setProperty("camelcast.s3.bucket", "from-system");
        Settings s = Settings.load(file, Map.of("CAMELCAST_HTTP_PORT", "9100", "CAMELCAST_S3_BUCKET", "from-env"), system);
        assertEquals("9100", s.get("camelcast.http.port"));
        assertEquals("from-system", s.get("camelcast.s3.bucket"));
        assertEquals("k1", s.get("camelcast.api-key"));
    }

    @Test
    void environmentNamesReplaceDotsAndDashes() {
        assertEquals("CAMELCAST_ZOOM_WEBHOOK_SECRET", Settings.envName("camelcast.zoom.webhook-secret"));
    }

    @Test
    void seedVariableNamesAreAliases() {
        Settings s = Settings.load(null, Map.of("DEFAULT_SERIES_ID", "20210312345", "EPISODE_CACHE_EXPIRE", "60"),
                new Properties());
        assertEquals("20210312345", s.get("camelcast.schedule.default-series-id"));
        assertEquals("60", s.get("camelcast.episodes.cache-ttl"));
    }

    @Test
    void missingConfigFileIsAClearError(@TempDir Path dir) {
        var e = assertThrows(Settings.ConfigException.class,
                () -> Settings.load(dir.resolve("nope.properties"), Map.of(), new Properties()));
        assertTrue(e.getMessage().contains("nope.properties"), e.getMessage());
    }

    @Test
    void badNumbersNameTheKey() {
        Settings s = Settings.of(Map.of("camelcast.http.port", "eighty"));
        var e = assertThrows(Settings.ConfigException.class, () -> s.getInt("camelcast.http.port", 0));
        assertTrue(e.getMessage().contains("camelcast.http.port"));
    }

    @Test
    void secretsAreMaskedInTheReportAndListedForTheLogMasker() {
        Settings s = Settings.of(Map.of(
                "camelcast.zoom.webhook-secret", "s3cr3t-token",
                "camelcast.opencast.password", "hunter22",
                "camelcast.redis.url", "redis://default:redispass@cache:6379"));
        Map<String, String> masked = s.masked();
        assertEquals("****", masked.get("camelcast.zoom.webhook-secret"));
        assertEquals("****", masked.get("camelcast.opencast.password"));
        assertEquals("redis://****@cache:6379", masked.get("camelcast.redis.url"));
        assertFalse(masked.toString().contains("s3cr3t-token"));
        assertTrue(s.secretValues().containsAll(java.util.List.of("s3cr3t-token", "hunter22", "redispass")));
    }

    @Test
    void defaultsLiveInApplicationPropertiesAndAMissingOneIsNamed(@TempDir Path dir) throws Exception {
        Settings loaded = Settings.load(null, Map.of(), new Properties());
        assertEquals(5, loaded.getInt("camelcast.opencast.ingest-recheck"), "the embedded default");
        assertEquals(5368709120L, loaded.getLong("camelcast.recording.single-put-limit"));
        assertFalse(loaded.getBoolean("camelcast.recording.ffprobe"));
        Settings.ConfigException e = assertThrows(Settings.ConfigException.class, () -> Settings.of(Map.of()).getInt("camelcast.x.y"));
        assertTrue(e.getMessage().contains("camelcast.x.y"), e.getMessage());
        assertThrows(Settings.ConfigException.class, () -> Settings.of(Map.of("camelcast.x.y", "many")).getInt("camelcast.x.y"));
    }
}
