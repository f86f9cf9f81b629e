package io.camelcast.kaltura;

import java.util.Set;

/**
 * An error Kaltura answered (HTTP 200 with {@code objectType: KalturaAPIException}), with Kaltura's code and
 * message. {@link Transient} ones are worth another try (routes/route-configurations.yaml, kaltura-api-errors).
 */
public class KalturaApiException extends RuntimeException {

    /** Codes of failures on Kaltura's side that a later try may not meet. */
    static final Set<String> TRANSIENT = Set.of("INTERNAL_SERVERL_ERROR", "INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE",
            "LOCK_TIMED_OUT", "ESEARCH_TIMEOUT");

    private final String code;

    public KalturaApiException(String call, String code, String message) {
        super("Kaltura " + call + " failed: " + code + " " + message);
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static KalturaApiException of(String call, String code, String message) {
        return TRANSIENT.contains(code) ? new Transient(call, code, message) : new KalturaApiException(call, code, message);
    }

    /** A Kaltura error worth another try. */
    public static final class Transient extends KalturaApiException {
        public Transient(String call, String code, String message) {
            super(call, code, message);
        }
    }
}
