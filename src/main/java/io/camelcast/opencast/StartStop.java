package io.camelcast.opencast;

/** A segment's recording start and end (UTC, {@code yyyy-MM-dd'T'HH:mm:ss'Z'}). */
public record StartStop(String start, String stop) {
}
