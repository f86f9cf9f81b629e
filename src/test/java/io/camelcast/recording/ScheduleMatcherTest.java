package io.camelcast.recording;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seed's test_buffer_minutes (utils) and test_series_id_from_schedule (downloader). */
class ScheduleMatcherTest {

    static final ZoneId EASTERN = ZoneId.of("US/Eastern");

    static Schedule schedule(String series, ScheduleEvent... events) {
        return new Schedule("123456789", series, "X", List.of(events));
    }

    @Test
    void bufferMinutesAsTheSeed() {
        ZonedDateTime start = ZonedDateTime.now(EASTERN).withHour(15).withMinute(0);
        String day = ScheduleMatcher.dayCode(start.getDayOfWeek());
        Schedule s = schedule("s", new ScheduleEvent(day, "15:00", "Foo"));
        assertEquals("Foo", ScheduleMatcher.match(s, start, 30).orElseThrow().title(), "matches exactly");
        assertTrue(ScheduleMatcher.match(s, start.withHour(16), 30).isEmpty(), "an hour late");
        assertTrue(ScheduleMatcher.match(s, start.withHour(14).withMinute(20), 30).isEmpty(), "40 minutes early, buffer 30");
        assertEquals("Foo", ScheduleMatcher.match(s, start.withHour(14).withMinute(20), 45).orElseThrow().title(), "buffer 45");
    }

    @Test
    void theBufferIsStrictAndSecondsDoNotCount() {
        ZonedDateTime start = ZonedDateTime.of(2026, 11, 17, 10, 30, 59, 0, EASTERN);
        Schedule s = schedule("s", new ScheduleEvent("T", "10:00", "Lecture"));
        assertTrue(ScheduleMatcher.match(s, start, 30).isEmpty(), "exactly 30 minutes is outside a 30 minute buffer");
        assertTrue(ScheduleMatcher.match(s, start.withMinute(29), 30).isPresent(), "29:59 counts as 29 minutes");
        assertTrue(ScheduleMatcher.match(s, start.withDayOfMonth(18), 30).isEmpty(), "Wednesday is not Tuesday");
    }

    /** The seed's test_series_id_from_schedule: GMT start times, schedule times are local (US/Eastern). */
    @Test
    void seriesFromScheduleAsTheSeedsDownloaderTest() {
        String monday = "2019-12-30T10:00:05Z";
        String wednesday = "2020-01-01T16:00:05Z";
        String thursday = "2020-01-02T16:00:05Z";
        String saturday = "2020-01-04T16:00:05Z";
        Object[][] cases = {
                {monday, schedule("monday_good", new ScheduleEvent("M", localHour(monday), "Lecture")), "monday_good"},
                {thursday, schedule("thursday_good", new ScheduleEvent("R", localHour(thursday), "Lecture")), "thursday_good"},
                {thursday, schedule("thursday_bad", new ScheduleEvent("Th", "11:00", "Lecture")), null},
                {saturday, schedule("saturday_good", new ScheduleEvent("S", localHour(saturday), "Lecture")), "saturday_good"},
                {saturday, schedule("saturday_bad", new ScheduleEvent("S", "20:00", "Lecture")), null},
                {wednesday, schedule("multiple_days", new ScheduleEvent("M", localHour(wednesday), "Lecture"),
                        new ScheduleEvent("W", localHour(wednesday), "Lecture")), "multiple_days"},
        };
        for (Object[] c : cases) {
            // the seed patches _created_local with the naive GMT time: the wall clock is compared as is
            ZonedDateTime created = LocalDateTime.ofInstant(Instant.parse((String) c[0]), ZoneId.of("UTC")).atZone(EASTERN);
            Schedule s = (Schedule) c[1];
            Optional<ScheduleEvent> match = ScheduleMatcher.match(s, created, 30);
            assertEquals(c[2], match.map(m -> s.opencastSeriesId()).orElse(null), "case " + c[0] + " " + s.opencastSeriesId());
        }
    }

    /** The seed's local_hour helper: the hour of the timestamp, as "HH:00". */
    static String localHour(String ts) {
        return String.format("%02d:00", Instant.parse(ts).atZone(ZoneId.of("UTC")).getHour());
    }

    @Test
    void dayCodesAreTheSeeds() {
        assertEquals("M", ScheduleMatcher.dayCode(DayOfWeek.MONDAY));
        assertEquals("R", ScheduleMatcher.dayCode(DayOfWeek.THURSDAY));
        assertEquals("S", ScheduleMatcher.dayCode(DayOfWeek.SATURDAY));
        assertEquals("U", ScheduleMatcher.dayCode(DayOfWeek.SUNDAY));
    }
}
