package io.camelcast.recording;

import java.util.Map;

/**
 * A recording the intake accepted: the download-queue message (the seed's JSON), its zip_id, the delay
 * before it may be fetched, and the identity fields its first status record carries.
 */
public final class Accepted {

    private final String zipId;
    private final String message;
    private final int delaySeconds;
    private final boolean onDemand;
    private final Map<String, String> identity;

    public Accepted(String zipId, String message, int delaySeconds, boolean onDemand, Map<String, String> identity) {
        this.zipId = zipId;
        this.message = message;
        this.delaySeconds = delaySeconds;
        this.onDemand = onDemand;
        this.identity = identity;
    }

    public String getZipId() {
        return zipId;
    }

    public String getMessage() {
        return message;
    }

    public int getDelaySeconds() {
        return delaySeconds;
    }

    public boolean isOnDemand() {
        return onDemand;
    }

    public Map<String, String> getIdentity() {
        return identity;
    }
}
