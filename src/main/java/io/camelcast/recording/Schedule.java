package io.camelcast.recording;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A Zoom meeting's class schedule, in the seed's stored item shape. */
public record Schedule(@JsonProperty("zoom_series_id") String zoomSeriesId,
                       @JsonProperty("opencast_series_id") String opencastSeriesId,
                       @JsonProperty("course_code") String courseCode,
                       @JsonProperty("events") List<ScheduleEvent> events) {
}
