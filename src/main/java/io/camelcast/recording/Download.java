package io.camelcast.recording;

import io.camelcast.messages.IncomingRecording;
import java.util.ArrayList;
import java.util.List;

/** A download-queue message on its way through the fetch stage: the series chosen, the files staged. */
public final class Download {

    private final IncomingRecording message;
    private String seriesId;
    private String title = "Lecture";
    private String ignoredReason;
    private final List<StagedFile> staged = new ArrayList<>();
    /** This delivery of the message, as its fetch claim names it (a redelivery keeps it). */
    private final String token = java.util.UUID.randomUUID().toString();
    private String skipped;
    private long recheckSeconds;
    /** Download token and URLs renewed after Zoom refused the message's (null until then). */
    private FreshDownloads.Fresh fresh;

    public Download(IncomingRecording message) {
        this.message = message;
    }

    public IncomingRecording getMessage() {
        return message;
    }

    public String getZipId() {
        return message.zipId();
    }

    public String getUuid() {
        return message.uuid();
    }

    public String getSeriesId() {
        return seriesId;
    }

    void setSeries(String seriesId, String title) {
        this.seriesId = seriesId;
        if (title != null) {
            this.title = title;
        }
    }

    public String getTitle() {
        return title;
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

    public String token() {
        return token;
    }

    /** A copy of a message this stage has handled, or is handling elsewhere: nothing to do here. */
    public boolean isSkipped() {
        return skipped != null;
    }

    public String getSkipped() {
        return skipped;
    }

    /** &gt; 0: another instance is fetching it now; the copy goes back on the queue to look again then. */
    public long getRecheckSeconds() {
        return recheckSeconds;
    }

    void skip(String why, long recheckSeconds) {
        this.skipped = why;
        this.recheckSeconds = recheckSeconds;
    }

    FreshDownloads.Fresh getFresh() {
        return fresh;
    }

    void setFresh(FreshDownloads.Fresh fresh) {
        this.fresh = fresh;
    }

    public List<StagedFile> getStaged() {
        return staged;
    }

    /** Where the recording goes (camelcast.targets.*); messages queued before targets existed go to Opencast. */
    public List<String> getTargets() {
        List<String> out = message.targets();
        return out == null || out.isEmpty() ? List.of("opencast") : out;
    }

    public boolean isToOpencast() {
        return getTargets().contains("opencast");
    }

    /** Archive or Bunny Stream: the upload distribution takes it from staging. */
    public boolean isToUploads() {
        return getTargets().stream().anyMatch(t -> !t.equals("opencast"));
    }
}
