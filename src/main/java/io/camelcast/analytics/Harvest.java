package io.camelcast.analytics;

import java.time.Instant;

/** One user-action harvest run: its window, where paging is, and what was delivered. */
public final class Harvest {

    private final String start;
    private final String end;
    private final int batchSize;
    private final long waitMillis;
    private final boolean moveCheckpoint;
    private int offset;
    private boolean more = true;
    private long actions;
    private long pages;
    private long delivered;
    private long missingEpisodes;
    private boolean ordered = true;
    private Instant lastCreated;
    private Instant pageLast;
    private final long startedNanos = System.nanoTime();
    /** Pages handed to the delivery route and not yet accepted by the sink. */
    private final java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(2);
    private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Throwable failure;

    Harvest(String start, String end, int batchSize, long waitMillis, boolean moveCheckpoint) {
        this.start = start;
        this.end = end;
        this.batchSize = batchSize;
        this.waitMillis = waitMillis;
        this.moveCheckpoint = moveCheckpoint;
    }

    public String getStart() {
        return start;
    }

    public String getEnd() {
        return end;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public int getOffset() {
        return offset;
    }

    public boolean isMore() {
        return more && failure == null;
    }

    /** The delivery side: a page is handed over (blocks while two are already waiting). */
    void handOver() throws InterruptedException {
        inFlight.acquire();
        pending.incrementAndGet();
    }

    void handedBack() {
        pending.decrementAndGet();
        inFlight.release();
    }

    void fail(Throwable t) {
        failure = t;
        handedBack();
    }

    Throwable failure() {
        return failure;
    }

    /** Waits until every handed-over page was delivered (or one failed). */
    void awaitDelivered() throws InterruptedException {
        inFlight.acquire(2);
        inFlight.release(2);
    }

    public long getWaitMillis() {
        return more ? waitMillis : 0;
    }

    public long getActions() {
        return actions;
    }

    public long getDelivered() {
        return delivered;
    }

    boolean moveCheckpoint() {
        return moveCheckpoint;
    }

    void page(int size, Instant first, Instant last) {
        if (size == 0) {
            more = false;
            return;
        }
        pages++;
        actions += size;
        offset += batchSize;
        // the checkpoint may follow page by page only while Opencast returns actions in time order
        if (lastCreated != null && first.isBefore(lastCreated)) {
            ordered = false;
        }
        pageLast = last;
    }

    void delivered(int size, long missing) {
        delivered += size;
        missingEpisodes += missing;
        if (pageLast != null && (lastCreated == null || pageLast.isAfter(lastCreated))) {
            lastCreated = pageLast;
        }
    }

    boolean ordered() {
        return ordered;
    }

    Instant lastCreated() {
        return lastCreated;
    }

    long pages() {
        return pages;
    }

    long missingEpisodes() {
        return missingEpisodes;
    }

    long millis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
