package io.camelcast;

import io.camelcast.cli.ArchiveCommand;
import io.camelcast.cli.RunCommand;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line builds only the command it runs, and still lists and explains every command. */
class CamelcastCommandLineTest {

    @Test
    void aNamedCommandIsTheOnlyOneBuilt() {
        assertEquals(List.of(RunCommand.class), Camelcast.commandsFor("run", "--demo"));
        assertEquals(List.of(ArchiveCommand.class), Camelcast.commandsFor("archive", "s3copy", "--help"));
    }

    @Test
    void helpAndUnknownNamesSeeEveryCommand() {
        assertEquals(Camelcast.COMMANDS, Camelcast.commandsFor());
        assertEquals(Camelcast.COMMANDS, Camelcast.commandsFor("--help"));
        assertEquals(Camelcast.COMMANDS, Camelcast.commandsFor("help", "run"));
        assertEquals(Camelcast.COMMANDS, Camelcast.commandsFor("rnu"));
    }

    @Test
    void topLevelHelpListsEveryCommand() {
        StringWriter out = new StringWriter();
        assertEquals(0, Camelcast.execute(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "--help"));
        for (String command : List.of("run", "sim", "status", "dlq", "ingest", "schedule", "backfill", "harvest", "es",
                "export", "archive", "version", "help")) {
            assertTrue(out.toString().contains("  " + command + " "), command + " in --help: " + out);
        }
    }

    @Test
    void helpForACommandAndAMistypedCommand() {
        StringWriter out = new StringWriter();
        assertEquals(0, Camelcast.execute(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "help", "dlq"));
        assertTrue(out.toString().contains("replay"), out.toString());
        StringWriter err = new StringWriter();
        assertEquals(2, Camelcast.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "rnu"));
        assertTrue(err.toString().contains("rnu"), err.toString());
    }
}
