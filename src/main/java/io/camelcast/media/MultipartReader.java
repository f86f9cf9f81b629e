package io.camelcast.media;

import io.camelcast.http.Refused;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * multipart/form-data read part by part from the request as it arrives (RFC 7578): each part's body is a
 * stream that ends at the next boundary, so a video part goes to disk without the request ever sitting in
 * memory (one 64 KB buffer). A part not read to its end is skipped by {@link #next()}.
 */
final class MultipartReader {

    private static final Pattern BOUNDARY = Pattern.compile("(?i)boundary=(?:\"([^\"]+)\"|([^;\\s]+))");
    private static final Pattern NAME = Pattern.compile("(?i)(?:^|;)\\s*name=\"([^\"]*)\"");
    private static final Pattern FILENAME = Pattern.compile("(?i)(?:^|;)\\s*filename=\"([^\"]*)\"");
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    /** One part: its form name, file name (null for a field), content type and body. */
    record Part(String name, String filename, String contentType, InputStream body) {
    }

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int lim;
    private boolean eof;
    private boolean started;
    private boolean finished;
    private PartStream current;

    MultipartReader(InputStream in, String contentType) {
        Matcher m = contentType == null ? null : BOUNDARY.matcher(contentType);
        if (m == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data") || !m.find()) {
            throw new Refused(400, "multipart/form-data with a boundary is required");
        }
        String boundary = m.group(1) != null ? m.group(1) : m.group(2);
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        // the first boundary has no CRLF before it: pretend it had
        buf[0] = '\r';
        buf[1] = '\n';
        lim = 2;
    }

    /** The next part, or null after the closing boundary. */
    Part next() throws IOException {
        if (current != null) {
            current.skip(Long.MAX_VALUE);
            current = null;
        } else if (!started) {
            skipPreamble();
        }
        started = true;
        if (finished) {
            return null;
        }
        if (!fill(2)) {
            throw new Refused(400, "multipart body ends early");
        }
        if (buf[pos] == '-' && buf[pos + 1] == '-') {
            finished = true;
            return null;
        }
        if (buf[pos] != '\r' || buf[pos + 1] != '\n') {
            throw new Refused(400, "malformed multipart boundary");
        }
        pos += 2;
        String name = null;
        String filename = null;
        String type = null;
        int headerBytes = 0;
        for (String line = line(); !line.isEmpty(); line = line()) {
            headerBytes += line.length();
            if (headerBytes > MAX_HEADER_BYTES) {
                throw new Refused(400, "multipart part headers too large");
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String header = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (header.equals("content-disposition")) {
                Matcher n = NAME.matcher(value);
                name = n.find() ? n.group(1) : null;
                Matcher f = FILENAME.matcher(value);
                filename = f.find() ? f.group(1) : null;
            } else if (header.equals("content-type")) {
                type = value;
            }
        }
        current = new PartStream();
        return new Part(name, filename, type, current);
    }

    private void skipPreamble() throws IOException {
        while (true) {
            fill(Math.min(buf.length, delimiter.length + 8192));
            int at = indexOfDelimiter();
            if (at >= 0) {
                pos = at + delimiter.length;
                return;
            }
            if (eof) {
                throw new Refused(400, "no multipart boundary in the body");
            }
            pos = Math.max(pos, lim - delimiter.length + 1);
        }
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        while (true) {
            if (!fill(2)) {
                throw new Refused(400, "multipart body ends in a part's headers");
            }
            if (buf[pos] == '\r' && buf[pos + 1] == '\n') {
                pos += 2;
                return b.toString();
            }
            b.append((char) (buf[pos++] & 0xff));
            if (b.length() > MAX_HEADER_BYTES) {
                throw new Refused(400, "multipart part headers too large");
            }
        }
    }

    /** Makes at least {@code need} bytes available unless the body ends first; false when it did. */
    private boolean fill(int need) throws IOException {
        if (lim - pos >= need) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        while (lim < need && !eof) {
            int n = in.read(buf, lim, buf.length - lim);
            if (n < 0) {
                eof = true;
            } else {
                lim += n;
            }
        }
        return lim - pos >= need;
    }

    private int indexOfDelimiter() {
        outer:
        for (int i = pos; i <= lim - delimiter.length; i++) {
            for (int j = 0; j < delimiter.length; j++) {
                if (buf[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private final class PartStream extends InputStream {
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            fill(Math.min(buf.length, delimiter.length + 8192));
            int at = indexOfDelimiter();
            int available;
            if (at >= 0) {
                available = at - pos;
            } else if (eof) {
                throw new Refused(400, "multipart body ends without its closing boundary");
            } else {
                available = lim - pos - (delimiter.length - 1);
            }
            if (available == 0 && at == pos) {
                pos += delimiter.length;
                done = true;
                return -1;
            }
            int n = Math.min(len, available);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] scratch = new byte[8192];
            long skipped = 0;
            int r;
            while (skipped < n && (r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped))) > 0) {
                skipped += r;
            }
            return skipped;
        }
    }
}
