package io.camelcast;

import io.camelcast.cli.ArchiveCommand;
import io.camelcast.cli.BackfillCommand;
import io.camelcast.cli.DlqCommand;
import io.camelcast.cli.EsCommand;
import io.camelcast.cli.ExportCommand;
import io.camelcast.cli.HarvestCommand;
import io.camelcast.cli.IngestCommand;
import io.camelcast.cli.ScheduleCommand;
import io.camelcast.cli.RunCommand;
import io.camelcast.cli.SimCommand;
import io.camelcast.cli.StatusCommand;
import io.camelcast.cli.VersionCommand;
import io.camelcast.config.Settings;
import io.camelcast.logging.SecretMasker;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;

/**
 * The command line: {@code java -jar target/camelcast.jar --help}. Each subcommand is a class in
 * {@code io.camelcast.cli}; bad input answers with a message on stderr and a non-zero exit code.
 */
@Command(name = "camelcast",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "One integration runtime for a media team: Zoom, uploads and Opencast in; "
                + "S3, Opencast, archives and analytics out.")
public final class Camelcast implements Runnable {

    /** The subcommands, in the order {@code --help} lists them. */
    static final List<Class<?>> COMMANDS = List.of(RunCommand.class, SimCommand.class, StatusCommand.class,
            DlqCommand.class, IngestCommand.class, ScheduleCommand.class, BackfillCommand.class, HarvestCommand.class,
            EsCommand.class, ExportCommand.class, ArchiveCommand.class, VersionCommand.class,
            CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command (see --help)");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (tests call this without exiting). */
    public static int execute(String... args) {
        return execute(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
    }

    /** Runs the command line with its output and errors going to the given writers. */
    public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Camelcast());
        for (Class<?> command : commandsFor(args)) {
            cli.addSubcommand(command);
        }
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // operator-facing problems carry their reason in the message; no stack trace
            commandLine.getErr().println("camelcast: " + SecretMasker.mask(describe(e)));
            return e instanceof IllegalArgumentException || e instanceof Settings.ConfigException ? 2 : 1;
        });
        return cli.execute(args);
    }

    /**
     * The subcommands to build for these arguments: only the one named first when it is a command (picocli
     * builds each command's model by reflection, and building all thirteen took ~0.3 s of every start),
     * every one otherwise (top-level help, {@code help CMD}, a mistyped name that picocli answers with the list).
     */
    static List<Class<?>> commandsFor(String... args) {
        if (args.length > 0) {
            for (Class<?> command : COMMANDS) {
                Command c = command.getAnnotation(Command.class);
                if (command != CommandLine.HelpCommand.class
                        && (c.name().equals(args[0]) || List.of(c.aliases()).contains(args[0]))) {
                    return List.of(command);
                }
            }
        }
        return COMMANDS;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += ": " + cause.getMessage();
        }
        return message;
    }
}
