package io.camelcast.sim;

import io.camelcast.sim.SimServer.Handler;
import io.camelcast.sim.SimServer.Request;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP Digest authentication as an Opencast node asks for it (realm {@value #REALM}, {@code qop=auth}),
 * in front of every Opencast simulator endpoint but the health check and {@code /_sim/...}. Apart so
 * the API areas behind it only see authenticated requests.
 */
final class OpencastDigestAuth {

    static final String REALM = "Opencast";

    private final Consumer<Request> track;
    private volatile String user = OpencastSimulator.DEFAULT_USER;
    private volatile String password = OpencastSimulator.DEFAULT_PASSWORD;
    private final Set<String> nonces = ConcurrentHashMap.newKeySet();

    /** @param track records every request that reaches the check, authenticated or not */
    OpencastDigestAuth(Consumer<Request> track) {
        this.track = track;
    }

    void setCredentials(String user, String password) {
        this.user = user;
        this.password = password;
    }

    /** Records the request, then passes it to {@code handler} when its Digest answer is right, else challenges. */
    void secured(Request r, Handler handler) throws Exception {
        track.accept(r);
        String auth = r.header("Authorization");
        if (auth == null || !auth.startsWith("Digest ") || !digestValid(r.method(), parseDigest(auth.substring(7)))) {
            challenge(r);
            return;
        }
        handler.handle(r);
    }

    private void challenge(Request r) throws IOException {
        byte[] raw = new byte[16];
        new SecureRandom().nextBytes(raw);
        String nonce = HexFormat.of().formatHex(raw);
        nonces.add(nonce);
        r.setHeader("WWW-Authenticate", "Digest realm=\"" + REALM + "\", qop=\"auth\", nonce=\"" + nonce
                + "\", opaque=\"" + md5(REALM) + "\"");
        r.text(401, "Unauthorized");
    }

    static Map<String, String> parseDigest(String header) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|([^,\\s]*))").matcher(header);
        while (m.find()) {
            out.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
        }
        return out;
    }

    private boolean digestValid(String method, Map<String, String> d) {
        if (!user.equals(d.get("username")) || !REALM.equals(d.get("realm")) || !nonces.contains(d.get("nonce"))) {
            return false;
        }
        String ha1 = md5(user + ":" + REALM + ":" + password);
        String ha2 = md5(method + ":" + d.get("uri"));
        String expected = d.containsKey("qop")
                ? md5(ha1 + ":" + d.get("nonce") + ":" + d.get("nc") + ":" + d.get("cnonce") + ":" + d.get("qop") + ":" + ha2)
                : md5(ha1 + ":" + d.get("nonce") + ":" + ha2);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                String.valueOf(d.get("response")).getBytes(StandardCharsets.UTF_8));
    }

    static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
