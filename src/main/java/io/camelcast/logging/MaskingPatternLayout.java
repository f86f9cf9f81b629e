package io.camelcast.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** Logback layout that masks configured secrets in the whole formatted line, stack traces included. */
public class MaskingPatternLayout extends PatternLayout {

    @Override
    public String doLayout(ILoggingEvent event) {
        return SecretMasker.mask(super.doLayout(event));
    }
}
