package io.camelcast.analytics;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Index names from configuration with a date part in braces, e.g.
 * {@code useractions-camelcast-{yyyy.MM.dd}} (as the seed's Logstash named them), {@code meetings-{yyyy.MM.dd}}.
 */
public final class IndexNames {

    private static final Pattern DATE = Pattern.compile("\\{([^}]+)}");

    private final String useractions;
    private final String episodes;
    private final String meetings;
    private final String sessions;
    private final Map<String, DateTimeFormatter> compiled = new ConcurrentHashMap<>();

    public IndexNames(String useractions, String episodes, String meetings, String sessions) {
        this.useractions = useractions;
        this.episodes = episodes;
        this.meetings = meetings;
        this.sessions = sessions;
    }

    public String useractions() {
        return useractions;
    }

    public String episodes() {
        return episodes;
    }

    public String meetings() {
        return meetings;
    }

    public String sessions() {
        return sessions;
    }

    /** The pattern with its {date} part formatted for {@code when} (UTC). Called once per document: compiled once per pattern. */
    public String forTime(String pattern, Instant when) {
        return compiled.computeIfAbsent(pattern, IndexNames::compile).format(when);
    }

    /** {@code useractions-{yyyy.MM.dd}} → the formatter {@code 'useractions-'yyyy.MM.dd} (literal text quoted). */
    static DateTimeFormatter compile(String pattern) {
        Matcher m = DATE.matcher(pattern);
        StringBuilder b = new StringBuilder();
        int at = 0;
        while (m.find()) {
            b.append(quote(pattern.substring(at, m.start()))).append(m.group(1));
            at = m.end();
        }
        b.append(quote(pattern.substring(at)));
        return DateTimeFormatter.ofPattern(b.toString()).withZone(ZoneOffset.UTC);
    }

    private static String quote(String literal) {
        return literal.isEmpty() ? "" : "'" + literal.replace("'", "''") + "'";
    }

    /** The wildcard matching every index of the pattern: {@code useractions-camelcast-*}. */
    public static String wildcard(String pattern) {
        return DATE.matcher(pattern).replaceAll("*");
    }
}
