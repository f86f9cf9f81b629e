package io.camelcast.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A request body as it comes off the socket, for a blocking reader (the route's worker thread).
 *
 * <p>Why: platform-http's own streaming mode first copies the whole body into a stream cache and only then
 * runs the route, so a 4 GB PATCH is written twice and a connection dropped at 3.9 GB keeps nothing. With
 * {@code useBodyHandler=false} the route gets the paused Vert.x request instead; this reads it with
 * back-pressure: the socket is paused while {@value #HIGH} buffers wait and resumed when the reader has
 * caught up, so memory stays at a few hundred KB per upload whatever its size. A dropped connection is an
 * {@link IOException} after the bytes that did arrive.
 */
public final class VertxRequestStream extends InputStream {

    static final int HIGH = 32;
    static final int LOW = 8;
    private static final Object END = new Object();
    private static final long IDLE_MILLIS = 60_000;

    private final HttpServerRequest request;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicBoolean paused = new AtomicBoolean();
    /** The request's event loop: pause and resume both run there, so a resume never overtakes a pause. */
    private volatile io.vertx.core.Context context;
    private Buffer current;
    private int position;
    private boolean ended;

    public VertxRequestStream(HttpServerRequest request) {
        this.request = request;
        request.handler(buffer -> {
            if (context == null) {
                context = io.vertx.core.Vertx.currentContext();
            }
            queue.add(buffer);
            if (waiting.incrementAndGet() >= HIGH && paused.compareAndSet(false, true)) {
                request.pause();
            }
        });
        request.exceptionHandler(queue::add);
        request.endHandler(v -> queue.add(END));
        request.resume();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (current == null || position >= current.length()) {
            if (ended) {
                return -1;
            }
            Object next = take();
            if (next == END) {
                ended = true;
                return -1;
            }
            if (next instanceof Throwable t) {
                ended = true;
                throw t instanceof IOException io ? io : new IOException("the upload connection failed: " + t.getMessage(), t);
            }
            current = (Buffer) next;
            position = 0;
            if (waiting.decrementAndGet() <= LOW && paused.compareAndSet(true, false)) {
                resumeSocket();
            }
        }
        int n = Math.min(len, current.length() - position);
        current.getBytes(position, position + n, b, off);
        position += n;
        return n;
    }

    /**
     * The rest of the body is read and dropped, so a refusal given before the body was read (401, 413)
     * reaches a client that sends the whole body before it reads the answer. Memory stays flat.
     */
    public void discardRest() {
        ended = true;
        queue.clear();
        Runnable drop = () -> {
            try {
                request.handler(b -> { });
                request.resume();
            } catch (IllegalStateException alreadyRead) {
                // the whole body had arrived: nothing left to drop
            }
        };
        io.vertx.core.Context c = context;
        if (c != null) {
            c.runOnContext(v -> drop.run());
        } else {
            drop.run();
        }
    }

    private void resumeSocket() {
        io.vertx.core.Context c = context;
        if (c != null) {
            c.runOnContext(v -> request.resume());
        } else {
            request.resume();
        }
    }

    private Object take() throws IOException {
        long deadline = System.currentTimeMillis() + IDLE_MILLIS;
        while (true) {
            Object next;
            try {
                next = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading the upload");
            }
            if (next != null) {
                return next;
            }
            // the event loop may have paused the socket after this reader drained the queue
            if (paused.compareAndSet(true, false)) {
                resumeSocket();
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IOException("no upload bytes for " + IDLE_MILLIS / 1000 + " s");
            }
        }
    }
}
