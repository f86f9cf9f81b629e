package io.camelcast.media;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.camelcast.logging.SecretMasker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task consumers' bean (routes/media.yaml): one task of one upload, from the media bucket through
 * ffmpeg (and the transcriber) back into the bucket, with its status in {@link MediaRecords}. Work happens in
 * a directory of its own under {@code camelcast.media.work-dir}, removed afterwards whatever happened.
 * A message for a task already DONE (a redelivery) does nothing.
 */
public final class MediaTasks {

    private static final Logger LOG = LoggerFactory.getLogger(MediaTasks.class);

    /** What a task run leaves for the route: the messages of the tasks that follow and the event to send. */
    public static final class Outcome {
        private final String id;
        private final List<String> next;
        private final String event;

        Outcome(String id, List<String> next, String event) {
            this.id = id;
            this.next = next;
            this.event = event;
        }

        public String getId() {
            return id;
        }

        public List<String> getNext() {
            return next;
        }

        /** {@code media.done} / {@code media.failed} the first time the upload reaches it, else null. */
        public String getEvent() {
            return event;
        }
    }

    private final MediaRecords records;
    private final MediaStorage storage;
    private final Ffmpeg ffmpeg;
    private final Renditions renditions;
    private final Transcriber transcriber;
    private final Path workDir;
    private final Map<String, String> queues;
    private final LocalOriginals originals;

    public MediaTasks(MediaRecords records, MediaStorage storage, Ffmpeg ffmpeg, Renditions renditions, Transcriber transcriber,
            Path workDir, Map<String, String> queues) {
        this.originals = new LocalOriginals(storage, ffmpeg, workDir.resolve("originals"));
        this.records = records;
        this.storage = storage;
        this.ffmpeg = ffmpeg;
        this.renditions = renditions;
        this.transcriber = transcriber;
        this.workDir = workDir;
        this.queues = queues;
    }

    /** The upload a task message belongs to (for the log), or null. */
    public String idOf(String json) {
        try {
            return MediaTask.parse(json).id();
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The queue a task message goes to. */
    public String queueOf(String json) throws JsonProcessingException {
        String q = queues.get(MediaTask.parse(json).task());
        if (q == null) {
            throw new IllegalArgumentException("no queue for task " + MediaTask.parse(json).task());
        }
        return q;
    }

    public Outcome run(String json) throws IOException {
        MediaTask t = MediaTask.parse(json);
        Map<String, String> record = records.get(t.id());
        if (record.isEmpty()) {
            throw new IllegalArgumentException("unknown media upload " + t.id());
        }
        if (MediaRecords.DONE.equals(record.get("task." + t.task()))) {
            LOG.info("media task already done id={} task={}", t.id(), t.task());
            return new Outcome(t.id(), List.of(), null);
        }
        int attempt = records.started(t.id(), t.task());
        LOG.info("media task started id={} task={} attempt={}", t.id(), t.task(), attempt);
        Files.createDirectories(workDir);
        Path dir = Files.createTempDirectory(workDir, t.id() + "-" + t.task() + "-");
        try (LocalOriginals.Held original = originals.get(t.video())) {
            Path input = original.file();
            Ffmpeg.Probe probe = original.probe();
            String prefix = prefixOf(t.video());
            String status;
            List<String> next = new ArrayList<>();
            switch (t.task()) {
                case MediaRecords.TRIM -> {
                    requireVideo(probe);
                    if (t.start() == null || t.end() == null) {
                        throw new IllegalArgumentException("trim-upload needs start and end");
                    }
                    Path out = dir.resolve("trimmed.mp4");
                    ffmpeg.run(renditions.trim(input, probe.width(), probe.height(), t.start(), t.end(), out));
                    String key = prefix + "trimmed.mp4";
                    storage.put(out, key, "video/mp4");
                    status = records.done(t.id(), t.task(), "trimmed", key);
                    for (String task : MediaRecords.PARALLEL) {
                        next.add(t.next(task, key).json());
                    }
                }
                case MediaRecords.WEB -> {
                    requireVideo(probe);
                    Path out = dir.resolve("web.mp4");
                    ffmpeg.run(renditions.web(input, probe.width(), probe.height(), out));
                    storage.put(out, prefix + "web.mp4", "video/mp4");
                    status = records.done(t.id(), t.task(), "web", prefix + "web.mp4");
                }
                case MediaRecords.MOBILE -> {
                    requireVideo(probe);
                    Path out = dir.resolve("mobile.mp4");
                    ffmpeg.run(renditions.mobile(input, probe.width(), probe.height(), out));
                    storage.put(out, prefix + "mobile.mp4", "video/mp4");
                    status = records.done(t.id(), t.task(), "mobile", prefix + "mobile.mp4");
                }
                case MediaRecords.THUMBNAIL -> {
                    requireVideo(probe);
                    Path out = dir.resolve("thumbnail.jpg");
                    ffmpeg.run(renditions.thumbnail(input, probe.seconds(), out));
                    if (!Files.exists(out) || Files.size(out) == 0) {
                        throw new Ffmpeg.Failed("ffmpeg wrote no thumbnail frame");
                    }
                    storage.put(out, prefix + "thumbnail.jpg", "image/jpeg");
                    status = records.done(t.id(), t.task(), "thumbnail", prefix + "thumbnail.jpg");
                }
                case MediaRecords.TRANSCRIBE -> {
                    String vtt;
                    if (probe.audio()) {
                        Path wav = dir.resolve("audio.wav");
                        ffmpeg.run(renditions.audio(input, wav));
                        vtt = transcriber.transcribe(wav);
                    } else {
                        vtt = Transcriber.EMPTY;
                    }
                    Path out = dir.resolve("en.vtt");
                    Files.writeString(out, vtt, StandardCharsets.UTF_8);
                    storage.put(out, prefix + "en.vtt", "text/vtt");
                    status = records.done(t.id(), t.task(), "transcript", prefix + "en.vtt");
                }
                default -> throw new IllegalArgumentException("unknown media task " + t.task());
            }
            LOG.info("media task done id={} task={} upload={}", t.id(), t.task(), status);
            releaseIfOver(prefix, status);
            return new Outcome(t.id(), next, event(t.id(), status));
        } catch (RuntimeException | IOException e) {
            if (e instanceof Ffmpeg.Stopped || Thread.currentThread().isInterrupted()) {
                // stopped with the runtime: back to QUEUED, the message stays on its queue for the next start
                records.requeued(t.id(), t.task());
                LOG.warn("media task stopped id={} task={}: left on its queue", t.id(), t.task());
                throw e instanceof Ffmpeg.Stopped s ? s : new Ffmpeg.Stopped("stopped: " + e.getMessage());
            }
            throw e;
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * After the last try (or at once when no retry can help): the task and the upload are FAILED with the
     * reason; returns the event to send ({@code media.failed} once per upload), or null.
     */
    public String failed(String json, Throwable cause) {
        MediaTask t;
        try {
            t = MediaTask.parse(json);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return null;
        }
        if (records.get(t.id()).isEmpty()) {
            return null;
        }
        // the bean's own exception, not Camel's wrappers around it
        while (cause != null && cause.getCause() != null && cause.getClass().getName().startsWith("org.apache.camel")) {
            cause = cause.getCause();
        }
        String reason = cause == null ? "failed" : SecretMasker.mask(cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getMessage());
        String status = records.failed(t.id(), t.task(), reason);
        LOG.warn("media task failed id={} task={} reason=\"{}\"", t.id(), t.task(), reason);
        if (t.video() != null) {
            releaseIfOver(prefixOf(t.video()), status);
        }
        return event(t.id(), status);
    }

    /**
     * Whenever a task ends and the upload is over, not only the first time: a sibling that was still running,
     * or tried again after the end, has fetched the video again and lets it go only now.
     */
    private void releaseIfOver(String prefix, String status) {
        if (MediaRecords.DONE.equals(status) || MediaRecords.FAILED.equals(status)) {
            originals.release(prefix);
        }
    }

    private String event(String id, String status) {
        if ((MediaRecords.DONE.equals(status) || MediaRecords.FAILED.equals(status)) && records.firstToReport(id, status)) {
            return MediaRecords.DONE.equals(status) ? "media.done" : "media.failed";
        }
        return null;
    }

    /** The upload's folder in the bucket: its original, the trimmed video and the outputs. */
    private static String prefixOf(String video) {
        return video.substring(0, video.lastIndexOf('/') + 1);
    }

    private static void requireVideo(Ffmpeg.Probe probe) {
        if (!probe.video()) {
            throw new Ffmpeg.Unreadable("ffprobe: the upload has no video stream");
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", dir, e.getMessage());
        }
    }
}
