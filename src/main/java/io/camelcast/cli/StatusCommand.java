package io.camelcast.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelcast.runtime.RuntimeStatus;
import io.camelcast.runtime.Services;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Without ID: whether Camelcast's services answer, queue depths and dead letters, and the",
                "configuration in force (secrets masked). With ID: the status record of that recording or upload."})
public final class StatusCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ConfigOption config;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "A recording or upload id.")
    String id;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (Services services = Services.open(config.load());
             RuntimeStatus status = new RuntimeStatus(services.settings())) {
            var out = spec.commandLine().getOut();
            if (id != null) {
                Map<String, Object> record = status.record(id);
                if (record == null) {
                    spec.commandLine().getErr().println("camelcast: no status record for " + id);
                    return 1;
                }
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(record));
                return 0;
            }
            Map<String, Object> report = status.report(services.sharedWithRunningInstance());
            if (json) {
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
            } else {
                out.print(RuntimeStatus.format(report));
            }
            out.flush();
            return "UP".equals(report.get("status")) ? 0 : 1;
        }
    }
}
