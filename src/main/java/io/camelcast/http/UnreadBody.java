package io.camelcast.http;

import org.apache.camel.Exchange;

/**
 * A refused streaming request (TUS PATCH, media upload) whose body was not read to its end: the rest is read
 * and dropped, so the answer reaches the client and the connection can carry its next request. Without it a
 * client still sending its body (the JDK's HttpClient, which reads the answer only once the body is sent)
 * waited for ever, and a kept-alive connection sat behind a paused request.
 */
public final class UnreadBody {

    /** The exchange property a handler keeps the request's stream in, once it has begun reading it. */
    public static final String STREAM = "camelcastRequestStream";

    private UnreadBody() {
    }

    public static void discard(Exchange exchange) {
        if (exchange.getProperty(STREAM) instanceof VertxRequestStream s) {
            s.discardRest();
        } else if (exchange.getMessage().getBody() instanceof io.vertx.core.http.HttpServerRequest request && !request.isEnded()) {
            new VertxRequestStream(request).discardRest();
        }
    }
}
