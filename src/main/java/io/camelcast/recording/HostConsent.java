package io.camelcast.recording;

import io.camelcast.config.HostLists;
import java.util.Set;

/**
 * The hosts' consent ({@code camelcast.zoom.opt-in}, {@code camelcast.zoom.opt-out}): which Zoom hosts' recordings
 * may be fetched at all. Opt-in, when set, admits only the hosts it lists; opt-out excludes the hosts it lists
 * (also when they are opted in). Emails compare case-insensitively. Each list is a comma list or a CSV file read
 * at start.
 */
public final class HostConsent {

    private final Set<String> optIn;
    private final Set<String> optOut;

    public HostConsent(Set<String> optIn, Set<String> optOut) {
        this.optIn = Set.copyOf(optIn.stream().map(HostLists::normalize).toList());
        this.optOut = Set.copyOf(optOut.stream().map(HostLists::normalize).toList());
    }

    /** From the two settings' values (each a comma list, a CSV file path, or empty). */
    public static HostConsent of(String optIn, String optOut) {
        return new HostConsent(Set.copyOf(HostLists.emails(optIn)), Set.copyOf(HostLists.emails(optOut)));
    }

    /** Everyone admitted. */
    public static HostConsent everyone() {
        return new HostConsent(Set.of(), Set.of());
    }

    /** Why this host's recordings are not fetched, or null when they are. */
    public String exclusion(String hostEmail) {
        String email = HostLists.normalize(hostEmail);
        if (!email.isEmpty() && optOut.contains(email)) {
            return "host " + email + " opted out (camelcast.zoom.opt-out)";
        }
        if (!optIn.isEmpty() && !optIn.contains(email)) {
            return email.isEmpty() ? "host unknown (no host_email) and camelcast.zoom.opt-in is set"
                    : "host " + email + " has not opted in (camelcast.zoom.opt-in)";
        }
        return null;
    }

    public boolean isRestricted() {
        return !optIn.isEmpty() || !optOut.isEmpty();
    }
}
