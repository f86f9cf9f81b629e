package io.camelcast.store;

/** A recording.started/paused/resumed/stopped webhook and when it happened (epoch seconds). */
public record RecordingEvent(String event, long timestamp) {
}
