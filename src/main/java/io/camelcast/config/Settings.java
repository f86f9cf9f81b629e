package io.camelcast.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Camelcast's configuration, resolved once in the order an operator expects, later wins:
 * <ol>
 *   <li>the embedded defaults, {@code classpath:application.properties};</li>
 *   <li>the operator's file, {@code run --config FILE};</li>
 *   <li>environment: {@code CAMELCAST_HTTP_PORT} for {@code camelcast.http.port} (upper case, dots and
 *       dashes as underscores), and the seed projects' variable names as aliases (see {@link #ALIASES});</li>
 *   <li>system properties, {@code -Dkey=value};</li>
 *   <li>values the runtime derives at start (the embedded services' endpoints).</li>
 * </ol>
 * Camel itself gets the merged result as override properties, so routes and beans see the same values
 * the CLI does.
 */
public final class Settings {

    /** Seed variable names a migrating operator already has in their environment. */
    public static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("DEFAULT_SERIES_ID", "camelcast.schedule.default-series-id"),
            Map.entry("LOCAL_TIME_ZONE", "camelcast.schedule.time-zone"),
            Map.entry("BUFFER_MINUTES", "camelcast.schedule.buffer-minutes"),
            Map.entry("MINIMUM_DURATION", "camelcast.recording.minimum-duration"),
            Map.entry("EPISODE_CACHE_EXPIRE", "camelcast.episodes.cache-ttl"),
            Map.entry("MAX_START_END_SPAN", "camelcast.useractions.max-span"),
            Map.entry("OPENCAST_BASE_URL", "camelcast.opencast.url"),
            Map.entry("OPENCAST_API_USER", "camelcast.opencast.user"),
            Map.entry("OPENCAST_API_PASSWORD", "camelcast.opencast.password"),
            Map.entry("ZOOM_WEBHOOK_SECRET_TOKEN", "camelcast.zoom.webhook-secret"),
            Map.entry("WEBHOOK_VALIDATION_SECRET_TOKEN", "camelcast.zoom.webhook-secret"),
            Map.entry("DEFAULT_OC_WORKFLOW", "camelcast.opencast.workflow"),
            Map.entry("DEFAULT_PUBLISHER", "camelcast.opencast.publisher"),
            Map.entry("OVERRIDE_PUBLISHER", "camelcast.opencast.override-publisher"),
            Map.entry("REDIS_URL", "camelcast.redis.url"),
            Map.entry("ES_HOST", "camelcast.es.url"),
            Map.entry("GEOLITE_PATH", "camelcast.analytics.geoip-db"),
            Map.entry("DEFAULT_INTERVAL", "camelcast.useractions.interval"),
            Map.entry("SQS_QUEUE_NAME", "camelcast.analytics.queue"),
            Map.entry("S3_HARVEST_TS_BUCKET", "camelcast.useractions.checkpoint-bucket"),
            Map.entry("S3_LAST_ACTION_TS_KEY", "camelcast.useractions.checkpoint-key"),
            Map.entry("JWT_SECRET", "camelcast.media.jwt-secret"),
            Map.entry("FFMPEG_EXECUTABLE", "camelcast.media.ffmpeg"),
            Map.entry("FFPROBE_EXECUTABLE", "camelcast.media.ffprobe"),
            Map.entry("KALTURA_PARTNERID", "camelcast.kaltura.partner-id"),
            Map.entry("KALTURA_SECRET", "camelcast.kaltura.secret"),
            Map.entry("KALTURA_USERID", "camelcast.kaltura.user-id"),
            Map.entry("AWS_BUCKET", "camelcast.kaltura.bucket"),
            Map.entry("PLACEHOLDER_VIDEO", "camelcast.kaltura.placeholder-video"));

    /**
     * Keys whose values are secrets: masked in logs, status and errors. An access key id is not one (AWS
     * prints it in every signed request); its secret key is. A Slack incoming-webhook URL is one: whoever has it
     * can post to the channel. So is the schedule's URL: a Google Sheets export or publish URL carries the key
     * that opens the sheet (logs show it masked, see ScheduleFetch.masked).
     */
    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(secret|password|passwd|api-key|apikey|token|credential|private-key|slack-url|schedule\\.url).*");

    /** {@code //user:password@} in a URL value. */
    private static final Pattern USERINFO = Pattern.compile("//([^/@\\s]+)@");

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = values;
    }

    /** Resolves the layers from the real environment and system properties. */
    public static Settings load(Path configFile) {
        return load(configFile, System.getenv(), System.getProperties());
    }

    public static Settings load(Path configFile, Map<String, String> env, Properties system) {
        Map<String, String> merged = new LinkedHashMap<>();
        putAll(merged, classpathDefaults());
        if (configFile != null) {
            if (!Files.isRegularFile(configFile)) {
                throw new ConfigException("configuration file not found: " + configFile);
            }
            try (Reader r = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
                Properties p = new Properties();
                p.load(r);
                putAll(merged, p);
            } catch (IOException e) {
                throw new ConfigException("cannot read configuration file " + configFile + ": " + e.getMessage());
            }
        }
        for (Map.Entry<String, String> alias : ALIASES.entrySet()) {
            String v = env.get(alias.getKey());
            if (v != null) {
                merged.put(alias.getValue(), v);
            }
        }
        // CAMELCAST_* variables map onto every key we know (all keys are listed in the defaults file)
        for (String key : List.copyOf(merged.keySet())) {
            String v = env.get(envName(key));
            if (v != null) {
                merged.put(key, v);
            }
        }
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith("camelcast.") || name.startsWith("camel.")) {
                merged.put(name, system.getProperty(name));
            }
        }
        return new Settings(merged);
    }

    /** Settings from explicit values only (tests). */
    public static Settings of(Map<String, String> values) {
        Map<String, String> merged = new LinkedHashMap<>();
        putAll(merged, classpathDefaults());
        merged.putAll(values);
        return new Settings(merged);
    }

    /** The environment variable that overrides {@code key}: {@code camelcast.http.port} → {@code CAMELCAST_HTTP_PORT}. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public static boolean isSecretKey(String key) {
        return SECRET_KEY.matcher(key).matches();
    }

    /** A copy with {@code key} set: used for values derived at start (embedded endpoints). */
    public Settings with(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(key, value);
        return new Settings(copy);
    }

    public String get(String key) {
        String v = values.get(key);
        return v == null ? null : resolve(v, 0).trim();
    }

    public String get(String key, String fallback) {
        String v = get(key);
        return v == null || v.isEmpty() ? fallback : v;
    }

    public boolean isSet(String key) {
        String v = get(key);
        return v != null && !v.isEmpty();
    }

    public int getInt(String key, int fallback) {
        String v = get(key);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a whole number, got '" + v + "'");
        }
    }

    /**
     * A whole number that application.properties (the only home of defaults) or the operator sets: a key
     * missing from both is a packaging error, named here rather than hidden behind a second default in Java.
     */
    public int getInt(String key) {
        required(key, !isSet(key));
        return getInt(key, 0);
    }

    /** A long (bytes, milliseconds) that application.properties or the operator sets. */
    public long getLong(String key) {
        String v = required(key, !isSet(key));
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a whole number, got '" + v + "'");
        }
    }

    /** true/false that application.properties or the operator sets. */
    public boolean getBoolean(String key) {
        required(key, !isSet(key));
        return getBoolean(key, false);
    }

    private String required(String key, boolean missing) {
        if (missing) {
            throw new ConfigException(key + " is not set (application.properties should give its default)");
        }
        return get(key);
    }

    public boolean getBoolean(String key, boolean fallback) {
        String v = get(key);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new ConfigException(key + " must be true or false, got '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    public Path dataDir() {
        return Path.of(get("camelcast.data-dir", "./data")).toAbsolutePath().normalize();
    }

    /** Every resolved value, for Camel's override properties. */
    public Properties toProperties() {
        Properties p = new Properties();
        values.forEach((k, v) -> p.setProperty(k, v));
        return p;
    }

    /** Every camelcast.* value that is set, with secrets masked: what {@code status} shows. */
    public Map<String, String> masked() {
        Map<String, String> out = new TreeMap<>();
        values.keySet().stream().filter(k -> k.startsWith("camelcast.")).forEach(k -> {
            String v = get(k);
            if (v != null && !v.isEmpty()) {
                out.put(k, isSecretKey(k) ? "****" : USERINFO.matcher(v).replaceAll("//****@"));
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /** The values of every secret key that is set, so the log masker can hide them wherever they appear. */
    public List<String> secretValues() {
        List<String> out = new java.util.ArrayList<>(values.keySet().stream().filter(Settings::isSecretKey)
                .map(this::get).filter(v -> v != null && !v.isEmpty()).toList());
        // passwords inside URLs (redis://:pass@host) are secrets too
        for (String key : values.keySet()) {
            String v = get(key);
            java.util.regex.Matcher m = v == null ? null : USERINFO.matcher(v);
            while (m != null && m.find()) {
                String userInfo = m.group(1);
                int colon = userInfo.indexOf(':');
                out.add(colon >= 0 ? userInfo.substring(colon + 1) : userInfo);
            }
        }
        return out;
    }

    /** Expands {@code {{other.key}}} and {@code {{other.key:default}}} references inside values. */
    private String resolve(String v, int depth) {
        int start = v.indexOf("{{");
        if (start < 0 || depth > 10) {
            return v;
        }
        int end = v.indexOf("}}", start);
        if (end < 0) {
            return v;
        }
        String ref = v.substring(start + 2, end);
        String fallback = "";
        int colon = ref.indexOf(':');
        if (colon >= 0) {
            fallback = ref.substring(colon + 1);
            ref = ref.substring(0, colon);
        }
        String refValue = values.get(ref);
        String replacement = refValue == null || refValue.isEmpty() ? fallback : resolve(refValue, depth + 1);
        return resolve(v.substring(0, start) + replacement + v.substring(end + 2), depth + 1);
    }

    private static Properties classpathDefaults() {
        Properties p = new Properties();
        try (InputStream in = Settings.class.getClassLoader().getResourceAsStream("application.properties")) {
            if (in != null) {
                p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new ConfigException("cannot read the embedded application.properties: " + e.getMessage());
        }
        return p;
    }

    private static void putAll(Map<String, String> target, Properties p) {
        for (String name : p.stringPropertyNames()) {
            target.put(name, p.getProperty(name));
        }
    }

    /** A configuration problem an operator must fix; its message says which key and why. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
