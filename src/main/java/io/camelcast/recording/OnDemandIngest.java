package io.camelcast.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.http.Refused;
import io.camelcast.zoom.ZoomAccounts;
import io.camelcast.zoom.ZoomApi;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /ingest} (the seed's {@code zoom_on_demand.py}): fetch a recording from Zoom's API by uuid
 * (or by a Zoom link carrying {@code meeting_id}) and hand it to the intake as an
 * {@code on.demand.ingest} event, with the caller's {@code oc_series_id}, {@code oc_workflow},
 * {@code allow_multiple_ingests} and {@code ingest_all_mp4}. Answers as the seed: 400 bad request,
 * 404 no such recording, 503 files not ready.
 *
 * <p>{@code account} (ours) names the Zoom account the recording is in ({@code camelcast.zoom.accounts.<name>});
 * absent, null or {@code "default"}: the single-account keys. The recording is fetched with that account's
 * OAuth app, and the account goes with it to the download.
 */
public final class OnDemandIngest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ZoomAccounts accounts;

    public OnDemandIngest(ZoomAccounts accounts) {
        this.accounts = accounts;
    }

    public ZoomEvent request(byte[] body) throws InterruptedException {
        if (body == null || body.length == 0) {
            throw new Refused(400, "Bad data. No body found in event.");
        }
        JsonNode req;
        try {
            req = JSON.readTree(body);
        } catch (IOException e) {
            throw new Refused(400, "Request body is not valid json.");
        }
        if (req == null || !req.isObject() || !req.hasNonNull("uuid") || req.path("uuid").asText().isBlank()) {
            throw new Refused(400, "Missing recording uuid field in request body.");
        }
        String uuid = uuidFrom(req.path("uuid").asText().trim());
        String account = account(req.get("account"));
        for (String flag : List.of("allow_multiple_ingests", "ingest_all_mp4")) {
            if (req.has(flag) && !req.get(flag).isBoolean()) {
                throw new Refused(400, flag + " must be true or false");
            }
        }
        return event(uuid, fetch(account, uuid), req, "on-demand-" + UUID.randomUUID()).withAccount(account);
    }

    /** The request's {@code account}: a configured account's name, or null for the default; 400 otherwise. */
    String account(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new Refused(400, "account must be a string (an account of camelcast.zoom.accounts.<name>)");
        }
        if (!accounts.known(value.asText())) {
            throw new Refused(400, "no Zoom account named '" + ZoomAccounts.name(value.asText())
                    + "' (camelcast.zoom.accounts.<name>.*)");
        }
        return ZoomAccounts.messageName(value.asText());
    }

    /** The recording from the default account's API; see {@link #fetch(String, String)}. */
    public JsonNode fetch(String uuid) throws InterruptedException {
        return fetch(null, uuid);
    }

    /**
     * The recording from the account's Zoom API (null: the default account), with its download token; Refused
     * with the seed's answers otherwise.
     */
    public JsonNode fetch(String account, String uuid) throws InterruptedException {
        JsonNode recording;
        try {
            recording = accounts.api(account).meetingRecordings(uuid);
        } catch (ZoomApi.ZoomApiException e) {
            if (e.getStatus() == 404) {
                throw new Refused(404, "No zoom recording with id '" + uuid + "'");
            }
            throw new Refused(502, "Something went wrong querying the zoom api: " + e.getMessage());
        } catch (IOException e) {
            throw new Refused(502, "Something went wrong querying the zoom api: " + e.getMessage());
        }
        if (!recording.path("recording_files").isArray() || recording.path("recording_files").isEmpty()) {
            throw new Refused(503, "Zoom api response contained no recording files for " + uuid);
        }
        for (JsonNode f : recording.path("recording_files")) {
            if (f.hasNonNull("status") && !"completed".equals(f.path("status").asText())) {
                throw new Refused(503, "Not all recorded files have status 'completed'");
            }
        }
        return recording;
    }

    /** The internal on.demand.ingest event the intake validates like a webhook. */
    public ZoomEvent event(String uuid, JsonNode recording, JsonNode options, String zipId) {
        ObjectNode event = JSON.createObjectNode();
        event.put("event", "on.demand.ingest");
        ObjectNode payload = event.putObject("payload");
        ObjectNode object = recording.deepCopy();
        String token = object.path("download_access_token").asText("");
        object.remove("download_access_token");
        payload.set("object", object);
        if (options.hasNonNull("oc_series_id") && !options.path("oc_series_id").asText().isBlank()) {
            payload.put("on_demand_series_id", options.path("oc_series_id").asText());
        }
        for (String field : List.of("allow_multiple_ingests", "oc_workflow", "ingest_all_mp4")) {
            if (options.has(field)) {
                payload.set(field, options.get(field));
            }
        }
        payload.put("zip_id", zipId);
        event.put("download_token", token);
        return new ZoomEvent(ZoomEvent.INGEST, "on.demand.ingest", event);
    }

    /** A Zoom link ({@code https://...?meeting_id=UUID}) or a uuid. */
    public static String uuidFrom(String value) {
        if (!value.startsWith("https")) {
            return value;
        }
        String query = URI.create(value).getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals("meeting_id")) {
                    return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
        }
        throw new Refused(404, "Zoom URL is malformed or missing 'meeting_id' param.");
    }
}
