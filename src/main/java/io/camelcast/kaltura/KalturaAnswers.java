package io.camelcast.kaltura;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads Kaltura's JSON answers ({@code format=1}) in routes/outside-apis.yaml: an answer whose
 * {@code objectType} is {@code KalturaAPIException} is an error though it came with HTTP 200.
 */
public final class KalturaAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();

    public JsonNode check(InputStream body, String service, String action) throws IOException {
        JsonNode answer;
        try (body) {
            byte[] bytes = body == null ? new byte[0] : body.readAllBytes();
            answer = bytes.length == 0 ? JSON.nullNode() : JSON.readTree(bytes);
        }
        if (answer != null && "KalturaAPIException".equals(answer.path("objectType").asText())) {
            throw KalturaApiException.of(service + "." + action, answer.path("code").asText("UNKNOWN"),
                    answer.path("message").asText(""));
        }
        return answer == null ? JSON.nullNode() : answer;
    }
}
