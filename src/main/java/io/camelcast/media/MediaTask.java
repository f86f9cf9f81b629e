package io.camelcast.media;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One task's queue message: the upload it belongs to, the task's name, the video it works from (a key in
 * the media bucket: the original, or the trimmed one) and the trim window for the {@code trim-upload} task.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MediaTask(String id, String task, String mentor, String question, String video, Double start, Double end) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static MediaTask parse(String json) throws JsonProcessingException {
        MediaTask t = JSON.readValue(json, MediaTask.class);
        if (t.id() == null || t.task() == null || t.video() == null) {
            throw new IllegalArgumentException("not a media task message: id, task and video are required");
        }
        return t;
    }

    public String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    MediaTask next(String name, String from) {
        return new MediaTask(id, name, mentor, question, from, null, null);
    }
}
