package io.camelcast.analytics;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One document for the analytics sink: its index, its id (upserts on re-harvest) and its source. */
public record AnalyticsDoc(String index, String id, ObjectNode source) {
}
