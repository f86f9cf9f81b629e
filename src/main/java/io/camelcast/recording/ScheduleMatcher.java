package io.camelcast.recording;

import java.time.DayOfWeek;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * The seed's schedule_match: the recording's local start must fall on a scheduled day and within
 * {@code bufferMinutes} (strictly) of that day's scheduled time. As the seed, the scheduled time
 * replaces only hour and minute of the start, so seconds do not count.
 */
public final class ScheduleMatcher {

    private static final String DAYS = "MTWRFSU";

    private ScheduleMatcher() {
    }

    public static Optional<ScheduleEvent> match(Schedule schedule, ZonedDateTime localStart, int bufferMinutes) {
        if (schedule == null || schedule.events() == null) {
            return Optional.empty();
        }
        String day = dayCode(localStart.getDayOfWeek());
        int actual = localStart.getHour() * 60 + localStart.getMinute();
        for (ScheduleEvent e : schedule.events()) {
            if (!day.equals(e.day())) {
                continue;
            }
            int[] hm = ScheduleCsv.parseTime(e.time());
            if (hm == null) {
                continue;
            }
            if (Math.abs(actual - (hm[0] * 60 + hm[1])) * 60L < bufferMinutes * 60L) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** Monday M, Tuesday T, Wednesday W, Thursday R, Friday F, Saturday S, Sunday U. */
    public static String dayCode(DayOfWeek day) {
        return String.valueOf(DAYS.charAt(day.getValue() - 1));
    }
}
