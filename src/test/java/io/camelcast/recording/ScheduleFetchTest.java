package io.camelcast.recording;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** How the schedule's URL is shown (logs, schedule list, status): never its key. ScheduleUrlFlowTest runs the fetch. */
class ScheduleFetchTest {

    @Test
    void aGoogleSheetsExportUrlLosesItsQueryAndItsLongIds() {
        String export = "https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefgh/export?format=csv&gid=0";
        assertEquals("https://docs.google.com/spreadsheets/d/1AbC…/export?****", ScheduleFetch.masked(export));
        String published = "https://docs.google.com/spreadsheets/d/e/2PACX-1vQx9sEcReTkEy0123456789abcdefghijklmnop/pub?output=csv";
        assertEquals("https://docs.google.com/spreadsheets/d/e/2PAC…/pub?****", ScheduleFetch.masked(published));
    }

    @Test
    void userInfoAndPortsAreHandled() {
        String masked = ScheduleFetch.masked("https://reader:s3cret@sheets.example.edu:8443/schedule.csv?token=abc");
        assertEquals("https://sheets.example.edu:8443/schedule.csv?****", masked);
        assertFalse(masked.contains("s3cret"));
        assertEquals("http://127.0.0.1:8080/schedule.csv", ScheduleFetch.masked("http://127.0.0.1:8080/schedule.csv"));
        assertEquals("(an unreadable URL)", ScheduleFetch.masked("not a url with spaces"));
    }
}
