package io.camelcast.http;

/**
 * A request Camelcast will not take, with the HTTP status and the reason the caller gets back. Thrown by
 * beans behind HTTP routes; each route's {@code onException} turns it into the answer. Nothing was
 * enqueued or written when it is thrown.
 */
public final class Refused extends RuntimeException {

    private final int status;

    public Refused(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    public int getStatus() {
        return status;
    }

    /** The answer body: {@code {"message": reason}}, escaped. */
    public String getJson() {
        char[] quoted = com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance()
                .quoteAsString(getMessage() == null ? "" : getMessage());
        return "{\"message\": \"" + new String(quoted) + "\"}";
    }
}
