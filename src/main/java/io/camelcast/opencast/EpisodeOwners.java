package io.camelcast.opencast;

import io.camelcast.config.HostLists;
import io.camelcast.config.Settings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The owner map ({@code camelcast.zoom.owner-map}, a CSV file: Zoom host email, Opencast user name; header
 * optional): whose episode a Zoom recording becomes. The ingest names the owner as the episode's
 * {@code rightsHolder} and gives the owner's user role ({@code ROLE_USER_<NAME>}, as Opencast's user id role
 * provider spells it: letters and digits kept, anything else {@code _}, upper-cased) read and write in the
 * episode's ACL.
 */
public final class EpisodeOwners {

    private final Map<String, String> owners;

    public EpisodeOwners(Map<String, String> owners) {
        Map<String, String> m = new HashMap<>();
        owners.forEach((email, user) -> m.put(HostLists.normalize(email), user.trim()));
        this.owners = Map.copyOf(m);
    }

    /** From the setting's value: a CSV file path, or empty for no owners. */
    public static EpisodeOwners of(String csvPath) {
        Map<String, String> m = new HashMap<>();
        if (csvPath != null && !csvPath.isBlank()) {
            for (String[] row : HostLists.csvRows(Path.of(csvPath.trim()))) {
                if (row.length < 2 || row[0].isEmpty() || row[1].isEmpty()) {
                    throw new Settings.ConfigException("camelcast.zoom.owner-map: each row needs a host email and an"
                            + " Opencast user name; found '" + String.join(",", row) + "'");
                }
                m.put(row[0], row[1]);
            }
        }
        return new EpisodeOwners(m);
    }

    public static EpisodeOwners none() {
        return new EpisodeOwners(Map.of());
    }

    /** The Opencast user name of this host, or null. */
    public String owner(String hostEmail) {
        return hostEmail == null ? null : owners.get(HostLists.normalize(hostEmail));
    }

    /** Opencast's user id role of a user name: {@code ROLE_USER_} and the name, sanitized and upper-cased. */
    public static String userRole(String userName) {
        return "ROLE_USER_" + userName.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /**
     * The episode ACL for the ingest's {@code acl} field, in the JSON form Opencast's ingest parses
     * ({@code {"acl":{"ace":[{"role","action","allow"}]}}}): the owner's role may read and write.
     */
    public static String acl(String userName) {
        String role = userRole(userName);
        StringBuilder b = new StringBuilder("{\"acl\":{\"ace\":[");
        List<String> actions = List.of("read", "write");
        for (int i = 0; i < actions.size(); i++) {
            b.append(i == 0 ? "" : ",").append("{\"role\":\"").append(role).append("\",\"action\":\"")
                    .append(actions.get(i)).append("\",\"allow\":true}");
        }
        return b.append("]}}").toString();
    }

    public int size() {
        return owners.size();
    }
}
