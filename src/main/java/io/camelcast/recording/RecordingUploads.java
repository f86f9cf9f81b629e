package io.camelcast.recording;

import io.camelcast.messages.UploadItem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A staged recording handed to the upload flow (archive, Bunny Stream): the upload-queue items it makes. The
 * recording flow builds them from what it staged; the upload flow takes them as any other upload item.
 */
public final class RecordingUploads {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingUploads.class);

    private final String stagingBucket;
    private final List<String> zoomViews;
    private final Clock clock;

    public RecordingUploads(String stagingBucket, List<String> zoomViews, Clock clock) {
        this.stagingBucket = stagingBucket;
        this.zoomViews = zoomViews;
        this.clock = clock;
    }

    /**
     * A staged Zoom recording for the archive and Bunny: one item per MP4 segment of the recording's first
     * view in {@code camelcast.upload.zoom-views} order (the seed archived one video per recording). Its id
     * is derived from the recording and segment, so a redelivered fetch makes the same items.
     */
    public List<UploadItem> items(Download d) {
        List<StagedFile> mp4 = d.getStaged().stream().filter(f -> f.key().endsWith(".mp4")).toList();
        String view = null;
        for (String v : zoomViews) {
            if (mp4.stream().anyMatch(f -> v.equals(f.view()))) {
                view = v;
                break;
            }
        }
        if (view == null && !mp4.isEmpty()) {
            view = mp4.get(0).view();
        }
        List<UploadItem> out = new ArrayList<>();
        for (StagedFile f : mp4) {
            if (!f.view().equals(view)) {
                continue;
            }
            UploadItem item = new UploadItem();
            item.id = "zoom" + sha256Hex(d.getZipId() + "/" + f.segment()).substring(0, 28);
            item.source = "zoom-upload";
            item.bucket = stagingBucket;
            item.key = f.key();
            item.size = f.bytes();
            item.sha256 = f.sha256();
            item.name = f.key().substring(f.key().lastIndexOf('/') + 1);
            item.metadata.put("zip_id", d.getZipId());
            item.metadata.put("meeting_uuid", d.getUuid());
            item.metadata.put("title", d.getMessage().topic());
            item.metadata.put("start_time", d.getMessage().startTime());
            item.metadata.put("host_id", d.getMessage().hostId());
            item.metadata.put("view", view);
            item.metadata.put("segment", Integer.toString(f.segment()));
            item.metadata.put("filetype", "video/mp4");
            // all the recording's targets: "opencast" has no step here, but keeps its staged files from cleanup
            item.targets = new ArrayList<>(d.getTargets());
            item.received = clock.instant().toString();
            out.add(item);
        }
        LOG.info("recording to uploads zip_id={} items={} view={}", d.getZipId(), out.size(), view);
        return out;
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
