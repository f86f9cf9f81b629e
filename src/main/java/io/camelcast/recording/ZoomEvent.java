package io.camelcast.recording;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A parsed Zoom webhook (or on-demand request) and what the intake route does with it. */
public final class ZoomEvent {

    /** Zoom's yearly endpoint check: answer with the encrypted token. */
    public static final String VALIDATION = "validation";
    /** recording.started/paused/resumed/stopped, meeting.ended, webinar.ended: update the status record. */
    public static final String STATUS = "status";
    /** recording.completed or on.demand.ingest: validate and enqueue. */
    public static final String INGEST = "ingest";
    /** recording.transcript_completed: a late captions file for an event already (or soon) in Opencast. */
    public static final String CAPTIONS = "captions";
    /** Any other event: 204, nothing done. */
    public static final String IGNORE = "ignore";

    private final String action;
    private final String event;
    private final ObjectNode json;
    private final String account;

    public ZoomEvent(String action, String event, ObjectNode json) {
        this(action, event, json, null);
    }

    /** @param account the Zoom account it came from or is fetched with (camelcast.zoom.accounts.*); null: the default */
    public ZoomEvent(String action, String event, ObjectNode json, String account) {
        this.action = action;
        this.event = event;
        this.json = json;
        this.account = account;
    }

    /** The same event from this Zoom account. */
    public ZoomEvent withAccount(String name) {
        return new ZoomEvent(action, event, json, name);
    }

    /** The Zoom account's name; null for the default account. */
    public String getAccount() {
        return account;
    }

    public String getAction() {
        return action;
    }

    public String getEvent() {
        return event;
    }

    public ObjectNode getJson() {
        return json;
    }

    public String getPlainToken() {
        return json.path("payload").path("plainToken").asText("");
    }
}
