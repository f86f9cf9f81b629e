package io.camelcast.messages;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What {@code camelcast-zoom-cleanup} carries from the Opencast workflow tracking to the Zoom clean-up
 * ({@code camelcast.zoom.after-ingest}): a recording whose Opencast workflow succeeded. {@code uuid} is the
 * Zoom meeting instance's uuid as Zoom's webhook carried it; {@code account} names the Zoom account the
 * recording came from (null: the single-account settings).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PublishedRecording(
        @JsonProperty("zip_id") String zipId,
        String uuid,
        @JsonProperty("mediapackage_id") String mediapackageId,
        @JsonProperty("workflow_id") String workflowId,
        String account) {
}
