package io.camelcast.logging;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SecretMaskerTest {

    @AfterEach
    void clear() {
        SecretMasker.clearForTests();
    }

    @Test
    void masksEveryOccurrenceLongestFirst() {
        SecretMasker.register(List.of("abcd", "abcdef-secret"));
        assertEquals("token=**** and ****", SecretMasker.mask("token=abcdef-secret and abcd"));
    }

    @Test
    void shortValuesAreNotMaskedSoOrdinaryWordsSurvive() {
        SecretMasker.register(List.of("on"));
        assertEquals("connection on", SecretMasker.mask("connection on"));
    }

    @Test
    void credentialsInsideAMessageBodyAreMaskedByFieldName() {
        String body = "{\"uuid\":\"abc\",\"download_token\":\"eyJh.b\\\"c.d\",\"topic\":\"T\",\"AccessToken\" : \"x1\"}";
        String masked = SecretMasker.maskJson(body);
        org.junit.jupiter.api.Assertions.assertEquals("{\"uuid\":\"abc\",\"download_token\":\"****\",\"topic\":\"T\",\"AccessToken\" : \"****\"}", masked);
    }

    @Test
    void aPasswordThatIsACommonWordIsMaskedWhereItStandsNotInsideNames() {
        SecretMasker.register(List.of("opencast", "CHANGE_ME", "s3cr3t-Key-0123456789"));
        // readable: property names, route URIs, host names and paths that contain the word
        for (String line : List.of("[OverrideProperties] camelcast.opencast.url = http://opencast.example.edu/ingest",
                "Started recording-deliver-ingest (direct://opencast-ingest)", "GET /opencast/info/health",
                "route opencast-request started")) {
            assertEquals(line, SecretMasker.mask(line));
        }
        // masked: where a secret stands
        assertEquals("camelcast.opencast.password = ****", SecretMasker.mask("camelcast.opencast.password = opencast"));
        assertEquals("login failed for admin with ****", SecretMasker.mask("login failed for admin with opencast"));
        assertEquals("password ****, retrying", SecretMasker.mask("password CHANGE_ME, retrying"));
        assertEquals("http://admin:****@oc.example.edu/ingest?x=1", SecretMasker.mask("http://admin:opencast@oc.example.edu/ingest?x=1"));
        assertEquals("https://h/x?apiKey=****&limit=5", SecretMasker.mask("https://h/x?apiKey=abc&limit=5"));
        assertEquals("Authorization: Basic ****", SecretMasker.mask("Authorization: Basic YWRtaW46b3BlbmNhc3Q="));
        assertEquals("Authorization=Bearer ****, next", SecretMasker.mask("Authorization=Bearer eyJhbGciOi.x.y, next"));
        assertEquals("{\"client_secret\": \"****\", \"id\": 1}", SecretMasker.mask("{\"client_secret\": \"zz\", \"id\": 1}"));
        // a strong secret is masked wherever it appears, inside a path too
        assertEquals("POST /hooks/**** failed", SecretMasker.mask("POST /hooks/s3cr3t-Key-0123456789 failed"));
    }
}
