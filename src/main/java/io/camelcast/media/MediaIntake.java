package io.camelcast.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.http.Refused;
import io.camelcast.http.UnreadBody;
import io.camelcast.http.VertxRequestStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * {@code POST /media/upload/answer} (the seed's answer-upload.py and, for a file sent to a presigned URL,
 * its completion) and {@code GET /media/status/{id}}. The caller is checked before a byte of the body is
 * read; the video part streams to a file under {@code camelcast.media.work-dir}, counted against
 * {@code camelcast.media.max-upload} (413 past it), and goes to the media bucket only once the request is
 * accepted. Any refusal removes what was received: a refused call leaves nothing behind.
 */
public final class MediaIntake {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Mentor and question ids become parts of object keys: no slashes, no dot-dot. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}");
    static final int MAX_FIELD_BYTES = 64 * 1024;

    private final MediaAuth auth;
    private final MediaRecords records;
    private final MediaStorage storage;
    private final Path workDir;
    private final long maxUpload;

    public MediaIntake(MediaAuth auth, MediaRecords records, MediaStorage storage, Path workDir, long maxUpload) {
        this.auth = auth;
        this.records = records;
        this.storage = storage;
        this.workDir = workDir;
        this.maxUpload = maxUpload;
    }

    /** The answer body (JSON) of an accepted upload; its task messages are in the {@code mediaTasks} property. */
    public String answer(Exchange exchange) throws IOException {
        // refused or failed before the whole body was read: http-errors drops the unread rest (UnreadBody)
        return accept(exchange);
    }

    private String accept(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        MediaAuth.Caller caller = auth.caller(in.getHeader("Authorization", String.class));
        String type = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        Request req;
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            req = fromPresignedUpload(caller, readLimited(body(exchange), MAX_FIELD_BYTES));
        } else {
            req = fromMultipart(caller, new MultipartReader(body(exchange), type));
        }
        String id = UUID.randomUUID().toString();
        try {
            if (!records.claim(req.mentor, req.question, id)) {
                throw new Refused(409, "an upload for this question is still in progress: " + records.active(req.mentor, req.question));
            }
            String original = "videos/" + req.mentor + "/" + req.question + "/" + id + "/original." + req.extension;
            try {
                if (req.file != null) {
                    storage.put(req.file, original, req.contentType);
                } else {
                    storage.copy(req.uploadedKey, original);
                    storage.delete(req.uploadedKey);
                }
                List<String> tasks = new ArrayList<>();
                if (req.start != null) {
                    tasks.add(MediaRecords.TRIM);
                }
                tasks.addAll(MediaRecords.PARALLEL);
                String trim = req.start == null ? null : Renditions.secs(req.start) + "-" + Renditions.secs(req.end);
                records.create(id, req.mentor, req.question, original, tasks, trim);
                MediaTask first = new MediaTask(id, null, req.mentor, req.question, original, req.start, req.end);
                List<String> messages = new ArrayList<>();
                if (req.start != null) {
                    messages.add(new MediaTask(id, MediaRecords.TRIM, req.mentor, req.question, original, req.start, req.end).json());
                } else {
                    for (String t : MediaRecords.PARALLEL) {
                        messages.add(first.next(t, original).json());
                    }
                }
                exchange.setProperty("mediaTasks", messages);
                exchange.setProperty("mediaId", id);
                ObjectNode data = JSON.createObjectNode();
                data.put("id", id);
                data.put("statusUrl", "/media/status/" + id);
                ArrayNode list = data.putArray("taskList");
                for (String t : tasks) {
                    list.addObject().put("task_name", t).put("status", MediaRecords.QUEUED);
                }
                return wrap(data);
            } catch (RuntimeException e) {
                records.release(req.mentor, req.question, id);
                throw e;
            }
        } finally {
            if (req.file != null) {
                Files.deleteIfExists(req.file);
            }
        }
    }

    /**
     * The tasks could not be queued (SQS down): the accepted upload is taken back (record, original, the
     * question's lock), so the 503 the caller gets leaves nothing behind and the same upload can be sent again.
     */
    public void withdraw(String id) {
        if (id == null) {
            return;
        }
        Map<String, String> r = records.get(id);
        if (r.isEmpty()) {
            return;
        }
        records.delete(id);
        records.release(r.get("mentor"), r.get("question"), id);
        if (r.get("original") != null) {
            storage.delete(r.get("original"));
        }
    }

    /** {@code GET /media/status/{id}}: 404 unknown, 403 for someone else's mentor. */
    public String status(String authorization, String id) throws IOException {
        MediaAuth.Caller caller = auth.caller(authorization);
        Map<String, String> r = id == null ? Map.of() : records.get(id);
        if (r.isEmpty()) {
            throw new Refused(404, "no media upload " + id);
        }
        auth.requireEditor(caller, r.get("mentor"));
        ObjectNode data = JSON.createObjectNode();
        data.put("id", id);
        data.put("status", records.status(r));
        data.put("mentor", r.get("mentor"));
        data.put("question", r.get("question"));
        if (r.containsKey("trim")) {
            data.put("trim", r.get("trim"));
        }
        ArrayNode list = data.putArray("taskList");
        for (String t : records.tasks(r)) {
            ObjectNode task = list.addObject().put("task_name", t).put("status", r.get("task." + t));
            if (r.containsKey("task." + t + ".attempts")) {
                task.put("attempts", Integer.parseInt(r.get("task." + t + ".attempts")));
            }
            if (r.containsKey("task." + t + ".error")) {
                task.put("error", r.get("task." + t + ".error"));
            }
        }
        ObjectNode outputs = data.putObject("outputs");
        for (Map.Entry<String, String> e : r.entrySet()) {
            if (e.getKey().startsWith("output.")) {
                outputs.put(e.getKey().substring(7), e.getValue());
            }
        }
        data.put("updated", r.get("updated"));
        return wrap(data);
    }

    private static final class Request {
        String mentor;
        String question;
        Double start;
        Double end;
        Path file;
        String contentType = "video/mp4";
        String extension = "mp4";
        String uploadedKey;
    }

    private Request fromMultipart(MediaAuth.Caller caller, MultipartReader parts) throws IOException {
        Request req = new Request();
        boolean bodySeen = false;
        try {
            for (MultipartReader.Part p = parts.next(); p != null; p = parts.next()) {
                if ("body".equals(p.name())) {
                    fields(req, readLimited(p.body(), MAX_FIELD_BYTES));
                    auth.requireEditor(caller, req.mentor);
                    inProgress(req);
                    bodySeen = true;
                } else if ("video".equals(p.name()) && req.file == null) {
                    Files.createDirectories(workDir);
                    req.file = Files.createTempFile(workDir, "upload-", ".part");
                    long n = copyLimited(p.body(), req.file, maxUpload);
                    if (n == 0) {
                        throw new Refused(400, "the video part is empty");
                    }
                    if (p.contentType() != null && p.contentType().startsWith("video/")) {
                        req.contentType = p.contentType();
                    }
                    req.extension = extension(p.filename());
                }
            }
            if (!bodySeen) {
                throw new Refused(400, "missing form part: body");
            }
            if (req.file == null) {
                throw new Refused(400, "missing form part: video");
            }
            return req;
        } catch (IOException | RuntimeException e) {
            if (req.file != null) {
                Files.deleteIfExists(req.file);
            }
            throw e;
        }
    }

    /** A file sent to {@code GET /media/upload/url}'s presigned URL, named by {@code "video"}. */
    private Request fromPresignedUpload(MediaAuth.Caller caller, String json) {
        Request req = new Request();
        JsonNode body = fields(req, json);
        auth.requireEditor(caller, req.mentor);
        String key = body.path("video").asText(null);
        if (key == null || key.isBlank()) {
            throw new Refused(400, "video (the key of a file sent to the presigned upload URL) is required");
        }
        if (!key.startsWith(MediaUploadUrls.prefix(caller)) || key.contains("..")) {
            throw new Refused(403, "the video was not uploaded by this caller");
        }
        inProgress(req);
        long size = storage.size(key);
        if (size < 0) {
            throw new Refused(400, "no uploaded file " + key);
        }
        if (size > maxUpload) {
            storage.delete(key);
            throw new Refused(413, "the video is larger than " + maxUpload + " bytes");
        }
        req.uploadedKey = key;
        return req;
    }

    private void inProgress(Request req) {
        if (records.active(req.mentor, req.question) != null) {
            throw new Refused(409, "an upload for this question is still in progress");
        }
    }

    /** mentor, question and trim from the JSON body part. */
    static JsonNode fields(Request req, String json) {
        JsonNode body;
        try {
            body = JSON.readTree(json);
        } catch (IOException e) {
            throw new Refused(400, "body is not JSON");
        }
        if (body == null || !body.isObject()) {
            throw new Refused(400, "body must be a JSON object");
        }
        req.mentor = id(body, "mentor");
        req.question = id(body, "question");
        JsonNode trim = body.path("trim");
        if (!trim.isMissingNode() && !trim.isNull()) {
            if (!trim.path("start").isNumber() || !trim.path("end").isNumber()) {
                throw new Refused(400, "trim needs numeric start and end (seconds)");
            }
            double start = trim.path("start").asDouble();
            double end = trim.path("end").asDouble();
            if (!(start >= 0) || !(end > start) || Double.isInfinite(end)) {
                throw new Refused(400, "trim must have 0 <= start < end");
            }
            req.start = start;
            req.end = end;
        }
        return body;
    }

    static String id(JsonNode body, String field) {
        String v = body.path(field).isTextual() ? body.path(field).asText() : null;
        if (v == null) {
            throw new Refused(400, field + " parameter missing");
        }
        if (!ID.matcher(v).matches()) {
            throw new Refused(400, field + " must be 1-100 letters, digits, '_', '-' or '.'");
        }
        return v;
    }

    static String extension(String filename) {
        if (filename != null) {
            int dot = filename.lastIndexOf('.');
            String ext = dot < 0 ? "" : filename.substring(dot + 1).toLowerCase(Locale.ROOT);
            if (ext.matches("[a-z0-9]{1,5}")) {
                return ext;
            }
        }
        return "mp4";
    }

    /** The request body as it arrives (the paused Vert.x request), kept where a refusal's {@link UnreadBody} finds it. */
    static InputStream body(Exchange exchange) {
        Message in = exchange.getMessage();
        if (exchange.getProperty(UnreadBody.STREAM) instanceof VertxRequestStream s) {
            return s;
        }
        if (in.getBody() instanceof io.vertx.core.http.HttpServerRequest request) {
            VertxRequestStream s = new VertxRequestStream(request);
            exchange.setProperty(UnreadBody.STREAM, s);
            return s;
        }
        InputStream body = in.getBody(InputStream.class);
        return body == null ? InputStream.nullInputStream() : body;
    }

    static String readLimited(InputStream in, int max) throws IOException {
        byte[] b = in.readNBytes(max + 1);
        if (b.length > max) {
            throw new Refused(413, "form field or JSON body larger than " + max + " bytes");
        }
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Copies to {@code file}; {@link Refused} 413 as soon as more than {@code max} bytes came. */
    static long copyLimited(InputStream in, Path file, long max) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > max) {
                    throw new Refused(413, "the file is larger than camelcast.media.max-upload (" + max + " bytes)");
                }
                out.write(buf, 0, n);
            }
        }
        return total;
    }

    static String wrap(ObjectNode data) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.set("data", data);
        return JSON.writeValueAsString(root);
    }
}
