package io.camelcast.zoom;

import io.camelcast.http.Refused;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Zoom's webhook signature: {@code x-zm-signature = "v0=" + hex(HMAC-SHA256(secret, "v0:" + timestamp + ":" + body))}
 * over the raw body, compared in constant time, with the timestamp inside a replay window. The seed
 * never checked signatures; anyone who knew the URL could make it ingest. Also answers Zoom's
 * {@code endpoint.url_validation} challenge with the same secret.
 */
public final class WebhookVerifier {

    private final byte[] secret;
    private final Duration window;
    private final Clock clock;

    public WebhookVerifier(String secret, Duration window, Clock clock) {
        this.secret = secret == null || secret.isBlank() ? null : secret.getBytes(StandardCharsets.UTF_8);
        this.window = window;
        this.clock = clock;
    }

    /** Throws {@link Refused} 401 unless the request is signed with our secret and recent. */
    public void verify(String signature, String timestamp, byte[] body) {
        if (secret == null) {
            throw new Refused(401, "webhooks are closed: set camelcast.zoom.webhook-secret (Zoom's secret token)");
        }
        if (signature == null || signature.isBlank() || timestamp == null || timestamp.isBlank()) {
            throw new Refused(401, "missing x-zm-signature or x-zm-request-timestamp header");
        }
        long sent = parseEpochSeconds(timestamp);
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - sent) > window.toSeconds()) {
            throw new Refused(401, "request timestamp outside the replay window of " + window.toSeconds() + " s");
        }
        byte[] message = concat(("v0:" + timestamp.trim() + ":").getBytes(StandardCharsets.UTF_8), body == null ? new byte[0] : body);
        byte[] expected = ("v0=" + HexFormat.of().formatHex(hmac(message))).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, signature.trim().getBytes(StandardCharsets.UTF_8))) {
            throw new Refused(401, "signature does not match");
        }
    }

    /** Zoom's url_validation answer: the plain token and its HMAC-SHA256 with the secret token, hex. */
    public String encryptedToken(String plainToken) {
        if (secret == null) {
            throw new Refused(401, "webhooks are closed: set camelcast.zoom.webhook-secret");
        }
        return HexFormat.of().formatHex(hmac(plainToken.getBytes(StandardCharsets.UTF_8)));
    }

    /** The JSON body of the url_validation answer. */
    public String validationAnswer(String plainToken) {
        String encrypted = encryptedToken(plainToken);
        char[] plain = com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(plainToken);
        return "{\"plainToken\": \"" + new String(plain) + "\", \"encryptedToken\": \"" + encrypted + "\"}";
    }

    /** Zoom sends seconds; milliseconds are accepted too (some relays rewrite the header). */
    static long parseEpochSeconds(String timestamp) {
        try {
            long v = Long.parseLong(timestamp.trim());
            return v > 100_000_000_000L ? v / 1000 : v;
        } catch (NumberFormatException e) {
            throw new Refused(401, "x-zm-request-timestamp is not a number");
        }
    }

    private byte[] hmac(byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
