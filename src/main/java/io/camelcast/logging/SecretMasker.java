package io.camelcast.logging;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Replaces every configured secret value with {@code ****} wherever it appears: log lines (through
 * {@link MaskingPatternLayout}), error messages in dead letters, and status output. Secrets are
 * registered once at start from the settings; values shorter than 4 characters are not masked
 * (they would blank ordinary words).
 */
public final class SecretMasker {

    public static final String MASK = "****";
    private static final List<String> SECRETS = new CopyOnWriteArrayList<>();

    private SecretMasker() {
    }

    public static void register(List<String> secrets) {
        for (String s : secrets) {
            if (s != null && s.length() >= 4 && !SECRETS.contains(s)) {
                SECRETS.add(s);
            }
        }
        // longest first, so a secret containing another is masked whole
        SECRETS.sort(Comparator.comparingInt(String::length).reversed());
    }

    public static String mask(String text) {
        if (text == null || SECRETS.isEmpty()) {
            return text;
        }
        String out = text;
        for (String s : SECRETS) {
            if (out.contains(s)) {
                out = out.replace(s, MASK);
            }
        }
        return out;
    }

    /**
     * Credentials a message carries itself (a Zoom {@code download_token}, an {@code access_token}): the
     * value of any JSON field whose name says token, secret or password becomes {@code ****}, then the
     * configured secrets are masked as everywhere. For showing message bodies ({@code dlq list}).
     */
    public static String maskJson(String json) {
        if (json == null) {
            return null;
        }
        return mask(JSON_SECRET_FIELD.matcher(json).replaceAll("$1\"" + MASK + "\""));
    }

    private static final java.util.regex.Pattern JSON_SECRET_FIELD = java.util.regex.Pattern.compile(
            "(\"[^\"]*(?i:token|secret|password)[^\"]*\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"");

    static void clearForTests() {
        SECRETS.clear();
    }
}
