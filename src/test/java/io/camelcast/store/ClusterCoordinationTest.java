package io.camelcast.store;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several instances on one Redis (the real embedded redis-server), without Camel: the outbox forwarders,
 * work claims with heartbeats, and the scheduled harvests' tick lease.
 */
class ClusterCoordinationTest {

    @RegisterExtension
    static final RealRedis REDIS = new RealRedis();

    /**
     * Issue 24's defect, as it happened: both instances' forwarders read the first ten entries, both sent
     * them, and each trimmed ten, so ten were sent twice and the next ten never. Three forwarders now drain one
     * outbox concurrently: every entry reaches SQS exactly once.
     */
    @Test
    void threeForwardersOnOneOutboxSendEveryEntryExactlyOnce() throws Exception {
        int entries = 600;
        try (var p = REDIS.client().pipelined()) {
            Outbox pusher = new Outbox(REDIS.client(), Clock.systemUTC(), "pusher");
            for (int i = 0; i < entries; i++) {
                pusher.push(p, "shared", "recording-" + i, 0);
            }
            p.sync();
        }
        Map<String, Integer> sent = new ConcurrentHashMap<>();
        AtomicInteger forwardedBy = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        CountDownLatch go = new CountDownLatch(1);
        List<java.util.concurrent.Future<Integer>> runs = new ArrayList<>();
        for (String instance : List.of("a", "b", "c")) {
            Outbox outbox = new Outbox(REDIS.client(), Clock.systemUTC(), 0, 0, 0, instance, 2_000);
            runs.add(pool.submit(() -> {
                go.await();
                int mine = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (outbox.depth("shared") > 0 && System.nanoTime() < deadline) {
                    if (!outbox.ready("shared")) {
                        Thread.sleep(1);
                        continue;
                    }
                    Outbox.Batch batch = outbox.next("shared");
                    batch.bodies().forEach(b -> sent.merge(b, 1, Integer::sum)); // SQS accepted the batch
                    mine += outbox.sent("shared", batch, null);
                }
                return mine;
            }));
        }
        go.countDown();
        for (var run : runs) {
            if (run.get(30, TimeUnit.SECONDS) > 0) {
                forwardedBy.incrementAndGet();
            }
        }
        pool.shutdownNow();
        assertEquals(0, REDIS.client().llen(Outbox.key("shared")), "the outbox is drained");
        assertEquals(entries, sent.size(), "every entry was sent");
        Map<String, Integer> twice = new TreeMap<>();
        sent.forEach((body, n) -> {
            if (n != 1) {
                twice.put(body, n);
            }
        });
        assertEquals(Map.of(), twice, "no entry was sent twice");
        assertEquals(1, forwardedBy.get(), "one forwarder holds the lease while it lives");
    }

    @Test
    void aForwarderRemovesOnlyWhatItSentAndTheLeasePassesWhenItsHolderStops() throws Exception {
        Outbox a = new Outbox(REDIS.client(), Clock.systemUTC(), 0, 0, 0, "a", 300);
        Outbox b = new Outbox(REDIS.client(), Clock.systemUTC(), 0, 0, 0, "b", 300);
        try (var p = REDIS.client().pipelined()) {
            for (int i = 0; i < 15; i++) {
                a.push(p, "q", "r" + i, 0);
            }
            p.sync();
        }
        assertTrue(a.ready("q"));
        assertFalse(b.ready("q"), "a holds the lease");
        Outbox.Batch batch = a.next("q");
        // meanwhile the first three went elsewhere (a forwarder that lost its lease in a long pause)
        for (int i = 0; i < 3; i++) {
            REDIS.client().lpop(Outbox.key("q"));
        }
        a.sent("q", batch, null);
        assertEquals(List.of("r10", "r11", "r12", "r13", "r14"), a.next("q").bodies(), "nothing a did not send was removed");

        Thread.sleep(400); // a stops looking: its lease runs out
        assertTrue(b.ready("q"), "b takes the lease over");
        assertFalse(a.ready("q"));
    }

    @Test
    void aClaimIsOneOwnersUntilItsInstanceStopsBeating() throws Exception {
        Instances one = new Instances(REDIS.client(), "one", 1_000);
        Instances two = new Instances(REDIS.client(), "two", 1_000);
        one.beat();
        two.beat();
        WorkClaims onOne = new WorkClaims(REDIS.client(), one, 60_000);
        WorkClaims onTwo = new WorkClaims(REDIS.client(), two, 60_000);

        assertTrue(onOne.claim("fetch", "z1", "t1").owned());
        assertTrue(onOne.claim("fetch", "z1", "t1").owned(), "a redelivery of the same delivery keeps its claim");
        assertFalse(onOne.claim("fetch", "z1", "t2").owned(), "a second copy on the same instance waits");
        WorkClaims.Claim busy = onTwo.claim("fetch", "z1", "t3");
        assertFalse(busy.owned());
        assertEquals("one", busy.holderInstance());

        onTwo.release("fetch", "z1", "t3");
        assertEquals("one/t1", onOne.holder("fetch", "z1"), "only the owner releases");
        onOne.done("fetch", "z1", "t1", 60);
        assertTrue(onTwo.isDone("fetch", "z1"));
        assertEquals(null, onOne.holder("fetch", "z1"));

        assertTrue(onOne.claim("upload", "u1", "t1").owned());
        Thread.sleep(1_200); // "one" is killed: no beat
        two.beat();
        WorkClaims.Claim taken = onTwo.claim("upload", "u1", "t9");
        assertTrue(taken.owned() && taken.takenOver(), "a dead instance's claim is taken over");
        one.beat(); // it comes back (a long pause): the claim is no longer its own
        assertFalse(onOne.claim("upload", "u1", "t1").owned());
        two.leave();
        assertFalse(one.alive("two"), "an instance that stops cleanly is gone at once");
    }

    @Test
    void aScheduledTickRunsOnOneInstanceAndARunningHarvestIsNotOverlapped() {
        List<HarvestLease> cluster = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            Instances instance = new Instances(REDIS.client(), name, 10_000);
            instance.beat();
            cluster.add(new HarvestLease(REDIS.client(), new WorkClaims(REDIS.client(), instance, 60_000), 86_400));
        }
        Date tick = new Date(1_800_000_000_000L);
        int runs = 0;
        for (HarvestLease lease : cluster) {
            runs += lease.acquire("useractions", tick) ? 1 : 0;
        }
        assertEquals(1, runs, "one instance runs the tick");
        // the next tick fires while that run goes on: nobody starts a second run
        Date next = new Date(tick.getTime() + 120_000);
        int overlapping = 0;
        for (HarvestLease lease : cluster) {
            overlapping += lease.acquire("useractions", next) ? 1 : 0;
        }
        assertEquals(0, overlapping);
        cluster.forEach(l -> l.release("useractions"));
        Date third = new Date(next.getTime() + 120_000);
        int after = 0;
        for (HarvestLease lease : cluster) {
            after += lease.acquire("useractions", third) ? 1 : 0;
        }
        assertEquals(1, after, "the run is over: the next tick runs again, once");
        assertTrue(cluster.get(0).acquire("zoom", tick), "each harvest has its own ticks");
    }
}
