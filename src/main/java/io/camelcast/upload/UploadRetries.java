package io.camelcast.upload;

import io.camelcast.messages.UploadItem;

import io.camelcast.logging.SecretMasker;
import io.camelcast.store.StatusStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when an upload's step fails: the seed's staggered retries ({@code camelcast.upload.retry-delays},
 * for example {@code 1m,5m,15m,1h}), each a delayed message on the queue so the other items go on meanwhile;
 * after the last one the dead-letter queue, from which {@code camelcast dlq replay} resumes the item at the
 * failed step with its retries counted afresh. A 4xx that no retry can fix (anything but 408 and 429) and a
 * missing source file go to the dead-letter queue at once.
 */
public final class UploadRetries {

    private static final Logger LOG = LoggerFactory.getLogger(UploadRetries.class);

    private final List<Duration> delays;
    private final StatusStore status;
    private final UploadItems items;
    private final Clock clock;

    public UploadRetries(String delays, StatusStore status, UploadItems items, Clock clock) {
        this.delays = parse(delays);
        this.status = status;
        this.items = items;
        this.clock = clock;
    }

    /**
     * Records the failure on the item's status and decides: {@code retryInSeconds} > 0 (a retry after that
     * delay) or -1 (the dead-letter queue).
     */
    public void failed(UploadItem item, Throwable cause) {
        String step = item.next == null ? "start" : item.next;
        item.attempt++;
        String error = SecretMasker.mask(describe(cause));
        int tries = Integer.parseInt(orZero(items.get(item.id, "tries." + step))) + 1;
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("tries." + step, Integer.toString(tries));
        fields.put("error." + step, error);
        boolean permanent = permanent(cause);
        if (permanent || item.attempt > delays.size()) {
            item.retryInSeconds = -1;
            fields.put("step." + step, UploadItems.FAILED);
            status.put(item.id, fields);
            status.record(item.id, UploadItems.FAILED, step + ": " + error);
            LOG.error("upload failed id={} step={} attempt={} dead_letter=true permanent={}: {}", item.id, step, item.attempt,
                    permanent, error);
            // a replay starts this step's retries afresh
            item.attempt = 0;
            item.notBefore = null;
        } else {
            Duration delay = delays.get(item.attempt - 1);
            item.retryInSeconds = Math.max(1, delay.toSeconds());
            item.notBefore = clock.instant().plus(delay).toString();
            fields.put("step." + step, UploadItems.RETRYING);
            status.put(item.id, fields);
            status.record(item.id, UploadItems.RETRYING, step + " attempt " + item.attempt + " failed, next in "
                    + item.retryInSeconds + " s: " + error);
            LOG.warn("upload retry id={} step={} attempt={}/{} retry_in_s={}: {}", item.id, step, item.attempt, delays.size(),
                    item.retryInSeconds, error);
        }
    }


    static boolean permanent(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof io.camelcast.dlq.PermanentFailure) {
                return true;
            }
            if (t instanceof HttpOperationFailedException h) {
                int code = h.getStatusCode();
                return code >= 400 && code < 500 && code != 408 && code != 429;
            }
            if (t instanceof java.nio.file.NoSuchFileException || t instanceof IllegalArgumentException
                    || t instanceof com.fasterxml.jackson.core.JsonProcessingException) {
                return true;
            }
        }
        return false;
    }

    static String describe(Throwable cause) {
        if (cause instanceof HttpOperationFailedException h) {
            return "HTTP " + h.getStatusCode() + " from " + h.getUri();
        }
        String m = cause.getMessage();
        return cause.getClass().getSimpleName() + (m == null ? "" : ": " + (m.length() > 500 ? m.substring(0, 500) : m));
    }

    /** {@code 60s,5m,15m,1h} (or plain seconds). */
    static List<Duration> parse(String spec) {
        List<Duration> out = new ArrayList<>();
        for (String part : (spec == null ? "" : spec).split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            if (p.isEmpty()) {
                continue;
            }
            try {
                char unit = p.charAt(p.length() - 1);
                long n = Character.isDigit(unit) ? Long.parseLong(p) : Long.parseLong(p.substring(0, p.length() - 1));
                out.add(switch (unit) {
                    case 'h' -> Duration.ofHours(n);
                    case 'm' -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                });
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("camelcast.upload.retry-delays: '" + part.trim() + "' is not a delay like 30s, 5m or 1h");
            }
        }
        return List.copyOf(out);
    }

    private static String orZero(String s) {
        return s == null ? "0" : s;
    }
}
