package io.camelcast.recording;

import io.camelcast.store.RecordingStatus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelcast.logging.SecretMasker;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Called on the way to the dead-letter queue: marks the recording DOWNLOADER_FAILED or UPLOADER_FAILED
 * (the seed's states) with the reason, so {@code GET /status} and {@code camelcast status} say why it
 * stopped. The seed's two reasons for Opencast are kept word for word.
 */
public final class RecordingFailures {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingFailures.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RecordingStatus status;

    public RecordingFailures(RecordingStatus status) {
        this.status = status;
    }

    public void failed(Exchange exchange, String stage) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String zipId;
        try {
            JsonNode body = JSON.readTree(exchange.getMessage().getBody(String.class));
            zipId = body.path("zip_id").asText("");
        } catch (Exception e) {
            zipId = "";
        }
        if (zipId.isEmpty()) {
            return;
        }
        String state = "deliver".equals(stage) ? RecordingStatus.UPLOADER_FAILED : RecordingStatus.DOWNLOADER_FAILED;
        String reason = reason(cause);
        status.set(zipId, state, reason);
        LOG.error("recording failed zip_id={} stage={} state={} reason=\"{}\"", zipId, stage, state, reason);
    }

    static String reason(Throwable cause) {
        if (cause == null) {
            return "unknown";
        }
        String m = SecretMasker.mask(String.valueOf(cause.getMessage()));
        if (m.startsWith("Invalid Opencast series id")) {
            return "Invalid Opencast series id.";
        }
        if (cause instanceof java.net.ConnectException || m.startsWith("Unable to reach Opencast")) {
            return "Unable to reach Opencast.";
        }
        return cause.getClass().getSimpleName() + ": " + m;
    }
}
