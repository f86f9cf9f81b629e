package io.camelcast.media;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.http.Refused;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * {@code POST /media/thumbnail}: the seed's thumbnail.py. Multipart {@code body} = {@code {"mentor"}} and
 * {@code thumbnail} = a PNG or JPEG image, stored at {@code mentor/thumbnails/{mentor}/{yyyyMMddTHHmmssZ}/thumbnail.png|jpg}
 * with its own content type (the seed labelled JPEGs image/png); answers {@code {"data":{"thumbnail": KEY}}}.
 * The seed's GraphQL update of the mentor is not made: Camelcast has no mentor database (the key is the answer).
 */
public final class MentorThumbnails {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final MediaAuth auth;
    private final MediaStorage storage;
    private final Path workDir;
    private final long maxUpload;
    private final Clock clock;

    public MentorThumbnails(MediaAuth auth, MediaStorage storage, Path workDir, long maxUpload, Clock clock) {
        this.auth = auth;
        this.storage = storage;
        this.workDir = workDir;
        this.maxUpload = maxUpload;
        this.clock = clock;
    }

    public String upload(Exchange exchange) throws IOException {
        // refused or failed before the whole body was read: http-errors drops the unread rest (UnreadBody)
        return accept(exchange);
    }

    private String accept(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        MediaAuth.Caller caller = auth.caller(in.getHeader("Authorization", String.class));
        MultipartReader parts = new MultipartReader(MediaIntake.body(exchange), in.getHeader(Exchange.CONTENT_TYPE, String.class));
        String mentor = null;
        Path file = null;
        String type = null;
        try {
            for (MultipartReader.Part p = parts.next(); p != null; p = parts.next()) {
                if ("body".equals(p.name())) {
                    var body = MediaIntake.JSON.readTree(MediaIntake.readLimited(p.body(), MediaIntake.MAX_FIELD_BYTES));
                    if (body == null || !body.isObject()) {
                        throw new Refused(400, "body must be a JSON object");
                    }
                    mentor = MediaIntake.id(body, "mentor");
                    auth.requireEditor(caller, mentor);
                } else if ("thumbnail".equals(p.name()) && file == null) {
                    type = p.contentType() == null ? "" : p.contentType().toLowerCase(java.util.Locale.ROOT);
                    if (!type.equals("image/png") && !type.equals("image/jpeg")) {
                        throw new Refused(400, "only png/jpg images are accepted");
                    }
                    Files.createDirectories(workDir);
                    file = Files.createTempFile(workDir, "thumbnail-", ".part");
                    if (MediaIntake.copyLimited(p.body(), file, maxUpload) == 0) {
                        throw new Refused(400, "the thumbnail part is empty");
                    }
                }
            }
            if (mentor == null || file == null) {
                throw new Refused(400, "missing required form params (body, thumbnail)");
            }
            String key = "mentor/thumbnails/" + mentor + "/" + STAMP.format(clock.instant()) + "/thumbnail."
                    + (type.equals("image/png") ? "png" : "jpg");
            storage.put(file, key, type);
            ObjectNode data = MediaIntake.JSON.createObjectNode();
            data.put("thumbnail", key);
            return MediaIntake.wrap(data);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Refused(400, "body is not JSON");
        } finally {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        }
    }
}
