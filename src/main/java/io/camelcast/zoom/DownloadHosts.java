package io.camelcast.zoom;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The hosts recording downloads may come from ({@code camelcast.zoom.download-hosts}: exact names or
 * {@code *.domain}). A webhook's {@code download_url} is checked before anything is queued and again
 * before it is fetched, so a forged or edited message cannot make Camelcast fetch an internal address.
 */
public final class DownloadHosts {

    private final List<String> patterns;

    public DownloadHosts(String list) {
        this.patterns = list == null ? List.of() : Arrays.stream(list.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }

    public boolean allowed(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (RuntimeException e) {
            return false;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null || uri.getRawUserInfo() != null) {
            return false;
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        for (String p : patterns) {
            if (p.startsWith("*.") ? host.endsWith(p.substring(1)) && host.length() > p.length() - 1 : host.equals(p)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return String.join(",", patterns);
    }
}
