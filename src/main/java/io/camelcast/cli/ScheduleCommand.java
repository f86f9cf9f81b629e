package io.camelcast.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelcast.recording.Schedule;
import io.camelcast.recording.ScheduleCsv;
import io.camelcast.recording.ScheduleEvent;
import io.camelcast.recording.ScheduleStore;
import io.camelcast.runtime.Services;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/** The class schedule that maps Zoom meetings to Opencast series (the seed's Google Sheet import). */
@Command(name = "schedule", mixinStandardHelpOptions = true,
        description = "The class schedule: which Zoom meeting, on which days and at what time, goes to which Opencast series.",
        subcommands = {ScheduleCommand.ImportCommand.class, ScheduleCommand.ListCommand.class})
public final class ScheduleCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: import or list");
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Import a schedule CSV with the seed's columns: Course Code, Type, Day, Start,",
                    "Meeting ID with Password (the Zoom link), OC Series (the Opencast series link). Rows that",
                    "cannot be used are skipped with the reason; a missing column is an error and nothing is stored."})
    static final class ImportCommand implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(index = "0", paramLabel = "FILE.csv")
        Path file;

        @Option(names = "--dry-run", description = "Parse and report only; store nothing.")
        boolean dryRun;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            ScheduleCsv.ScheduleImport parsed;
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                parsed = ScheduleCsv.parse(reader);
            } catch (NoSuchFileException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no such file: " + file);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), file + ": " + e.getMessage());
            } catch (IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "cannot read " + file + ": " + e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            for (String skipped : parsed.skipped()) {
                spec.commandLine().getErr().println("skipped " + skipped);
            }
            if (!dryRun) {
                try (Services services = Services.open(config.load());
                     UnifiedJedis redis = RedisClient.create(URI.create(services.settings().get("camelcast.redis.url")))) {
                    new ScheduleStore(redis).putImported(parsed.schedules(), file.toAbsolutePath().normalize().toString(),
                            java.time.Instant.now());
                }
            }
            int events = parsed.schedules().values().stream().mapToInt(s -> s.events().size()).sum();
            out.printf("%s %d meeting(s) with %d weekly event(s); %d row(s) skipped%n", dryRun ? "parsed" : "imported",
                    parsed.schedules().size(), events, parsed.skipped().size());
            out.flush();
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print the stored schedule.")
    static final class ListCommand implements Callable<Integer> {
        private static final ObjectMapper JSON = new ObjectMapper();

        @Mixin
        ConfigOption config;

        @Option(names = "--json", description = "Print JSON (the seed's item shape).")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (Services services = Services.open(config.load());
                 UnifiedJedis redis = RedisClient.create(URI.create(services.settings().get("camelcast.redis.url")))) {
                ScheduleStore store = new ScheduleStore(redis);
                List<Schedule> all = store.list();
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all));
                } else {
                    out.printf("%d meeting(s) in the schedule%n", all.size());
                    sources(store.sources()).forEach(out::println);
                    Map<String, String> origins = store.origins();
                    Map<String, String> overrides = store.overrides();
                    for (Schedule s : all) {
                        String override = overrides.get(s.zoomSeriesId());
                        out.printf("%-14s zoom=%-12s series=%-14s %s  [%s]%s%n", s.courseCode(), s.zoomSeriesId(), s.opencastSeriesId(),
                                s.events().stream().map(ScheduleCommand::describe).collect(Collectors.joining(", ")),
                                origins.getOrDefault(s.zoomSeriesId(), "imported"),
                                override == null ? "" : "  override series=" + override);
                    }
                    overrides.forEach((meeting, series) -> {
                        if (all.stream().noneMatch(s -> s.zoomSeriesId().equals(meeting))) {
                            out.printf("%-14s zoom=%-12s override series=%s (not in the schedule)%n", "", meeting, series);
                        }
                    });
                }
                out.flush();
                return 0;
            }
        }
    }

    /** Where the schedule in force came from, and a fetch that failed since (ScheduleStore.sources). */
    static List<String> sources(Map<String, String> m) {
        List<String> lines = new java.util.ArrayList<>();
        if (m.containsKey("fetch.time")) {
            lines.add("fetched from " + m.get("fetch.source") + " at " + m.get("fetch.time") + " (" + m.get("fetch.meetings")
                    + " meeting(s))");
        }
        if (m.containsKey("fetch.error")) {
            lines.add("LAST FETCH FAILED at " + m.get("fetch.error-time") + " from " + m.get("fetch.error-source") + ": "
                    + m.get("fetch.error") + (m.containsKey("fetch.time") ? "; the schedule fetched at " + m.get("fetch.time")
                    + " stays in force" : "; no fetch has succeeded yet"));
        }
        if (m.containsKey("import.time")) {
            lines.add("imported from file " + m.get("import.source") + " at " + m.get("import.time") + " ("
                    + m.get("import.meetings") + " meeting(s))");
        }
        return lines;
    }

    static String describe(ScheduleEvent e) {
        return e.day() + " " + e.time() + " " + e.title();
    }
}
