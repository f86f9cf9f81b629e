package io.camelcast.upload;

import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * The SHA-256 of an upload whose bytes arrive over many PATCHes, perhaps on different instances: the digest's
 * state is saved with each committed part (a few dozen bytes in the upload's Redis record) and restored by
 * the next PATCH, so the checksum of a 4 GB upload is known when its last byte lands, without reading it again.
 * The JDK's MessageDigest cannot export its state; Bouncy Castle's digest can.
 */
final class RunningSha256 {

    private final SHA256Digest digest;

    private RunningSha256(SHA256Digest digest) {
        this.digest = digest;
    }

    /** A fresh digest, or the one {@link #state()} saved (null or blank: fresh). */
    static RunningSha256 restore(String state) {
        if (state == null || state.isBlank()) {
            return new RunningSha256(new SHA256Digest());
        }
        return new RunningSha256(new SHA256Digest(Base64.getDecoder().decode(state)));
    }

    void update(byte[] bytes, int offset, int length) {
        digest.update(bytes, offset, length);
    }

    /** The state to save; the digest goes on unchanged. */
    String state() {
        return Base64.getEncoder().encodeToString(digest.getEncodedState());
    }

    /** The hex SHA-256 of everything so far (the digest is not changed). */
    String hex() {
        SHA256Digest copy = new SHA256Digest(digest);
        byte[] out = new byte[copy.getDigestSize()];
        copy.doFinal(out, 0);
        return HexFormat.of().formatHex(out);
    }
}
