package io.camelcast.cli;

import io.camelcast.config.Settings;
import io.camelcast.kaltura.ArchiveFilter;
import io.camelcast.kaltura.ArchiveRun;
import io.camelcast.logging.SecretMasker;
import io.camelcast.runtime.CamelcastRuntime;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.camel.CamelExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code camelcast archive ...}: the Kaltura archive lifecycle (the seed's kaltura_aws.py) through
 * routes/kaltura-archive.yaml, on the running instance's embedded services when one is up. Dry run unless
 * {@code --execute} (or the seed's {@code --s3copy}, {@code --replace}, {@code --restore}, {@code --repair}).
 */
@Command(name = "archive", mixinStandardHelpOptions = true,
        description = {"Kaltura archive: list, count, copy originals to S3/Glacier, replace them with a placeholder,",
                "restore them, repair, health, stats, config, download. Dry run unless --execute; every action line",
                "starts DRYRUN or EXEC."},
        subcommands = {ArchiveCommand.ListCmd.class, ArchiveCommand.CountCmd.class, ArchiveCommand.CopyCmd.class,
                ArchiveCommand.ReplaceCmd.class, ArchiveCommand.RestoreCmd.class, ArchiveCommand.RepairCmd.class,
                ArchiveCommand.HealthCmd.class, ArchiveCommand.StatsCmd.class, ArchiveCommand.ConfigCmd.class,
                ArchiveCommand.DownloadCmd.class})
public final class ArchiveCommand implements Runnable {

    static final String ROUTES = "classpath:routes/kaltura-archive.yaml,classpath:routes/route-configurations.yaml,"
            + "classpath:routes/outside-apis.yaml";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "name a subcommand: list, count, copy, replace, restore, repair, health, stats, config or download");
    }

    /** What every archive subcommand shares: --config and the filter. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Mixin
        ArchiveFilter filter;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        abstract String command();

        boolean execute() {
            return false;
        }

        String mode() {
            return "video";
        }

        Path target() {
            return Path.of(".");
        }

        boolean ldap() {
            return false;
        }

        @Override
        public Integer call() throws Exception {
            try {
                filter.validate();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            ArchiveRun run = new ArchiveRun(command(), filter, execute(), mode(), line -> {
                out.println(line);
                out.flush();
            }).target(target()).ldap(ldap());
            Settings settings = config.load()
                    .with("camelcast.kaltura.archive-schedule", "false")
                    .with("camelcast.kaltura.restore-schedule", "false");
            try (CamelcastRuntime runtime = CamelcastRuntime.startForCommand(settings, ROUTES)) {
                runtime.camelContext().createProducerTemplate().requestBody("direct:kaltura-archive-run", run);
            } catch (CamelExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                spec.commandLine().getErr().println("camelcast: archive " + command() + " failed: "
                        + SecretMasker.mask(String.valueOf(cause.getMessage())));
                spec.commandLine().getErr().flush();
                return 1;
            } finally {
                out.flush();
            }
            return "config".equals(command()) && run.counts().containsKey("CONFIG_FAILED") ? 1 : 0;
        }
    }

    /** Commands that change something: dry run unless --execute or the seed's flag. */
    abstract static class Work extends Base {
        @Option(names = {"--execute", "--s3copy", "--replace", "--restore", "--repair"},
                description = "Perform the changes (default: dry run). The seed's --s3copy, --replace, --restore, --repair mean the same.")
        boolean execute;

        @Option(names = "--tmp", hidden = true, paramLabel = "DIR", description = "Accepted for the seed's scripts; nothing is staged on disk.")
        Path tmp;

        @Override
        boolean execute() {
            return execute;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print matching entries (TSV with a header row).")
    static final class ListCmd extends Base {
        @Option(names = {"-m", "--mode"}, paramLabel = "video|flavor", description = "List entries (video, default) or their flavors.")
        String mode = "video";

        @Option(names = "--ldap", description = "Add the creator's status (active/inactive), name and org_unit from the LDAP "
                + "directory of camelcast.ldap.* (the seed's add_ldap_status.py); empty when the creator is not there.")
        boolean ldap;

        @Override
        String command() {
            return "list";
        }

        @Override
        boolean ldap() {
            return ldap;
        }

        @Override
        String mode() {
            if (!"video".equals(mode) && !"flavor".equals(mode)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--mode is video or flavor, got " + mode);
            }
            return mode;
        }
    }

    @Command(name = "count", mixinStandardHelpOptions = true, description = "Count matching entries (the last line: #COUNT<TAB>N).")
    static final class CountCmd extends Base {
        @Override
        String command() {
            return "count";
        }
    }

    @Command(name = "copy", aliases = "s3copy", mixinStandardHelpOptions = true,
            description = "Copy originals (READY, at most 10,000,000 KB, not yet in the bucket) to the archive bucket; tag archived_to_s3.")
    static final class CopyCmd extends Work {
        @Override
        String command() {
            return "copy";
        }
    }

    @Command(name = "replace", aliases = "replace_video", mixinStandardHelpOptions = true,
            description = "Replace archived and verified originals with the placeholder; delete the other flavors; tag flavors_deleted.")
    static final class ReplaceCmd extends Work {
        @Override
        String command() {
            return "replace";
        }
    }

    @Command(name = "restore", aliases = "restore_from_s3", mixinStandardHelpOptions = true,
            description = "Bring originals back from the bucket (requesting a Glacier restore first when needed); remove flavors_deleted.")
    static final class RestoreCmd extends Work {
        @Override
        String command() {
            return "restore";
        }
    }

    @Command(name = "repair", mixinStandardHelpOptions = true, description = "Bring unhealthy entries back to what their tags say.")
    static final class RepairCmd extends Work {
        @Override
        String command() {
            return "repair";
        }
    }

    @Command(name = "health", mixinStandardHelpOptions = true,
            description = "Check each entry against the seed's invariants: TSV entry_id, healthy, reason.")
    static final class HealthCmd extends Base {
        @Override
        String command() {
            return "health";
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Counts and sizes by created and played year, and what replacing the archived originals would save.")
    static final class StatsCmd extends Base {
        @Override
        String command() {
            return "stats";
        }
    }

    @Command(name = "config", mixinStandardHelpOptions = true, description = "Check Kaltura, the archive bucket and the placeholder video.")
    static final class ConfigCmd extends Base {
        @Override
        String command() {
            return "config";
        }
    }

    @Command(name = "download", mixinStandardHelpOptions = true, description = "Download the original of the matching entries (use --id) to a folder.")
    static final class DownloadCmd extends Base {
        @Option(names = {"--tmp", "--to"}, paramLabel = "DIR", description = "Folder to write ENTRY_ID.mp4 to (default: here).")
        Path to = Path.of(".");

        @Override
        String command() {
            return "download";
        }

        @Override
        public Integer call() throws Exception {
            if ((filter.ids == null || filter.ids.isEmpty()) && filter.idFile == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "download needs --id ENTRY_ID (or --idfile FILE)");
            }
            return super.call();
        }

        @Override
        Path target() {
            return to;
        }
    }
}
