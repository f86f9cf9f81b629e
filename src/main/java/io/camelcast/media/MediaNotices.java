package io.camelcast.media;

import io.camelcast.logging.SecretMasker;
import io.camelcast.notify.Notifier;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code media.done} (every task done) and {@code media.failed} (a task failed for good, with its reason)
 * through the operations notifier ({@code camelcast.notify.url} / {@code .slack-url}): the event's id is the
 * upload's (the media task's) id, with its mentor and question, and the output keys once done. Telling the
 * operator never fails the media flow: anything going wrong here is logged and dropped.
 */
public final class MediaNotices {

    private static final Logger LOG = LoggerFactory.getLogger(MediaNotices.class);

    private final MediaRecords records;
    private final Notifier notifier;

    public MediaNotices(MediaRecords records, Notifier notifier) {
        this.records = records;
        this.notifier = notifier;
    }

    /** Raises {@code event} ({@code media.done} / {@code media.failed}; null raises nothing) for upload {@code id}. */
    public void raise(String event, String id) {
        if (event == null || event.isBlank() || id == null) {
            return;
        }
        LOG.info("media event={} id={}", event, id);
        if (notifier == null || !notifier.enabled()) {
            return;
        }
        try {
            Map<String, String> record = records.get(id);
            boolean failed = "media.failed".equals(event);
            notifier.raise(event, id, failed ? MediaRecords.FAILED : MediaRecords.DONE, failed ? reason(record) : null,
                    extra(record, failed));
        } catch (RuntimeException e) {
            LOG.warn("media notification not raised event={} id={}: {}", event, id, SecretMasker.mask(String.valueOf(e.getMessage())));
        }
    }

    /** The failed tasks and their reasons, {@code "transcoding-web: <ffmpeg's words>"}, in task order. */
    static String reason(Map<String, String> record) {
        StringBuilder b = new StringBuilder();
        for (String task : record.getOrDefault("tasks", "").split(",")) {
            if (MediaRecords.FAILED.equals(record.get("task." + task))) {
                if (b.length() > 0) {
                    b.append("; ");
                }
                b.append(task).append(": ").append(record.getOrDefault("task." + task + ".error", "failed"));
            }
        }
        return b.length() == 0 ? "failed" : b.toString();
    }

    static Map<String, Object> extra(Map<String, String> record, boolean failed) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("mentor", record.get("mentor"));
        extra.put("question", record.get("question"));
        if (!failed) {
            Map<String, String> outputs = new LinkedHashMap<>();
            record.forEach((k, v) -> {
                if (k.startsWith("output.")) {
                    outputs.put(k.substring("output.".length()), v);
                }
            });
            extra.put("outputs", outputs);
        }
        return extra;
    }
}
