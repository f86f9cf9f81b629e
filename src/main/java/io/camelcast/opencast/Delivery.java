package io.camelcast.opencast;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An upload-queue message on its way into Opencast: the mediapackage id, the series catalog, the outcome. */
public final class Delivery {

    private final ObjectNode data;
    private String mediapackageId;
    private boolean alternate;
    private boolean recheck;
    private String ignoredReason;
    private String seriesCatalog;
    private String workflowId;
    private long deferSeconds;
    /** Whose the in-flight marker is: this delivery and its redeliveries, not another copy of the message. */
    private final String token = java.util.UUID.randomUUID().toString();
    private int ingestPosts;
    private int ingestAnswers;

    Delivery(ObjectNode data, String mediapackageId) {
        this.data = data;
        this.mediapackageId = mediapackageId;
    }

    public ObjectNode getData() {
        return data;
    }

    public String getZipId() {
        return data.path("zip_id").asText();
    }

    public String getUuid() {
        return data.path("uuid").asText();
    }

    public String getSeriesId() {
        return data.path("opencast_series_id").asText();
    }

    public String getMediapackageId() {
        return mediapackageId;
    }

    void useAlternate(String id) {
        this.mediapackageId = id;
        this.alternate = true;
        this.recheck = true;
    }

    boolean isAlternate() {
        return alternate;
    }

    /** True when the id changed and Opencast must be asked again whether it has it. */
    public boolean isRecheck() {
        return recheck;
    }

    void checked() {
        this.recheck = false;
    }

    /** Seconds to put the message back for: an ingest another delivery started may still be running. */
    public long getDeferSeconds() {
        return deferSeconds;
    }

    void defer(long seconds) {
        this.deferSeconds = seconds;
    }

    String token() {
        return token;
    }

    void ingestPosted() {
        ingestPosts++;
    }

    void ingestAnswered() {
        ingestAnswers++;
    }

    /** Whether Opencast answered every ingest POST of this delivery: none can still be under way there. */
    boolean everyIngestAnswered() {
        return ingestAnswers == ingestPosts;
    }

    public boolean isIgnored() {
        return ignoredReason != null;
    }

    public String getIgnoredReason() {
        return ignoredReason;
    }

    void ignore(String reason) {
        this.ignoredReason = reason;
    }

    public String getSeriesCatalog() {
        return seriesCatalog;
    }

    void setSeriesCatalog(String seriesCatalog) {
        this.seriesCatalog = seriesCatalog;
    }

    public String getWorkflowId() {
        return workflowId;
    }

    void setWorkflowId(String workflowId) {
        this.workflowId = workflowId;
    }

    public String getWorkflow(String fallback) {
        String w = data.path("oc_workflow").asText("");
        return w.isBlank() ? fallback : w;
    }
}
