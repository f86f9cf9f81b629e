package io.camelcast.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The document id of each participant session of one meeting or webinar: one document per join.
 *
 * <p>The seed keyed sessions {@code meeting uuid + user_id}; Zoom's v2 {@code id} is blank for external
 * participants and the same for every re-join of one user, so keying by it let later joins overwrite earlier
 * ones. The seed's {@code uuid + user_id} is kept wherever that {@code user_id} (Zoom's per-join participant
 * id) occurs once in the meeting's listing; otherwise the join is named by who joined (the first of
 * {@code user_id}, {@code participant_uuid}, {@code id}, {@code registrant_id}, name and address) and its
 * {@code join_time}, and, if even that repeats, by its place among the identical rows. The same listing
 * always gives the same ids, so harvesting a day again updates its documents instead of adding copies.
 */
public final class SessionKeys {

    private SessionKeys() {
    }

    /** One id per participant row, in the listing's order. */
    public static List<String> keys(String meetingUuid, List<JsonNode> participants) {
        Map<String, Integer> perUserId = new HashMap<>();
        for (JsonNode p : participants) {
            String u = text(p, "user_id");
            if (!u.isEmpty()) {
                perUserId.merge(u, 1, Integer::sum);
            }
        }
        List<String> keys = new ArrayList<>(participants.size());
        Map<String, Integer> seen = new HashMap<>();
        for (JsonNode p : participants) {
            String u = text(p, "user_id");
            String key;
            if (!u.isEmpty() && perUserId.get(u) == 1) {
                key = meetingUuid + u;
            } else {
                key = meetingUuid + "|" + who(p) + "|" + text(p, "join_time");
            }
            int n = seen.merge(key, 1, Integer::sum);
            keys.add(n == 1 ? key : key + "#" + n);
        }
        return keys;
    }

    private static String who(JsonNode p) {
        for (String field : List.of("user_id", "participant_uuid", "id", "registrant_id")) {
            String v = text(p, field);
            if (!v.isEmpty()) {
                return v;
            }
        }
        return text(p, "user_name") + "/" + text(p, "ip_address");
    }

    private static String text(JsonNode p, String field) {
        JsonNode v = p.path(field);
        return v.isNull() || v.isMissingNode() ? "" : v.asText("").trim();
    }
}
