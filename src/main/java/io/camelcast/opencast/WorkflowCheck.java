package io.camelcast.opencast;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What {@code camelcast-opencast-workflows} carries: one recording whose Opencast workflow is being followed.
 * The message itself is the timer: each check that finds the workflow still running puts it back on the queue,
 * delayed by {@code camelcast.opencast.workflow-poll-seconds}, with {@code checks} one higher.
 * {@code ingestedAt} (epoch milliseconds) starts the {@code camelcast.opencast.workflow-give-up-minutes}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkflowCheck(
        @JsonProperty("zip_id") String zipId,
        String uuid,
        @JsonProperty("mediapackage_id") String mediapackageId,
        @JsonProperty("workflow_id") String workflowId,
        String account,
        @JsonProperty("ingested_at") long ingestedAt,
        int checks) {

    WorkflowCheck next() {
        return new WorkflowCheck(zipId, uuid, mediapackageId, workflowId, account, ingestedAt, checks + 1);
    }
}
