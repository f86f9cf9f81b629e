package io.camelcast.store;

import java.util.Map;

/** The fields of one item's status record that a step reads and writes (what a target has done so far). */
public interface ItemFields {

    String get(String itemId, String field);

    void put(String itemId, Map<String, String> fields);
}
