package io.camelcast.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where an item goes, from configuration: a list of targets per source ({@code camelcast.targets.zoom},
 * {@code .zoom-upload}, {@code .tus}, {@code .custom}) and, for Zoom recordings, per Zoom account
 * ({@code camelcast.targets.account.<account id>}) or host ({@code camelcast.targets.host.<email>}; the host
 * wins over the account, both over the source). So one Zoom account can go to Opencast, another to the
 * archive and Bunny Stream, a third to both, whichever endpoint Zoom calls.
 *
 * <p>Targets: {@code opencast} (Zoom recordings only), {@code archive}, {@code bunny}. The site notification
 * is not a target: it is sent after all of an upload's targets succeeded, when a notify URL is set.
 */
public final class UploadTargets {

    public static final Set<String> KNOWN = Set.of("opencast", "archive", "bunny");
    public static final Set<String> SOURCES = Set.of("zoom", "zoom-upload", "tus", "custom");

    private final Map<String, List<String>> bySource = new LinkedHashMap<>();
    private final Map<String, List<String>> byAccount = new LinkedHashMap<>();
    private final Map<String, List<String>> byHost = new LinkedHashMap<>();

    public UploadTargets(Map<String, String> properties) {
        properties.forEach((key, value) -> {
            if (!key.startsWith("camelcast.targets.")) {
                return;
            }
            String rest = key.substring("camelcast.targets.".length());
            if (rest.startsWith("account.")) {
                byAccount.put(rest.substring(8), parse(key, value));
            } else if (rest.startsWith("host.")) {
                byHost.put(rest.substring(5).toLowerCase(Locale.ROOT), parse(key, value));
            } else if (SOURCES.contains(rest)) {
                bySource.put(rest, parse(key, value));
            } else {
                throw new Settings.ConfigException(key + ": unknown source '" + rest + "' (one of " + SOURCES
                        + ", account.<id> or host.<email>)");
            }
        });
        for (String source : SOURCES) {
            bySource.putIfAbsent(source, source.equals("zoom") ? List.of("opencast") : List.of("archive", "bunny"));
        }
        for (String source : List.of("tus", "custom")) {
            if (bySource.get(source).contains("opencast")) {
                throw new Settings.ConfigException("camelcast.targets." + source
                        + ": opencast takes Zoom recordings only (its ingest needs Zoom's views and series)");
            }
        }
    }

    public static UploadTargets from(Settings settings) {
        Map<String, String> props = new LinkedHashMap<>();
        settings.toProperties().stringPropertyNames().stream().filter(k -> k.startsWith("camelcast.targets."))
                .forEach(k -> props.put(k, settings.get(k)));
        return new UploadTargets(props);
    }

    /** The targets of an upload (TUS or custom). */
    public List<String> forSource(String source) {
        List<String> t = bySource.get(source);
        if (t == null) {
            throw new IllegalArgumentException("unknown upload source " + source);
        }
        return t;
    }

    /** The targets of a Zoom recording that came in at {@code source} ("zoom" or "zoom-upload"). */
    public List<String> forZoom(String source, String accountId, String hostEmail) {
        if (hostEmail != null && byHost.containsKey(hostEmail.toLowerCase(Locale.ROOT))) {
            return byHost.get(hostEmail.toLowerCase(Locale.ROOT));
        }
        if (accountId != null && byAccount.containsKey(accountId)) {
            return byAccount.get(accountId);
        }
        return forSource(source);
    }

    static List<String> parse(String key, String value) {
        List<String> out = new ArrayList<>();
        for (String t : (value == null ? "" : value).split(",")) {
            String name = t.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (!KNOWN.contains(name)) {
                throw new Settings.ConfigException(key + ": unknown target '" + name + "' (one of opencast, archive, bunny)");
            }
            if (!out.contains(name)) {
                out.add(name);
            }
        }
        if (out.isEmpty()) {
            throw new Settings.ConfigException(key + ": name at least one target (opencast, archive, bunny)");
        }
        return List.copyOf(out);
    }
}
