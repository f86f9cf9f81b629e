package io.camelcast.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks the {@code X-Api-Key} header of Camelcast's own API ({@code /status}, {@code /ingest},
 * {@code /recordings}, uploads) against {@code camelcast.api-key}, in constant time. With no key
 * configured the API is closed, not open.
 */
public final class ApiKeyGuard {

    private final byte[] expected;

    public ApiKeyGuard(String apiKey) {
        this.expected = apiKey == null || apiKey.isBlank() ? null : apiKey.getBytes(StandardCharsets.UTF_8);
    }

    /** Throws {@link Rejected} (answered 401 by the routes) unless {@code presented} is the configured key. */
    public void check(String presented) {
        if (expected == null) {
            throw new Rejected("this endpoint is closed: set camelcast.api-key and send it in X-Api-Key");
        }
        if (presented == null || presented.isEmpty()) {
            throw new Rejected("missing X-Api-Key header");
        }
        if (!MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
            throw new Rejected("wrong API key");
        }
    }

    /** The caller is not allowed: the message says why, never what the key is. */
    public static final class Rejected extends RuntimeException {
        public Rejected(String message) {
            super(message, null, false, false);
        }
    }
}
