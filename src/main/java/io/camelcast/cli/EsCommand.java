package io.camelcast.cli;

import io.camelcast.analytics.EsSetup;
import io.camelcast.analytics.IndexNames;
import io.camelcast.analytics.RetentionPolicy;
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
                    "map and dashboard (--kibana-url overrides it), and the index lifecycle policy deleting daily indices after",
                    "camelcast.es.retention-days (Elasticsearch ILM, or OpenSearch ISM). Safe to run again: each replaces what it installed."})
    static final class Setup implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @CommandLine.Option(names = "--kibana-url", paramLabel = "URL",
                description = "Kibana to import the saved objects into (overrides camelcast.kibana.url).")
        String kibanaUrl;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Settings s = config.load();
            if (!s.isSet("camelcast.es.url")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "set camelcast.es.url (CAMELCAST_ES_URL or ES_HOST)");
            }
            PrintWriter out = spec.commandLine().getOut();
            if (kibanaUrl != null) {
                s = s.with("camelcast.kibana.url", kibanaUrl);
            }
            try (SearchEngine engine = new SearchEngine(s.get("camelcast.es.url"))) {
                EsSetup setup = new EsSetup(engine.get(), indexNames(s));
                // the lifecycle policy first: Elasticsearch's templates name it
                RetentionPolicy.Result retention = new RetentionPolicy(engine.get())
                        .install(s.getInt("camelcast.es.retention-days"), setup.datedPatterns());
                Map<String, String> installed = setup.installTemplates(retention.installed() && !retention.opensearch()
                        ? RetentionPolicy.NAME : null);
                installed.forEach((name, pattern) -> out.printf("index template %s -> %s%n", name, pattern));
                out.println(retention.report());
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
