package io.camelcast.recording;

/** One weekly slot of a course: day code (M T W R F S U), local start time (H:MM), title (Lecture, Section...). */
public record ScheduleEvent(String day, String time, String title) {
}
