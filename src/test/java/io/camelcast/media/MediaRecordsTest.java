package io.camelcast.media;

import io.camelcast.store.RealRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The media records against a real redis-server (the embedded one), without Camel. */
class MediaRecordsTest {

    @RegisterExtension
    static final RealRedis REDIS = new RealRedis();

    /**
     * The four parallel tasks of an upload finish at the same moment, on four consumers: whatever the order
     * of their reads and writes, the upload ends DONE, and its question is free for the next upload.
     */
    @Test
    void tasksFinishingTogetherLeaveTheUploadDone() throws Exception {
        MediaRecords records = new MediaRecords(REDIS.client(), Clock.systemUTC(), 600, 600);
        ExecutorService pool = Executors.newFixedThreadPool(MediaRecords.PARALLEL.size());
        try {
            for (int i = 0; i < 150; i++) {
                String id = "upload-" + i;
                records.create(id, "mentor", "q" + i, "originals/" + id, MediaRecords.PARALLEL, null);
                assertTrue(records.claim("mentor", "q" + i, id));
                CyclicBarrier together = new CyclicBarrier(MediaRecords.PARALLEL.size());
                List<Future<String>> done = new ArrayList<>();
                for (String task : MediaRecords.PARALLEL) {
                    done.add(pool.submit(() -> {
                        together.await();
                        return records.done(id, task, task, "media/" + id + "/" + task);
                    }));
                }
                long reportedDone = 0;
                for (Future<String> f : done) {
                    reportedDone += MediaRecords.DONE.equals(f.get()) ? 1 : 0;
                }
                assertEquals(MediaRecords.DONE, records.status(records.get(id)), "upload " + id + ": " + records.get(id));
                assertTrue(reportedDone >= 1, "a task saw the upload DONE: " + id);
                assertEquals(null, records.active("mentor", "q" + i), "question of " + id + " released");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedTaskFailsTheUploadWhateverFinishesBesideIt() throws Exception {
        MediaRecords records = new MediaRecords(REDIS.client(), Clock.systemUTC(), 600, 600);
        records.create("upload-f", "mentor", "qf", "originals/upload-f", MediaRecords.PARALLEL, null);
        records.done("upload-f", MediaRecords.WEB, "web", "w");
        assertEquals(MediaRecords.IN_PROGRESS, records.status(records.get("upload-f")));
        assertEquals(MediaRecords.FAILED, records.failed("upload-f", MediaRecords.MOBILE, "ffmpeg exited 1"));
        assertEquals(MediaRecords.FAILED, records.done("upload-f", MediaRecords.THUMBNAIL, "thumbnail", "t"));
        assertEquals(MediaRecords.FAILED, records.status(records.get("upload-f")));
    }
}
