package io.camelcast.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelcast.runtime.CamelcastRuntime;
import io.camelcast.http.Refused;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code camelcast harvest useractions|episodes|zoom}: one run of an analytics harvest through the same
 * routes {@code run} schedules (routes/analytics-*.yaml), then exit. Progress is logged (stderr); the
 * run's summary is printed (stdout). A failed run exits 1 and leaves the checkpoint where it was.
 */
@Command(name = "harvest", mixinStandardHelpOptions = true,
        description = "Run an analytics harvest once: Opencast user actions, episodes, or Zoom meetings and participants.",
        subcommands = {HarvestCommand.UserActions.class, HarvestCommand.Episodes.class, HarvestCommand.Zoom.class})
public final class HarvestCommand implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: useractions, episodes or zoom");
    }

    static int runOnce(CommandLine.Model.CommandSpec spec, ConfigOption config, String endpoint, Map<String, Object> headers)
            throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (CamelcastRuntime runtime = CamelcastRuntime.startForCommand(config.load(),
                "classpath:routes/analytics-*.yaml,classpath:routes/route-configurations.yaml,classpath:routes/outside-apis.yaml")) {
            ProducerTemplate template = runtime.camelContext().createProducerTemplate();
            Object summary = template.requestBodyAndHeaders(endpoint, null, headers);
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
            out.flush();
            return 0;
        } catch (CamelExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof Refused r) {
                    throw new CommandLine.ParameterException(spec.commandLine(), r.getMessage());
                }
            }
            spec.commandLine().getErr().println("camelcast: harvest failed (checkpoint unchanged): " + cause.getMessage());
            return 1;
        }
    }

    @Command(name = "useractions", mixinStandardHelpOptions = true,
            description = {"Opencast user actions of a window into the analytics sink.",
                    "Without --start: from the checkpoint, else the last --interval minutes. The checkpoint moves only",
                    "when the window started from it (an explicit --start is a backfill)."})
    static final class UserActions implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(names = {"-s", "--start"}, paramLabel = "YYYYMMDDHHmmss")
        String start;

        @Option(names = {"-e", "--end"}, paramLabel = "YYYYMMDDHHmmss", description = "Default: now.")
        String end;

        @Option(names = {"-i", "--interval"}, paramLabel = "MINUTES", description = "Window when there is no checkpoint.")
        Integer interval;

        @Option(names = {"-b", "--batch-size"}, paramLabel = "N", description = "Actions per request (default 1000).")
        Integer batchSize;

        @Option(names = {"-w", "--wait"}, paramLabel = "SECONDS", description = "Pause between requests (default 1).")
        Double wait;

        @Option(names = "--force", description = "Harvest a window larger than camelcast.useractions.max-span.")
        boolean force;

        @Option(names = "--no-checkpoint", description = "Do not move the checkpoint.")
        boolean noCheckpoint;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (batchSize != null && batchSize <= 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--batch-size must be positive");
            }
            Map<String, Object> h = new HashMap<>();
            h.put("start", start);
            h.put("end", end);
            h.put("interval", interval);
            h.put("batchSize", batchSize);
            h.put("waitMillis", wait == null ? null : (long) (wait * 1000));
            h.put("force", force);
            h.put("noCheckpoint", noCheckpoint);
            return runOnce(spec, config, "direct:analytics-useractions-harvest", h);
        }
    }

    @Command(name = "episodes", mixinStandardHelpOptions = true,
            description = {"Episode documents (index episodes, _id = mpid): the mpids seen in the user actions of a day",
                    "(default yesterday), or --mpid."})
    static final class Episodes implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(names = "--mpid", paramLabel = "ID", description = "One mediapackage (repeatable).")
        java.util.List<String> mpids;

        @Option(names = "--since", paramLabel = "YYYY-MM-DD", description = "The day whose user actions name the episodes.")
        String since;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> h = new HashMap<>();
            h.put("mpids", mpids == null ? null : String.join(",", mpids));
            h.put("day", since);
            return runOnce(spec, config, "direct:analytics-episodes-harvest", h);
        }
    }

    @Command(name = "zoom", mixinStandardHelpOptions = true,
            description = "Zoom meetings and participants of a day (default yesterday) into meetings-* and sessions-*.")
    static final class Zoom implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(names = "--date", paramLabel = "YYYY-MM-DD")
        String date;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> h = new HashMap<>();
            h.put("date", date);
            return runOnce(spec, config, "direct:analytics-zoom-harvest", h);
        }
    }
}
