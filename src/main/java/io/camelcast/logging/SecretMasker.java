package io.camelcast.logging;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides secrets in log lines (through {@link MaskingPatternLayout}), error messages in dead letters, and status
 * output, where secrets occur, keeping the rest readable:
 * <ul>
 *   <li>the value of any key naming a secret, password, token, API key or credential ({@code key=value},
 *       {@code key: value}, {@code "key": "value"}, URI query parameters);</li>
 *   <li>the password in a URI's user-info ({@code redis://:pass@host}, {@code https://user:pass@host});</li>
 *   <li>{@code Authorization} header values ({@code Basic ...}, {@code Bearer ...}, {@code Digest ...});</li>
 *   <li>every configured secret value (registered at start from the settings): a strong one (a digit or a
 *       symbol in it, or 12 characters or more) wherever it appears; a plain word ({@code opencast},
 *       {@code CHANGE_ME}) wherever it stands alone, but not inside a longer name, so a password that is also
 *       a common word does not turn {@code camelcast.opencast.url} into {@code camelcast.****.url}.</li>
 * </ul>
 * Values shorter than 4 characters are not registered (they would blank ordinary words).
 */
public final class SecretMasker {

    public static final String MASK = "****";
    private static final List<String> SECRETS = new CopyOnWriteArrayList<>();
    private static final List<Pattern> WORDS = new CopyOnWriteArrayList<>();
    /** Letters and underscores only, under 12 characters: a word that may also be part of a name. */
    private static final Pattern WORD = Pattern.compile("[A-Za-z_]{4,11}");
    /** Characters that continue a name (property keys, route ids, URI paths, host names). */
    private static final String NAME_CHARS = "A-Za-z0-9_.\\-/";

    private static final String SECRET_NAME = "[A-Za-z0-9_.\\-]*(?i:secret|password|passwd|api[-_]?key|token|credential|private[-_]key)[A-Za-z0-9_.\\-]*";
    private static final Pattern JSON_SECRET_FIELD = Pattern.compile(
            "(\"[^\"]*(?i:token|secret|password|passwd|api[-_]?key|credential)[^\"]*\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"");
    /** {@code password=x}, {@code camelcast.opencast.password: x}, {@code ?token=x&}: the value up to a separator. */
    private static final Pattern KEY_VALUE = Pattern.compile("(?<![A-Za-z0-9_.\\-])(" + SECRET_NAME + ")(\\s*[=:]\\s*)(?!\\s|\\*\\*\\*\\*|\")([^\\s,&;\"'<>)\\]}]+)");
    private static final Pattern SECRET_WORDS = Pattern.compile("secret|passw|key|token|credential");
    private static final Pattern USER_INFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.\\-]*://[^/\\s:@]*:)([^@\\s/]+)(@)");
    private static final Pattern AUTHORIZATION = Pattern.compile("(?i)((?:proxy-)?authorization\\s*[:=]\\s*(?:(?:basic|bearer|digest)\\s+)?)([^\\s,;\"']+)");

    private SecretMasker() {
    }

    public static void register(List<String> secrets) {
        for (String s : secrets) {
            if (s != null && s.length() >= 4 && !SECRETS.contains(s)) {
                SECRETS.add(s);
                if (WORD.matcher(s).matches()) {
                    WORDS.add(Pattern.compile("(?<![" + NAME_CHARS + "])" + Pattern.quote(s) + "(?![" + NAME_CHARS.replace("\\-", "") + "]|-)"));
                }
            }
        }
        // longest first, so a secret containing another is masked whole
        SECRETS.sort(Comparator.comparingInt(String::length).reversed());
    }

    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        // every log line passes here: the patterns run only on lines that can hold what they look for
        if (out.indexOf('=') >= 0 || out.indexOf(':') >= 0) {
            String lower = out.toLowerCase(java.util.Locale.ROOT);
            if (SECRET_WORDS.matcher(lower).find()) {
                out = JSON_SECRET_FIELD.matcher(out).replaceAll("$1\"" + MASK + "\"");
                out = KEY_VALUE.matcher(out).replaceAll("$1$2" + MASK);
            }
            if (out.indexOf('@') >= 0 && out.contains("://")) {
                out = USER_INFO.matcher(out).replaceAll("$1" + MASK + "$3");
            }
            if (lower.contains("authorization")) {
                out = AUTHORIZATION.matcher(out).replaceAll("$1" + MASK);
            }
        }
        for (String s : SECRETS) {
            if (!out.contains(s)) {
                continue;
            }
            if (WORD.matcher(s).matches()) {
                for (Pattern p : WORDS) {
                    if (p.pattern().contains(Pattern.quote(s))) {
                        out = p.matcher(out).replaceAll(Matcher.quoteReplacement(MASK));
                    }
                }
            } else {
                out = out.replace(s, MASK);
            }
        }
        return out;
    }

    /**
     * Credentials a message carries itself (a Zoom {@code download_token}, an {@code access_token}): the value
     * of any JSON field whose name says token, secret or password becomes {@code ****}, then everything
     * {@link #mask} hides. For showing message bodies ({@code dlq list}, {@code GET /dlq/{queue}}).
     */
    public static String maskJson(String json) {
        if (json == null) {
            return null;
        }
        return mask(JSON_SECRET_FIELD.matcher(json).replaceAll("$1\"" + MASK + "\""));
    }

    static void clearForTests() {
        SECRETS.clear();
        WORDS.clear();
    }
}
