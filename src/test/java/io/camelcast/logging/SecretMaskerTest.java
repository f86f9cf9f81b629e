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
}
