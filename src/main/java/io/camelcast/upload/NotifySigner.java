package io.camelcast.upload;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The site notification's signature: {@code X-Camelcast-Signature: sha256=<hex HMAC-SHA256(secret,
 * timestamp + "." + body)>} with {@code X-Camelcast-Timestamp}, so the site can check the sender and
 * refuse replays (the same scheme as Zoom's and Stripe's webhooks).
 */
public final class NotifySigner {

    private final byte[] secret;

    public NotifySigner(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("camelcast.upload.notify-secret is required to sign notifications");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    public String sign(long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a receiver does: constant-time comparison. */
    public boolean verify(long timestamp, String body, String signature) {
        return signature != null && MessageDigest.isEqual(sign(timestamp, body).getBytes(StandardCharsets.UTF_8),
                signature.getBytes(StandardCharsets.UTF_8));
    }
}
