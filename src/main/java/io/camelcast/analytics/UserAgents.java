package io.camelcast.analytics;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;

/**
 * User-agent strings parsed into {@code ua{...}} with Yauaa (the seed left this to Logstash). The analyzer
 * loads only the fields we index and caches results: viewers of one course send few distinct agents.
 */
public final class UserAgents {

    private final int cacheSize;
    private volatile UserAgentAnalyzer analyzer;

    public UserAgents(int cacheSize) {
        this.cacheSize = cacheSize;
    }

    /**
     * Yauaa reads and compiles its 119 rule files for ~2 s of CPU and tens of MB of heap, so it is built on
     * the first agent to parse: a runtime that never harvests user actions never pays for it, and start-up
     * on a two-core box does not share its CPU with it (it did from a background thread: bench/startup).
     */
    private UserAgentAnalyzer analyzer() {
        UserAgentAnalyzer a = analyzer;
        if (a == null) {
            synchronized (this) {
                a = analyzer;
                if (a == null) {
                    a = build(cacheSize);
                    analyzer = a;
                }
            }
        }
        return a;
    }

    private static UserAgentAnalyzer build(int cacheSize) {
        return UserAgentAnalyzer.newBuilder()
                .withFields(UserAgent.DEVICE_CLASS, UserAgent.DEVICE_BRAND, UserAgent.OPERATING_SYSTEM_NAME,
                        UserAgent.OPERATING_SYSTEM_VERSION_MAJOR, UserAgent.AGENT_NAME, UserAgent.AGENT_VERSION_MAJOR)
                .withCache(cacheSize)
                .hideMatcherLoadStats()
                // matchers are compiled on the first agent: a runtime that never harvests never pays for them
                .delayInitialization()
                .build();
    }

    /** {@code {device, brand, os, os_version, name, version}} or null for a blank agent. */
    public ObjectNode parse(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return null;
        }
        UserAgent ua = analyzer().parse(userAgent);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("device", ua.getValue(UserAgent.DEVICE_CLASS));
        out.put("brand", ua.getValue(UserAgent.DEVICE_BRAND));
        out.put("os", ua.getValue(UserAgent.OPERATING_SYSTEM_NAME));
        out.put("os_version", ua.getValue(UserAgent.OPERATING_SYSTEM_VERSION_MAJOR));
        out.put("name", ua.getValue(UserAgent.AGENT_NAME));
        out.put("version", ua.getValue(UserAgent.AGENT_VERSION_MAJOR));
        return out;
    }
}
