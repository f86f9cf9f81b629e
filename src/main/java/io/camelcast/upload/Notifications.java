package io.camelcast.upload;

import io.camelcast.messages.UploadItem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.bunny.BunnyVideos;
import java.time.Clock;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The site notification sent when every target of an upload succeeded (the seed told the Ace Academy site
 * what B2 and Bunny hold): item id, the uploader's metadata, the archive's bucket, key and ETag, Bunny's
 * guid and URLs, size and SHA-256. Signed with {@link NotifySigner} in {@code X-Camelcast-Signature} over
 * {@code X-Camelcast-Timestamp.body}; {@code X-Camelcast-Delivery} is the item id, so a site that sees the
 * same id twice (a crash between its 2xx and our status write) can drop the second.
 */
public final class Notifications {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final UploadItems items;
    private final BunnyVideos bunny;
    private final NotifySigner signer;
    private final Clock clock;

    public Notifications(UploadItems items, BunnyVideos bunny, NotifySigner signer, Clock clock) {
        this.items = items;
        this.bunny = bunny;
        this.signer = signer;
        this.clock = clock;
    }

    /** Body and headers of the notification for the exchange's {@code item}. */
    public void prepare(Exchange exchange) throws JsonProcessingException {
        UploadItem item = exchange.getProperty("item", UploadItem.class);
        Message message = exchange.getMessage();
        String body = body(item);
        long ts = clock.instant().getEpochSecond();
        message.removeHeaders("*", "CamelAwsSqs.*");
        message.setHeader("Content-Type", "application/json");
        message.setHeader("X-Camelcast-Event", "upload.completed");
        message.setHeader("X-Camelcast-Delivery", item.id);
        message.setHeader("X-Camelcast-Timestamp", Long.toString(ts));
        message.setHeader("X-Camelcast-Signature", signer.sign(ts, body));
        message.setHeader("CamelHttpMethod", "POST");
        message.setBody(body);
    }

    String body(UploadItem item) throws JsonProcessingException {
        ObjectNode n = JSON.createObjectNode();
        n.put("event", "upload.completed");
        n.put("id", item.id);
        n.put("source", item.source);
        n.put("filename", item.name);
        n.put("size", item.size);
        String sha = items.get(item.id, "sha256");
        if (sha != null) {
            n.put("sha256", sha);
        }
        n.set("metadata", JSON.valueToTree(item.metadata));
        if (item.targets.contains("archive")) {
            ObjectNode a = n.putObject("archive");
            a.put("bucket", items.get(item.id, "archive.bucket"));
            a.put("key", items.get(item.id, "archive.key"));
            a.put("etag", items.get(item.id, "archive.etag"));
        }
        if (item.targets.contains("bunny")) {
            ObjectNode b = n.putObject("bunny");
            String guid = items.get(item.id, "bunny.guid");
            b.put("guid", guid);
            b.put("library_id", items.get(item.id, "bunny.library-id"));
            bunny.urls(guid).forEach(b::put);
            String encoded = items.get(item.id, "bunny.encoded-at");
            if (encoded != null) {
                b.put("encoded_at", encoded);
            }
        }
        if (item.metadata.containsKey("zip_id")) {
            n.put("zip_id", item.metadata.get("zip_id"));
        }
        n.put("completed_at", clock.instant().toString());
        return JSON.writeValueAsString(n);
    }
}
