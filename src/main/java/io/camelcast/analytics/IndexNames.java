package io.camelcast.analytics;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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

    /** The pattern with its {date} part formatted for {@code when} (UTC). */
    public String forTime(String pattern, Instant when) {
        Matcher m = DATE.matcher(pattern);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(DateTimeFormatter.ofPattern(m.group(1)).withZone(ZoneOffset.UTC).format(when)));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** The wildcard matching every index of the pattern: {@code useractions-camelcast-*}. */
    public static String wildcard(String pattern) {
        return DATE.matcher(pattern).replaceAll("*");
    }
}
