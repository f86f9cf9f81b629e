package io.camelcast.cli;

import io.camelcast.analytics.EsSetup;
import io.camelcast.analytics.IndexNames;
import io.camelcast.analytics.SearchEngine;
import io.camelcast.config.Settings;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code camelcast es setup}: index templates into the search engine, saved objects into Kibana. */
@Command(name = "es", mixinStandardHelpOptions = true, description = "Elasticsearch / OpenSearch and Kibana set-up.",
        subcommands = {EsCommand.Setup.class})
public final class EsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: setup");
    }

    static IndexNames indexNames(Settings s) {
        return new IndexNames(s.get("camelcast.useractions.index"), s.get("camelcast.episodes.index"),
                s.get("camelcast.zoom.meetings-index"), s.get("camelcast.zoom.sessions-index"));
    }

    @Command(name = "setup", mixinStandardHelpOptions = true,
            description = {"Install the composable index templates (useractions, episodes, meetings, sessions) into",
                    "camelcast.es.url, and, when camelcast.kibana.url is set, import the Kibana data views, visualizations,",
                    "map and dashboard. Safe to run again: both replace what they installed before."})
    static final class Setup implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Settings s = config.load();
            if (!s.isSet("camelcast.es.url")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "set camelcast.es.url (CAMELCAST_ES_URL or ES_HOST)");
            }
            PrintWriter out = spec.commandLine().getOut();
            try (SearchEngine engine = new SearchEngine(s.get("camelcast.es.url"))) {
                Map<String, String> installed = new EsSetup(engine.get(), indexNames(s)).installTemplates();
                installed.forEach((name, pattern) -> out.printf("index template %s -> %s%n", name, pattern));
            }
            if (s.isSet("camelcast.kibana.url")) {
                EsSetup.importKibanaObjects(s.get("camelcast.kibana.url"), s.get("camelcast.kibana.user", ""),
                        s.get("camelcast.kibana.password", ""));
                out.printf("kibana saved objects imported into %s: %s%n", s.get("camelcast.kibana.url"), String.join(", ", EsSetup.kibanaObjects()));
            } else {
                out.println("kibana: camelcast.kibana.url not set; import src/main/resources" + EsSetup.KIBANA_OBJECTS
                        + " yourself (Stack Management > Saved objects > Import)");
            }
            out.flush();
            return 0;
        }
    }
}
