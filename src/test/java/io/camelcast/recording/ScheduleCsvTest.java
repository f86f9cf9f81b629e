package io.camelcast.recording;

import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seed's tests/test_utils_gsheets.py, on the seed's own CSV fixtures. */
class ScheduleCsvTest {

    static ScheduleCsv.ScheduleImport parse(String fixture) throws Exception {
        try (Reader r = new InputStreamReader(ScheduleCsvTest.class.getResourceAsStream("/schedule/" + fixture),
                StandardCharsets.UTF_8)) {
            return ScheduleCsv.parse(r);
        }
    }

    static ScheduleEvent ev(String day, String time, String title) {
        return new ScheduleEvent(day, time, title);
    }

    @Test
    void schedule1ParsesAsTheSeedDoes() throws Exception {
        Map<String, Schedule> expected = new java.util.LinkedHashMap<>();
        expected.put("0123456789", new Schedule("0123456789", "20210112345", "BIOS E-18A", List.of(ev("T", "20:10", "Section"))));
        expected.put("9876543210", new Schedule("9876543210", "20210155555", "BIOS E-18B",
                List.of(ev("M", "19:40", "Lecture"), ev("W", "19:40", "Lecture"))));
        expected.put("555555555", new Schedule("555555555", "20210161616", "CSCI E-61", List.of(
                ev("T", "9:15", "Lecture"), ev("W", "12:00", "Staff Meeting"), ev("R", "20:00", "Section"),
                ev("F", "13:15", "Lecture"))));
        expected.put("876876876", new Schedule("876876876", "20210187678", "ECON E-10A", List.of(
                ev("M", "11:00", "Lecture"), ev("T", "11:00", "Lecture"), ev("R", "11:00", "Lecture"))));
        expected.put("200200200", new Schedule("200200200", "20210120020", "ECON E-20A", List.of(
                ev("T", "13:00", "Lecture"), ev("R", "13:00", "Lecture"), ev("F", "13:00", "Lecture"))));
        expected.put("123123123", new Schedule("123123123", "20210155155", "MATH E-55", List.of(
                ev("T", "14:30", "Lecture"), ev("R", "14:30", "Lecture"))));
        expected.put("100100100", new Schedule("100100100", "20210110010", "STAT S-100", List.of(
                ev("S", "18:30", "Section"), ev("U", "18:30", "Section"))));
        ScheduleCsv.ScheduleImport parsed = parse("schedule1.csv");
        assertEquals(expected, parsed.schedules());
        assertEquals(List.of(), parsed.skipped());
    }

    @Test
    void aMissingRequiredColumnIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("schedule2.csv"));
        assertTrue(e.getMessage().contains("Missing required field"), e.getMessage());
    }

    @Test
    void rowsWithoutAZoomLinkAreSkipped() throws Exception {
        ScheduleCsv.ScheduleImport parsed = parse("schedule3.csv");
        assertEquals(Map.of("9876543210", new Schedule("9876543210", "20210155555", "TEST E-2",
                List.of(ev("M", "19:40", "Lecture"), ev("W", "19:40", "Lecture")))), parsed.schedules());
        assertEquals(1, parsed.skipped().size());
        assertTrue(parsed.skipped().get(0).contains("missing zoom link"), parsed.skipped().toString());
    }

    @Test
    void rowsWithALinkThatIsNotHttpsAreSkipped() throws Exception {
        ScheduleCsv.ScheduleImport parsed = parse("schedule4.csv");
        assertEquals(Map.of("9876543210", new Schedule("9876543210", "20210155555", "TEST E-2",
                List.of(ev("M", "19:40", "Lecture"), ev("W", "19:40", "Lecture")))), parsed.schedules());
        assertTrue(parsed.skipped().get(0).contains("invalid zoom link"), parsed.skipped().toString());
    }

    @Test
    void rowsWithoutAnOpencastSeriesAreSkipped() throws Exception {
        ScheduleCsv.ScheduleImport parsed = parse("schedule5.csv");
        assertEquals(Map.of("9876543210", new Schedule("9876543210", "20210155555", "TEST E-2",
                List.of(ev("M", "19:40", "Lecture"), ev("W", "19:40", "Lecture")))), parsed.schedules());
        assertTrue(parsed.skipped().get(0).contains("missing oc series"), parsed.skipped().toString());
    }

    @Test
    void rowsWithAnInvalidTimeAreSkipped() throws Exception {
        ScheduleCsv.ScheduleImport parsed = parse("schedule6.csv");
        assertEquals(Map.of("9876543210", new Schedule("9876543210", "20210155555", "TEST E-1",
                List.of(ev("T", "20:10", "Section")))), parsed.schedules());
        assertTrue(parsed.skipped().get(0).contains("invalid start time"), parsed.skipped().toString());
    }

    @Test
    void badDayLettersAreSkippedOneByOneAndTitlesArePythonTitleCased() {
        ScheduleCsv.ScheduleImport parsed = ScheduleCsv.parse(new StringReader(
                "COURSE CODE,TYPE,DAY,START,MEETING ID WITH PASSWORD,OC SERIES\n"
                        + "X E-1, staff MEETING ,MXZ,8:05,https://x.zoom.us/j/42,https://oc/#/2026/01/77\n"));
        assertEquals(List.of(ev("M", "8:05", "Staff Meeting")), parsed.schedules().get("42").events());
        assertEquals(2, parsed.skipped().size(), parsed.skipped().toString());
        assertEquals("20260177", parsed.schedules().get("42").opencastSeriesId());
    }

    @Test
    void anEmptyFileIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> ScheduleCsv.parse(new StringReader("")));
    }

    @Test
    void pythonTimeParsingAcceptsOneOrTwoDigitsAndNothingElse() {
        assertEquals(9, ScheduleCsv.parseTime("9:15")[0]);
        assertEquals(5, ScheduleCsv.parseTime("23:5")[1]);
        assertEquals(null, ScheduleCsv.parseTime("24:00"));
        assertEquals(null, ScheduleCsv.parseTime("12:60"));
        assertEquals(null, ScheduleCsv.parseTime("this-is-not-a-valid-time"));
        assertEquals(null, ScheduleCsv.parseTime(" 9:15"));
    }
}
