package io.camelcast.runtime;

import io.camelcast.logging.SecretMasker;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/**
 * Readiness of one outside dependency (S3, SQS, Redis, ...): UP when its probe answers, DOWN with the
 * reason when it throws. Shown in {@code /observe/health} next to Camel's own context and route checks.
 */
public final class DependencyHealthCheck extends AbstractHealthCheck {

    /** A quick call to the dependency that throws when it does not answer. */
    @FunctionalInterface
    public interface Probe {
        void check() throws Exception;
    }

    private final Probe probe;

    public DependencyHealthCheck(String id, Probe probe) {
        super("camelcast", id);
        this.probe = probe;
    }

    public Probe probe() {
        return probe;
    }

    @Override
    public boolean isLiveness() {
        // an outage of S3 or Redis makes us unready, it does not mean this process must be restarted
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            probe.check();
            builder.up();
        } catch (Exception e) {
            builder.message(SecretMasker.mask(getId() + " does not answer: " + e.getMessage()));
            builder.down();
        }
    }
}
