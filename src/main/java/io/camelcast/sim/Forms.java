package io.camelcast.sim;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Form bodies as a simulator receives them: {@code multipart/form-data} or
 * {@code application/x-www-form-urlencoded}, as [name, value] pairs in received order. File parts
 * keep their size only ({@code <file name, N bytes>}): simulators are told media by URL.
 */
final class Forms {

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
    private static final Pattern NAME = Pattern.compile("\\bname=\"([^\"]*)\"");
    private static final Pattern FILENAME = Pattern.compile("\\bfilename=\"([^\"]*)\"");

    private Forms() {
    }

    static List<String[]> parse(String contentType, byte[] body) {
        return parse(contentType, body, false);
    }

    /** With {@code keepFiles}, file parts keep their content (as UTF-8 text): Kibana's import reads its file. */
    static List<String[]> parse(String contentType, byte[] body, boolean keepFiles) {
        List<String[]> out = new ArrayList<>();
        if (contentType != null && contentType.toLowerCase().startsWith("multipart/form-data")) {
            Matcher b = BOUNDARY.matcher(contentType);
            if (!b.find()) {
                throw new IllegalArgumentException("multipart without boundary");
            }
            // ISO-8859-1 maps bytes 1:1, so offsets survive; text values are re-decoded as UTF-8
            String text = new String(body, StandardCharsets.ISO_8859_1);
            String delimiter = "--" + b.group(1);
            for (String part : text.split(Pattern.quote(delimiter))) {
                if (part.startsWith("--") || part.isBlank()) {
                    continue;
                }
                int headerEnd = part.indexOf("\r\n\r\n");
                if (headerEnd < 0) {
                    continue;
                }
                String headers = part.substring(0, headerEnd);
                String value = part.substring(headerEnd + 4);
                if (value.endsWith("\r\n")) {
                    value = value.substring(0, value.length() - 2);
                }
                Matcher n = NAME.matcher(headers);
                if (!n.find()) {
                    continue;
                }
                Matcher f = FILENAME.matcher(headers);
                String v = f.find() && !keepFiles ? "<file " + f.group(1) + ", " + value.length() + " bytes>"
                        : new String(value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
                out.add(new String[] {n.group(1), v});
            }
            return out;
        }
        // urlencoded: pairs in order (flavor/mediaUri pairs interleave, so no grouping by name)
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            out.add(new String[] {
                    URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)});
        }
        return out;
    }
}
