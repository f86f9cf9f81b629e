package io.camelcast.opencast;

import io.camelcast.messages.StagedRecording;

/** An upload-queue message on its way into Opencast: the mediapackage id, the series catalog, the outcome. */
public final class Delivery {

    private final StagedRecording message;
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

    Delivery(StagedRecording message, String mediapackageId) {
        this.message = message;
        this.mediapackageId = mediapackageId;
    }

    public StagedRecording getMessage() {
        return message;
    }

    public String getZipId() {
        return message.zipId();
    }

    public String getUuid() {
        return message.uuid();
    }

    public String getSeriesId() {
        return message.opencastSeriesId();
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
        String w = message.ocWorkflow() == null ? "" : message.ocWorkflow().asText("");
        return w.isBlank() ? fallback : w;
    }
}
