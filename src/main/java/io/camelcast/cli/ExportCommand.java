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

    /** The options both exports take. */
    static final class Term {
        @Mixin
        ConfigOption config;

        @Option(names = "--term", required = true, description = "Two digits, as in series ids (YYYYTT...).")
        String term;

        @Option(names = "--year", required = true, description = "Four digits.")
        String year;

        void check(CommandLine.Model.CommandSpec spec) {
            if (!term.matches("\\d{2}") || !year.matches("\\d{4}")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--term is two digits and --year four (as in series ids: YYYYTT...)");
            }
        }
    }

    @Command(name = "viewing-options", mixinStandardHelpOptions = true,
            description = "Per episode of the term and viewer: caption, playback-speed and view-mode events.")
    static final class ViewingOptions implements Callable<Integer> {
        @Mixin
        Term t;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            t.check(spec);
            Settings s = t.config.load();
            try (SearchEngine engine = new SearchEngine(s.get("camelcast.es.url"))) {
                exports(spec, s, engine).viewingOptions(t.term, t.year, spec.commandLine().getOut());
            }
            return 0;
        }
    }

    @Command(name = "attendance", mixinStandardHelpOptions = true,
            description = "Per episode of the term and viewer: the percentage of chunk-interval pieces watched.")
    static final class Attendance implements Callable<Integer> {
        @Mixin
        Term t;

        @Option(names = "--chunk-interval", defaultValue = "300", description = "Seconds per piece (default ${DEFAULT-VALUE}).")
        int chunkInterval;

        @Option(names = "--live", description = "Live attendance instead of on demand.")
        boolean live;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            t.check(spec);
            if (chunkInterval <= 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--chunk-interval must be positive");
            }
            Settings s = t.config.load();
            try (SearchEngine engine = new SearchEngine(s.get("camelcast.es.url"))) {
                exports(spec, s, engine).attendance(t.term, t.year, chunkInterval, live, spec.commandLine().getOut());
            }
            return 0;
        }
    }
}
