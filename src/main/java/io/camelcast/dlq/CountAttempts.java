package io.camelcast.dlq;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The error handler's {@code onRedeliveryRef}: remembers how many redeliveries a message had in an
 * exchange property, because a dead-letter channel with {@code useOriginalMessage} restores the
 * original headers and with them loses Camel's redelivery counter.
 */
public final class CountAttempts implements Processor {

    /** Exchange property holding the redeliveries made so far. */
    public static final String PROPERTY = "CamelcastRedeliveries";

    @Override
    public void process(Exchange exchange) {
        Integer counter = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        exchange.setProperty(PROPERTY, counter == null ? 0 : counter);
    }
}
