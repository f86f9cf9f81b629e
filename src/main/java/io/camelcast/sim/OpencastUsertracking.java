package io.camelcast.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.sim.SimServer.Request;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The Opencast simulator's {@code GET /usertracking/actions.json}: registered viewer actions, or ones
 * computed on the fly from a generator so a harvest of 200,000 actions costs no memory. Answers with
 * Opencast's JSON quirks (one action is an object, none is no key).
 */
final class OpencastUsertracking {

    private static final DateTimeFormatter OC_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final Supplier<List<String>> episodeIds;
    private final List<ObjectNode> actions = new CopyOnWriteArrayList<>();
    private volatile ObjectNode generator;

    /** @param episodeIds the mediapackages generated actions are spread over when the generator names none */
    OpencastUsertracking(Supplier<List<String>> episodeIds) {
        this.episodeIds = episodeIds;
    }

    void addActions(ArrayNode list) {
        list.forEach(a -> actions.add((ObjectNode) a));
    }

    int count() {
        return actions.size();
    }

    /** From now on, actions come from {@code {count, start, end, mpids, seed}} instead of the registered ones. */
    void generate(ObjectNode generator) {
        this.generator = generator;
    }

    void clear() {
        actions.clear();
        generator = null;
    }

    void userActions(Request r) throws IOException {
        LocalDateTime start = time(r.query("start"), LocalDateTime.of(1970, 1, 1, 0, 0));
        LocalDateTime end = time(r.query("end"), LocalDateTime.of(2999, 1, 1, 0, 0));
        int limit = Math.max(1, intParam(r.query("limit"), 100));
        int offset = Math.max(0, intParam(r.query("offset"), 0));
        List<ObjectNode> page = new ArrayList<>();
        long total;
        ObjectNode gen = generator;
        if (gen != null) {
            total = generatedPage(gen, start, end, offset, limit, page);
        } else {
            List<ObjectNode> inWindow = actions.stream().filter(a -> {
                LocalDateTime created = LocalDateTime.ofInstant(Instant.parse(a.get("created").asText()), ZoneOffset.UTC);
                return !created.isBefore(start) && !created.isAfter(end);
            }).sorted((a, b) -> a.get("created").asText().compareTo(b.get("created").asText())).toList();
            total = inWindow.size();
            page.addAll(inWindow.subList(Math.min(offset, inWindow.size()), Math.min(inWindow.size(), offset + limit)));
        }
        ObjectNode out = SimServer.JSON.createObjectNode();
        ObjectNode a = out.putObject("actions");
        a.put("total", total);
        a.put("offset", offset);
        a.put("limit", limit);
        // Opencast's JSON quirks: one action is an object, none means no "action" key at all
        if (page.size() == 1) {
            a.set("action", page.get(0));
        } else if (page.size() > 1) {
            ArrayNode arr = a.putArray("action");
            page.forEach(arr::add);
        }
        r.json(200, out);
    }

    /**
     * Actions computed on the fly from {count, start, end, mpids, seed}: action i is a pure function of
     * (seed, i), spread evenly over the generator's window, so 200,000 actions cost no memory.
     */
    private long generatedPage(ObjectNode gen, LocalDateTime from, LocalDateTime to, int offset, int limit, List<ObjectNode> page) {
        long count = gen.path("count").asLong(0);
        Instant gStart = Instant.parse(gen.path("start").asText("2026-01-01T00:00:00Z"));
        Instant gEnd = Instant.parse(gen.path("end").asText("2026-01-02T00:00:00Z"));
        long seed = gen.path("seed").asLong(1);
        List<String> mpids = new ArrayList<>();
        gen.path("mpids").forEach(m -> mpids.add(m.asText()));
        if (mpids.isEmpty()) {
            mpids.addAll(episodeIds.get());
        }
        if (mpids.isEmpty()) {
            mpids.add("mp-generated");
        }
        long span = Math.max(1, gEnd.getEpochSecond() - gStart.getEpochSecond());
        // action i is created at start + floor(i * span / count) seconds: the window [from, to] holds
        // exactly the indices lo..hi-1 below
        long fromSec = from.toEpochSecond(ZoneOffset.UTC) - gStart.getEpochSecond();
        long toSec = to.toEpochSecond(ZoneOffset.UTC) - gStart.getEpochSecond();
        long lo = Math.max(0, Math.min(count, Math.floorDiv(fromSec * count + span - 1, span)));
        long hi = Math.max(0, Math.min(count, Math.floorDiv((toSec + 1) * count + span - 1, span)));
        long total = Math.max(0, hi - lo);
        String[] types = {"FOOTPRINT", "HEARTBEAT", "PLAY", "PAUSE", "SEEK"};
        for (long i = lo + offset; i < hi && page.size() < limit; i++) {
            Random rnd = new Random(seed * 1_000_003L + i);
            ObjectNode a = SimServer.JSON.createObjectNode();
            a.put("id", seed * 10_000_000L + i);
            a.put("mediapackageId", mpids.get((int) (i % mpids.size())));
            a.put("sessionId", "s-" + (i / 20));
            a.put("userId", "user" + rnd.nextInt(500));
            a.put("userIp", "10." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256)
                    + (rnd.nextInt(4) == 0 ? ", 172.16.0." + rnd.nextInt(256) : ""));
            a.put("userAgent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36");
            a.put("type", types[rnd.nextInt(types.length)]);
            int in = rnd.nextInt(3600);
            a.put("inpoint", in);
            a.put("outpoint", in + 30);
            a.put("length", 30);
            a.put("isPlaying", rnd.nextBoolean());
            a.put("created", gStart.plusSeconds(i * span / count).toString());
            page.add(a);
        }
        return total;
    }

    private static LocalDateTime time(String value, LocalDateTime fallback) {
        try {
            return value == null ? fallback : LocalDateTime.parse(value, OC_TIME);
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    private static int intParam(String s, int fallback) {
        try {
            return s == null ? fallback : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
