package io.camelcast.analytics;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What is kept of a viewer's IP address ({@code camelcast.useractions.ip-mode}): {@code keep} (as the
 * seed), {@code truncate} (IPv4 /24, IPv6 /48: still good for a city on the map) or {@code hash}
 * (HMAC-SHA256 with {@code camelcast.useractions.ip-salt}: countable, not reversible). Geo-IP is looked
 * up on the full address before this applies.
 */
public final class IpPrivacy {

    private final String mode;
    private final byte[] salt;

    public IpPrivacy(String mode, String salt) {
        this.mode = mode == null || mode.isBlank() ? "keep" : mode.trim().toLowerCase(Locale.ROOT);
        if (!this.mode.equals("keep") && !this.mode.equals("truncate") && !this.mode.equals("hash")) {
            throw new IllegalArgumentException("camelcast.useractions.ip-mode must be keep, truncate or hash, not " + mode);
        }
        if (this.mode.equals("hash") && (salt == null || salt.isBlank())) {
            throw new IllegalArgumentException("camelcast.useractions.ip-mode=hash needs camelcast.useractions.ip-salt");
        }
        this.salt = salt == null ? new byte[0] : salt.getBytes(StandardCharsets.UTF_8);
    }

    public String apply(String ip) {
        if (ip == null || ip.isEmpty() || mode.equals("keep")) {
            return ip;
        }
        if (mode.equals("hash")) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(salt, "HmacSHA256"));
                return HexFormat.of().formatHex(mac.doFinal(ip.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
            } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new IllegalStateException(e);
            }
        }
        return truncate(ip);
    }

    static String truncate(String ip) {
        if (!ip.matches("[0-9a-fA-F:.]+")) {
            return null;
        }
        try {
            byte[] raw = InetAddress.getByName(ip).getAddress();
            int keep = raw.length == 4 ? 3 : 6;
            for (int i = keep; i < raw.length; i++) {
                raw[i] = 0;
            }
            return InetAddress.getByAddress(raw).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
