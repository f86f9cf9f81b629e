package io.camelcast.runtime;

import io.camelcast.config.Settings;
import org.apache.camel.CamelConfiguration;

/**
 * Something a run adds to the runtime without the runtime knowing it ({@code run --demo} is one): settings
 * changed before the services resolve, beans for its own routes, and its route files. Closed after Camel.
 */
public interface RuntimeExtension extends AutoCloseable {

    /** The settings the run uses, from the configured ones (before embedded endpoints are filled in). */
    Settings configure(Settings configured) throws Exception;

    /** Binds the extension's beans; runs after the runtime's own configuration. */
    CamelConfiguration beans(Settings resolved);

    /** Its route files, as a camel-main include pattern. */
    String routes();

    /** One line for the start-up log. */
    String describe();

    @Override
    void close();
}
