package io.camelcast.opencast;

/** One staged file of one view, as the upload message lists it. */
public record Segment(String filename, int segmentNum, String recordingStart, String recordingEnd,
                      double ffprobeSeconds, long ffprobeBytes) {
}
