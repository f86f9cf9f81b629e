package io.camelcast.messages;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One upload on its way to its targets: the message on {@code camelcast.upload.queue}. Where its bytes are
 * (an object in the shared staging bucket), what the uploader said about it,
 * which targets it goes to, and the retry count of the step that is failing now. What each target has done
 * is in the item's status record, not here, so a replayed message resumes at the failed step.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public final class UploadItem {

    public String id;
    /** tus, custom, zoom-upload (a Zoom recording from the staging bucket). */
    public String source;
    /** The uploader's file name (TUS {@code filename}, the custom path's name, the staged key's name). */
    public String name;
    public long size;
    /** Known up front for staged Zoom files; computed by the archive step otherwise. */
    public String sha256;
    /**
     * A custom upload's file on the instance that received it (removed there once staged and queued, with
     * camelcast.upload.delete-custom-files); the bytes are read from the staging object below.
     */
    public String path;
    /** The object in the staging bucket every instance reads the bytes from. */
    public String bucket;
    public String key;
    public Map<String, String> metadata = new LinkedHashMap<>();
    public List<String> targets = new ArrayList<>();
    /** Failed tries of the current step (0 on a fresh or replayed message). */
    public int attempt;
    /** Not to be worked on before this instant (ISO-8601): SQS delays are at most 15 minutes. */
    public String notBefore;
    public String received;

    /** Set while the item runs: the next step, or null when it is finished or must wait. */
    @JsonIgnore
    public transient String next;
    /** Set by a step that must wait (Bunny still encoding): seconds until the next look. */
    @JsonIgnore
    public transient long waitSeconds;
    /** Set when a step failed: seconds until the retry, or -1 for the dead-letter queue. */
    @JsonIgnore
    public transient long retryInSeconds;

    /** This delivery of the message, as its work claim names it (a copy of the message has its own). */
    @JsonIgnore
    public transient String token = java.util.UUID.randomUUID().toString();
    /** A copy of a message that is done, or being worked on by another instance: nothing to do here. */
    @JsonIgnore
    public transient boolean skipped;

    public String getId() {
        return id;
    }

    public boolean isSkipped() {
        return skipped;
    }

    public String getNext() {
        return next;
    }

    /** The route of the next step ({@code direct:upload-deliver-<step>}), or null when finished or waiting. */
    @JsonIgnore
    public String getNextEndpoint() {
        return next == null || isWaiting() ? null : "direct:upload-deliver-" + next;
    }

    public boolean isWaiting() {
        return waitSeconds > 0;
    }

    public long getWaitSeconds() {
        return waitSeconds;
    }

    public boolean isDead() {
        return retryInSeconds < 0;
    }

    public boolean isLocal() {
        return path != null;
    }

    @Override
    public String toString() {
        return "upload " + id + " (" + source + ", " + name + ", " + size + " bytes)";
    }
}
