package io.camelcast.recording;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelcast.http.Refused;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code PUT /schedule/meetings/{meetingId}} {@code {"seriesId": "..."}} and {@code DELETE} of the same: a
 * meeting's recordings go to that series whatever the schedule says (RecordingFetch.chooseSeries), until the
 * override is cleared. Bad input is a 400 with the reason and nothing is stored.
 */
public final class ScheduleOverrides {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleOverrides.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Zoom meeting ids are numbers; the schedule keys a meeting by the last segment of its Zoom link. */
    private static final Pattern MEETING = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** Opencast series ids: UUIDs or the seed's numbers; no spaces, no markup. */
    private static final Pattern SERIES = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final ScheduleStore store;

    public ScheduleOverrides(ScheduleStore store) {
        this.store = store;
    }

    /** Sets the override; the answer body. */
    public Map<String, Object> put(String meetingId, byte[] body) {
        String meeting = meeting(meetingId);
        JsonNode json;
        try {
            json = body == null || body.length == 0 ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new Refused(400, "the body is not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new Refused(400, "the body cannot be read");
        }
        if (json == null || !json.isObject()) {
            throw new Refused(400, "the body must be a JSON object {\"seriesId\": \"...\"}");
        }
        JsonNode series = json.get("seriesId");
        if (series == null || series.isNull()) {
            throw new Refused(400, "missing seriesId");
        }
        if (!series.isTextual() || !SERIES.matcher(series.asText()).matches()) {
            throw new Refused(400, "seriesId must be an Opencast series id (letters, digits, . _ : -; at most 128)");
        }
        store.setOverride(meeting, series.asText());
        LOG.info("schedule override meeting={} series={}", meeting, series.asText());
        return answer(meeting, series.asText());
    }

    /** Clears the override (204 either way: the meeting has none afterwards). */
    public void delete(String meetingId) {
        String meeting = meeting(meetingId);
        boolean had = store.clearOverride(meeting);
        LOG.info("schedule override meeting={} cleared{}", meeting, had ? "" : " (there was none)");
    }

    private static Map<String, Object> answer(String meeting, String series) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("meetingId", meeting);
        out.put("seriesId", series);
        return out;
    }

    private static String meeting(String meetingId) {
        if (meetingId == null || !MEETING.matcher(meetingId).matches()) {
            // shown with every other character as '?'; cut on the shown text (a character outside the BMP is
            // two chars in the id and one '?' here: the fuzz test found the id's length out of range)
            String shown = meetingId == null ? "(none)" : meetingId.replaceAll("[^A-Za-z0-9._-]", "?");
            throw new Refused(400, "not a Zoom meeting id (letters, digits, . _ -; at most 64): "
                    + shown.substring(0, Math.min(64, shown.length())));
        }
        return meetingId;
    }
}
