package io.camelcast.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.JsonNode;
import io.camelcast.recording.OnDemandIngest;
import io.camelcast.http.Refused;
import io.camelcast.runtime.Services;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code camelcast ingest UUID}: the on-demand ingest ({@code POST /ingest}) from the command line. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Ingest one Zoom recording on demand (as POST /ingest): fetch it from Zoom's API and queue it.",
                "UUID may be a meeting instance uuid or a Zoom link with ?meeting_id=."})
public final class IngestCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "UUID")
    String uuid;

    @Option(names = "--series", paramLabel = "ID", description = "Opencast series id (else the schedule, else the default).")
    String series;

    @Option(names = "--workflow", paramLabel = "ID", description = "Opencast workflow (else camelcast.opencast.workflow).")
    String workflow;

    @Option(names = "--allow-multiple-ingests", description = "Ingest again even if Opencast has this recording.")
    boolean allowMultiple;

    @Option(names = "--ingest-all-mp4", description = "Ingest every MP4 view (archive flavors) instead of choosing.")
    boolean allMp4;

    @Option(names = "--account", paramLabel = "NAME",
            description = "Zoom account the recording is in (camelcast.zoom.accounts.<NAME>; default: the single-account keys).")
    String account;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ObjectNode options = JSON.createObjectNode();
        if (series != null) {
            options.put("oc_series_id", series);
        }
        if (workflow != null) {
            options.put("oc_workflow", workflow);
        }
        options.put("allow_multiple_ingests", allowMultiple);
        options.put("ingest_all_mp4", allMp4);
        try (Services services = Services.open(config.load());
             RecordingQueue queue = new RecordingQueue(services.settings())) {
            try {
                String zoomUuid = OnDemandIngest.uuidFrom(uuid.trim());
                String name = queue.account(account);
                JsonNode recording = queue.onDemand().fetch(name, zoomUuid);
                String zipId = queue.enqueue(queue.onDemand().event(zoomUuid, recording, options,
                        "on-demand-" + UUID.randomUUID()).withAccount(name));
                spec.commandLine().getOut().printf("Ingest accepted zip_id=%s uuid=%s%n", zipId, zoomUuid);
                spec.commandLine().getOut().flush();
                return 0;
            } catch (Refused r) {
                spec.commandLine().getErr().println("camelcast: " + r.getMessage());
                return r.getStatus() == 404 || r.getStatus() == 400 ? 2 : 1;
            }
        }
    }
}
