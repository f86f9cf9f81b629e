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
                    new ScheduleStore(redis).putAll(parsed.schedules());
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
                List<Schedule> all = new ScheduleStore(redis).list();
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all));
                } else {
                    out.printf("%d meeting(s) in the schedule%n", all.size());
                    for (Schedule s : all) {
                        out.printf("%-14s zoom=%-12s series=%-14s %s%n", s.courseCode(), s.zoomSeriesId(), s.opencastSeriesId(),
                                s.events().stream().map(ScheduleCommand::describe).collect(Collectors.joining(", ")));
                    }
                }
                out.flush();
                return 0;
            }
        }
    }

    static String describe(ScheduleEvent e) {
        return e.day() + " " + e.time() + " " + e.title();
    }
}
