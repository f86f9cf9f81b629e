package io.camelcast.opencast;

import io.camelcast.messages.LateCaptions;

/** A late captions file on its way into the recording's Opencast event: which event, and whether to wait for it. */
public final class LateTrack {

    private final LateCaptions message;
    private final String mediapackageId;
    private long deferSeconds;
    private String done;

    LateTrack(LateCaptions message, String mediapackageId) {
        this.message = message;
        this.mediapackageId = mediapackageId;
    }

    public LateCaptions getMessage() {
        return message;
    }

    public String getMediapackageId() {
        return mediapackageId;
    }

    /** &gt; 0: the event is not there yet; the message goes back on the captions queue for this long. */
    public long getDeferSeconds() {
        return deferSeconds;
    }

    void defer(long seconds) {
        this.deferSeconds = seconds;
    }

    /** Nothing left to do (the track was added by an earlier copy of this message): why. */
    public boolean isDone() {
        return done != null;
    }

    public String getDone() {
        return done;
    }

    void done(String why) {
        this.done = why;
    }
}
