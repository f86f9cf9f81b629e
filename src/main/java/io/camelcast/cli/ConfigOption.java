package io.camelcast.cli;

import io.camelcast.config.Settings;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --config FILE}, shared by every command that needs the settings. */
public final class ConfigOption {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with your settings; overrides the embedded defaults. "
                    + "Environment (CAMELCAST_...) and -Dkey=value override it in turn.")
    Path config;

    public Settings load() {
        return Settings.load(config);
    }
}
