package io.camelcast.cli;

import io.camelcast.analytics.Exports;
import io.camelcast.analytics.IndexNames;
import io.camelcast.analytics.SearchEngine;
import io.camelcast.config.Settings;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code camelcast export viewing-options|attendance --term T --year Y}: the seed's CSV exports, to stdout. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "CSV exports from the analytics indexes (stdout).",
        subcommands = {ExportCommand.ViewingOptions.class, ExportCommand.Attendance.class})
public final class ExportCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: viewing-options or attendance");
    }

    static Exports exports(CommandLine.Model.CommandSpec spec, Settings s, SearchEngine engine) {
        if (!s.isSet("camelcast.es.url")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "exports read the analytics indexes: set camelcast.es.url (and use camelcast.analytics.sink=elasticsearch)");
        }
        return new Exports(engine.get(), s.get("camelcast.episodes.index"), IndexNames.wildcard(s.get("camelcast.useractions.index")));
    }

    static void termAndYear(CommandLine.Model.CommandSpec spec, String term, String year) {
        if (!term.matches("\\d{2}") || !year.matches("\\d{4}")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--term is two digits and --year four (as in series ids: YYYYTT...)");
        }
    }

    @Command(name = "viewing-options", mixinStandardHelpOptions = true,
            description = "Per episode of the term and viewer: caption, playback-speed and view-mode events.")
    static final class ViewingOptions implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(names = "--term", required = true)
        String term;

        @Option(names = "--year", required = true)
        String year;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            termAndYear(spec, term, year);
            Settings s = config.load();
            try (SearchEngine engine = new SearchEngine(s.get("camelcast.es.url"))) {
                exports(spec, s, engine).viewingOptions(term, year, spec.commandLine().getOut());
            }
            return 0;
        }
    }

    @Command(name = "attendance", mixinStandardHelpOptions = true,
            description = "Per episode of the term and viewer: the percentage of chunk-interval pieces watched.")
    static final class Attendance implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(names = "--term", required = true)
        String term;

        @Option(names = "--year", required = true)
        String year;

        @Option(names = "--chunk-interval", defaultValue = "300", description = "Seconds per piece (default ${DEFAULT-VALUE}).")
        int chunkInterval;

        @Option(names = "--live", description = "Live attendance instead of on demand.")
        boolean live;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            termAndYear(spec, term, year);
            if (chunkInterval <= 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--chunk-interval must be positive");
            }
            Settings s = config.load();
            try (SearchEngine engine = new SearchEngine(s.get("camelcast.es.url"))) {
                exports(spec, s, engine).attendance(term, year, chunkInterval, live, spec.commandLine().getOut());
            }
            return 0;
        }
    }
}
