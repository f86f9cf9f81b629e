package io.camelcast.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.InputStream;
import java.util.Properties;

@Command(name = "version", description = "Print the Camelcast and Camel versions.")
public final class VersionCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        for (String line : new Provider().getVersion()) {
            spec.commandLine().getOut().println(line);
        }
    }

    /** Versions from the build (filtered resource) and from Camel itself. */
    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties p = new Properties();
            try (InputStream in = VersionCommand.class.getResourceAsStream("/camelcast-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (java.io.IOException ignored) {
                // fall through to "unknown"
            }
            return new String[] {
                    "camelcast " + p.getProperty("version", "unknown"),
                    "camel " + p.getProperty("camel", "unknown"),
                    "java " + System.getProperty("java.version")};
        }
    }
}
