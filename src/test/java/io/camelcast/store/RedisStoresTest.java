package io.camelcast.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Redis-backed stores against a real redis-server (the embedded one), without Camel. */
class RedisStoresTest {

    @RegisterExtension
    static final RealRedis REDIS = new RealRedis();

    @Test
    void idempotencyKeyIsAddedOnceAndExpires() {
        RedisIdempotentRepository repo = new RedisIdempotentRepository(REDIS.client(), 60);
        assertTrue(repo.add("plumbing:a"));
        assertFalse(repo.add("plumbing:a"), "second add of the same id is refused");
        assertTrue(repo.contains("plumbing:a"));
        long ttl = REDIS.client().ttl("camelcast:idem:plumbing:a");
        assertTrue(ttl > 0 && ttl <= 60, "ttl " + ttl);
        assertTrue(repo.remove("plumbing:a"));
        assertTrue(repo.add("plumbing:a"), "after remove (a failed attempt) it can be processed again");
    }

    @Test
    void statusRecordKeepsStateFieldsAndHistory() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);
        StatusStore status = new StatusStore(REDIS.client(), clock);
        assertNull(status.get("rec-1"));
        status.record("rec-1", "QUEUED");
        status.put("rec-1", Map.of("bytes", "1024"));
        status.record("rec-1", "FAILED", "opencast answered 500");
        Map<String, Object> r = status.get("rec-1");
        assertEquals("FAILED", r.get("state"));
        assertEquals("opencast answered 500", r.get("detail"));
        assertEquals("1024", r.get("bytes"));
        assertEquals("2026-11-24T10:00:00Z", r.get("created"));
        List<?> history = (List<?>) r.get("history");
        assertEquals(2, history.size());
        assertEquals("QUEUED", ((Map<?, ?>) history.get(0)).get("state"));
        assertEquals("FAILED", status.state("rec-1"));
        assertThrows(IllegalArgumentException.class, () -> status.record(" ", "QUEUED"));
    }

    @Test
    void checkpointOnlyMovesForward() {
        CheckpointStore checkpoints = new CheckpointStore(REDIS.client());
        assertNull(checkpoints.get("useractions"));
        assertEquals("20261124100000", checkpoints.advance("useractions", "20261124100000"));
        assertEquals("20261124100000", checkpoints.advance("useractions", "20261124090000"), "never backwards");
        assertEquals("20261124110000", checkpoints.advance("useractions", "20261124110000"));
        assertEquals("20261124110000", checkpoints.get("useractions"));
    }

    @Test
    void outboxForwardsInOrderWithWhatIsLeftOfTheDelay() {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000_000);
        Clock clock = new Clock() {
            public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
            public Clock withZone(java.time.ZoneId zone) { return this; }
            public Instant instant() { return Instant.ofEpochMilli(now.get()); }
        };
        Outbox outbox = new Outbox(REDIS.client(), clock, "test-instance");
        assertFalse(outbox.ready("q"));
        try (var p = REDIS.client().pipelined()) {
            for (int i = 0; i < 12; i++) {
                outbox.push(p, "q", "webhook-" + i, 300);
            }
            outbox.push(p, "q", "on-demand", 0);
            p.sync();
        }
        assertEquals(13, outbox.depth("q"));
        now.addAndGet(100_000); // 100 s in the outbox: 200 s of the 300 are left
        Outbox.Batch first = outbox.next("q");
        assertEquals(10, first.size(), "SQS takes ten per batch");
        assertEquals("webhook-0", first.bodies().get(0));
        assertEquals(200, first.delaySeconds());
        assertEquals(10, outbox.sent("q", first, null));
        Outbox.Batch second = outbox.next("q");
        assertEquals(List.of("webhook-10", "webhook-11"), second.bodies(), "an entry due at another time waits for its own batch");
        outbox.sent("q", second, null);
        Outbox.Batch third = outbox.next("q");
        assertEquals(List.of("on-demand"), third.bodies());
        assertEquals(0, third.delaySeconds());

        // a batch SQS refused in part stays whole, and the forwarder waits before the next try
        var refused = software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse.builder()
                .failed(software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry.builder()
                        .id("0").code("InternalError").message("try again").senderFault(false).build()).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> outbox.sent("q", outbox.next("q"), refused));
        assertTrue(e.getMessage().contains("InternalError"), e.getMessage());
        assertEquals(1, outbox.depth("q"));
        assertFalse(outbox.ready("q"), "backing off after a failure");
        now.addAndGet(1_001);
        assertTrue(outbox.ready("q"));
        outbox.sent("q", outbox.next("q"), null);
        assertEquals(0, outbox.depth("q"));
        assertFalse(outbox.ready("q"));
    }

    @Test
    void outboxHoldsEntriesThatAreNotDueWhileWebhooksKeepArriving() {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(5_000_000);
        Clock clock = new Clock() {
            public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
            public Clock withZone(java.time.ZoneId zone) { return this; }
            public Instant instant() { return Instant.ofEpochMilli(now.get()); }
        };
        // busy = a push within 500 ms; forward when due within 60 s or 3 entries wait
        Outbox outbox = new Outbox(REDIS.client(), clock, 500, 60_000, 3, "test-instance", 10_000);
        try (var p = REDIS.client().pipelined()) {
            outbox.push(p, "held", "webhook-0", 300);
            p.sync();
        }
        assertFalse(outbox.ready("held"), "due in 300 s while the intake is busy: waits");
        now.addAndGet(499);
        assertFalse(outbox.ready("held"));
        now.addAndGet(1);
        assertTrue(outbox.ready("held"), "500 ms without a push: the intake is idle, forward");

        try (var p = REDIS.client().pipelined()) {
            outbox.push(p, "held", "webhook-1", 300);
            p.sync();
        }
        assertFalse(outbox.ready("held"), "busy again");
        now.addAndGet(240_000 - 500); // webhook-0 is now due in 59.5 s
        try (var p = REDIS.client().pipelined()) {
            outbox.push(p, "held", "webhook-2", 300);
            p.sync();
        }
        assertTrue(outbox.ready("held"), "the oldest entry is due within the lead: forward while busy");
        Outbox.Batch batch = outbox.next("held");
        assertEquals(List.of("webhook-0", "webhook-1"), batch.bodies());
        outbox.sent("held", batch, null);
        assertFalse(outbox.ready("held"), "webhook-2 is due in 300 s and the intake is busy");

        try (var p = REDIS.client().pipelined()) {
            outbox.push(p, "held", "webhook-3", 300);
            outbox.push(p, "held", "webhook-4", 300);
            p.sync();
        }
        assertTrue(outbox.ready("held"), "three entries wait: forward while busy so Redis does not fill up");
        outbox.sent("held", outbox.next("held"), null);
        assertEquals(0, outbox.depth("held"));

        try (var p = REDIS.client().pipelined()) {
            outbox.push(p, "held", "on-demand", 0);
            p.sync();
        }
        assertTrue(outbox.ready("held"), "an entry due now is never held");
    }

    @Test
    void aFailedForwardsLogLineSaysUnknownWhenRedisIsDown() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (redis.clients.jedis.UnifiedJedis down = redis.clients.jedis.RedisClient.create(java.net.URI.create("redis://127.0.0.1:" + port))) {
            Outbox outbox = new Outbox(down, Clock.systemUTC(), "test-instance");
            assertThrows(RuntimeException.class, () -> outbox.depth("q"));
            assertEquals("unknown", outbox.depthOrUnknown("q"));
        }
        Outbox up = new Outbox(REDIS.client(), Clock.systemUTC(), "test-instance");
        assertEquals(Long.toString(up.depth("q-log")), up.depthOrUnknown("q-log"));
    }
}
