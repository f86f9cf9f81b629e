package io.camelcast.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelcast.http.Refused;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user-action harvest's bookkeeping (the seed's {@code useractions} command): the window
 * ({@code --start}/{@code --end}, else the checkpoint, else now − interval), the span guard on the whole
 * duration (the seed compared only the seconds part of a timedelta, so a window of days passed), the
 * pages, and the checkpoint, which moves only over actions the sink accepted: page by page while
 * Opencast returns them in time order, otherwise once the whole window is delivered. A failed run leaves
 * it where it was; the next run re-harvests and the documents' ids make that an upsert.
 */
public final class UserActionHarvest {

    private static final Logger LOG = LoggerFactory.getLogger(UserActionHarvest.class);
    static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Checkpoints checkpoints;
    private final Clock clock;
    private final ZoneId zone;
    private final long maxSpanSeconds;
    private final int defaultInterval;
    private final int defaultBatch;
    private final long defaultWaitMillis;

    public UserActionHarvest(Checkpoints checkpoints, Clock clock, ZoneId zone, long maxSpanSeconds, int defaultIntervalMinutes,
                             int defaultBatch, long defaultWaitMillis) {
        this.checkpoints = checkpoints;
        this.clock = clock;
        this.zone = zone;
        this.maxSpanSeconds = maxSpanSeconds;
        this.defaultInterval = defaultIntervalMinutes;
        this.defaultBatch = defaultBatch;
        this.defaultWaitMillis = defaultWaitMillis;
    }

    /** Options as the CLI and the scheduler pass them (headers; any may be null). */
    public Harvest begin(String start, String end, Integer intervalMinutes, Integer batchSize, Long waitMillis,
                         Boolean force, Boolean noCheckpoint) {
        String e = end == null || end.isBlank() ? TS.format(LocalDateTime.now(clock.withZone(zone))) : check("--end", end);
        String s = start;
        if (s == null || s.isBlank()) {
            s = checkpoints.get();
        } else {
            check("--start", s);
        }
        if (s == null || s.isBlank()) {
            s = TS.format(LocalDateTime.now(clock.withZone(zone)).minusMinutes(intervalMinutes == null ? defaultInterval : intervalMinutes));
        }
        long span = Duration.between(LocalDateTime.parse(s, TS), LocalDateTime.parse(e, TS)).toSeconds();
        if (span < 0) {
            throw new Refused(400, "the window ends before it starts: " + s + " > " + e);
        }
        if (maxSpanSeconds > 0 && span > maxSpanSeconds && !Boolean.TRUE.equals(force)) {
            throw new Refused(400, "the window " + s + " to " + e + " spans " + span + " s, more than camelcast.useractions.max-span ("
                    + maxSpanSeconds + " s, MAX_START_END_SPAN). Harvest it in smaller --start/--end pieces, or pass --force.");
        }
        int batch = batchSize == null || batchSize <= 0 ? defaultBatch : batchSize;
        Harvest h = new Harvest(s, e, batch, waitMillis == null ? defaultWaitMillis : waitMillis,
                !Boolean.TRUE.equals(noCheckpoint) && (start == null || start.isBlank()));
        LOG.info("useractions harvest start={} end={} span_s={} batch={} checkpoint={}", s, e, span, batch,
                h.moveCheckpoint() ? "moves" : "kept");
        return h;
    }

    /** One page of {@code actions.json}: a list, one object, or no {@code action} key at all (none). */
    public List<JsonNode> page(Harvest h, String body) throws IOException {
        JsonNode action = JSON.readTree(body).path("actions").path("action");
        List<JsonNode> actions = new ArrayList<>();
        if (action.isArray()) {
            action.forEach(actions::add);
        } else if (action.isObject()) {
            actions.add(action);
        }
        Instant first = null;
        Instant last = null;
        for (JsonNode a : actions) {
            Instant c = UserActionDocs.created(a);
            first = first == null ? c : first;
            last = c;
        }
        h.page(actions.size(), first, last);
        if (!actions.isEmpty()) {
            LOG.info("useractions page offset={} actions={} window={}..{}", h.getOffset() - h.getBatchSize(), actions.size(),
                    h.getStart(), h.getEnd());
        }
        return actions;
    }

    /**
     * Hands a page's documents to the delivery route (which runs beside the paging, one page at a time, in
     * order): the next page is fetched and enriched while this one is indexed. Blocks while two pages wait.
     */
    public void handOver(Harvest h) throws InterruptedException {
        if (h.failure() != null) {
            return;
        }
        h.handOver();
    }

    /** A failing run waits for the pages it handed over, so its checkpoint is final when it reports. */
    public void settle(Harvest h) throws InterruptedException {
        if (h != null) {
            h.awaitDelivered();
        }
    }

    /** The delivery route failed for good: paging stops and the run fails (the checkpoint stays on delivered pages). */
    public void deliveryFailed(Harvest h, Exception e) {
        LOG.warn("useractions delivery failed: {}", e == null ? "unknown" : e.getMessage());
        h.fail(e == null ? new IllegalStateException("delivery failed") : e);
    }

    /** After the sink accepted a page: counts, and the checkpoint while pages come in time order. */
    public void delivered(Harvest h, List<AnalyticsDoc> docs) {
        try {
            accept(h, docs);
        } finally {
            h.handedBack();
        }
    }

    private void accept(Harvest h, List<AnalyticsDoc> docs) {
        long missing = docs.stream().filter(d -> d.source().path("episode_missing").asBoolean(false)).count();
        h.delivered(docs.size(), missing);
        if (h.moveCheckpoint() && h.ordered() && h.lastCreated() != null) {
            checkpoints.advance(TS.format(LocalDateTime.ofInstant(h.lastCreated(), zone)));
        }
    }

    /** The run is complete: the checkpoint goes to the last action delivered (or the window's end when there were none). */
    public Map<String, Object> finish(Harvest h) throws Exception {
        h.awaitDelivered();
        if (h.failure() != null) {
            throw h.failure() instanceof Exception e ? e : new IllegalStateException(h.failure());
        }
        if (h.moveCheckpoint()) {
            checkpoints.advance(h.lastCreated() == null ? h.getEnd() : TS.format(LocalDateTime.ofInstant(h.lastCreated(), zone)));
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("start", h.getStart());
        summary.put("end", h.getEnd());
        summary.put("actions", h.getActions());
        summary.put("delivered", h.getDelivered());
        summary.put("pages", h.pages());
        summary.put("missing_episodes", h.missingEpisodes());
        summary.put("ms", h.millis());
        summary.put("checkpoint", checkpoints.get());
        LOG.info("useractions harvest done start={} end={} actions={} delivered={} pages={} missing_episodes={} ms={} checkpoint={}",
                h.getStart(), h.getEnd(), h.getActions(), h.getDelivered(), h.pages(), h.missingEpisodes(), h.millis(),
                summary.get("checkpoint"));
        return summary;
    }

    private static String check(String option, String ts) {
        try {
            LocalDateTime.parse(ts, TS);
            return ts;
        } catch (DateTimeParseException e) {
            throw new Refused(400, option + " must be YYYYMMDDHHmmss, got '" + ts + "'");
        }
    }
}
