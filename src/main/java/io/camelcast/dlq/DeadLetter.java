package io.camelcast.dlq;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * What a dead-letter queue holds: the original message (body and headers as the failed step received
 * them) with where it came from and why it failed, so {@code camelcast dlq replay} can send it back
 * to {@code queue} unchanged.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetter(
        String id,
        String queue,
        String route,
        String endpoint,
        String exception,
        String failedAt,
        int attempts,
        Map<String, String> headers,
        String body) {
}
