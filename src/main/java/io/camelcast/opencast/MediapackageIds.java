package io.camelcast.opencast;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The seed's first mediapackage id: {@code str(UUID(md5(zoom_uuid).hexdigest()))}, the same for every try. */
public final class MediapackageIds {

    private MediapackageIds() {
    }

    public static String deterministic(String zoomUuid) {
        try {
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(zoomUuid.getBytes(StandardCharsets.UTF_8)));
            return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                    + hex.substring(16, 20) + "-" + hex.substring(20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
