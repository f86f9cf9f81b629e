package io.camelcast.dlq;

/**
 * A failure no retry can fix (a target that is not configured, a refusal that will be answered the same
 * again): the item goes to its dead-letter queue at once, with this as the cause.
 */
public final class PermanentFailure extends RuntimeException {

    public PermanentFailure(String message) {
        super(message);
    }
}
