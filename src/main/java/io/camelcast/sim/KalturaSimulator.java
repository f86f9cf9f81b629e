package io.camelcast.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kaltura's API v3 as its public documentation describes it, for the archive flow: {@code
 * POST /api_v3/service/{service}/action/{action}} with parameters as JSON (or query), {@code format=1}
 * answers in JSON, and every error as HTTP 200 with {@code objectType: KalturaAPIException}.
 * {@code session.start} accepts the secret {@value #DEFAULT_SECRET} for any partner id and hands out a
 * ks that expires; media (get, update, addContent, updateThumbnail), flavorAsset (list, getUrl, delete),
 * uploadToken (add, upload with resume) and elasticsearch_esearch.searchEntry work on the entries
 * registered with {@code POST /_sim/entries}. {@code GET /_sim/entries/{id}} shows an entry's state,
 * {@code POST /_sim/api-errors} queues Kaltura errors ({@code {"service","action","code","count"}}) and
 * {@code POST /_sim/config} sets {@code convertMillis}, {@code maxMatches} and {@code downloadKbPerSecond} (0 =
 * unthrottled: a slow Kaltura, so a crash test can catch a copy in the middle of a download).
 */
public final class KalturaSimulator extends SimServer {

    public static final String DEFAULT_SECRET = "sim-kaltura-secret";
    public static final int DEFAULT_PARTNER_ID = 1234;

    private final Path dir;
    private final KalturaEntries entries;
    private final KalturaSearch search = new KalturaSearch();
    private final Map<String, Long> sessions = new ConcurrentHashMap<>();
    private final List<JsonNode> apiErrors = new ArrayList<>();
    private final Map<String, Integer> calls = new ConcurrentHashMap<>();
    private volatile String secret = DEFAULT_SECRET;
    private volatile long downloadKbPerSecond;

    /** Kaltura's answer to a call it refuses. */
    static final class ApiError extends RuntimeException {
        final String code;

        ApiError(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    public KalturaSimulator() {
        super("kaltura");
        try {
            dir = Files.createTempDirectory("camelcast-kaltura-sim");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        entries = new KalturaEntries(dir);
        on("POST", "/api_v3/service/([^/]+)/action/([^/]+)", this::api);
        on("GET", "/api_v3/service/([^/]+)/action/([^/]+)", this::api);
        on("GET", "/p/(\\d+)/download/flavor/([^/]+)", this::download);
        on("POST", "/_sim/entries", r -> {
            entries.register(JSON.readTree(r.body()));
            r.json(201, Map.of("entries", entries.all().size()));
        });
        on("GET", "/_sim/entries/([^/]+)", r -> {
            ObjectNode e = entries.simEntry(r.path(1));
            if (e == null) {
                r.json(404, Map.of("message", "no such entry"));
            } else {
                r.json(200, e);
            }
        });
        on("POST", "/_sim/api-errors", r -> {
            synchronized (apiErrors) {
                apiErrors.add(JSON.readTree(r.body()));
            }
            r.json(201, Map.of("queued", true));
        });
        on("POST", "/_sim/config", r -> {
            JsonNode c = JSON.readTree(r.body());
            if (c.has("convertMillis")) {
                entries.convertMillis = c.get("convertMillis").asLong();
            }
            if (c.has("maxMatches")) {
                search.maxMatches = c.get("maxMatches").asInt();
            }
            if (c.has("downloadKbPerSecond")) {
                downloadKbPerSecond = c.get("downloadKbPerSecond").asLong();
            }
            r.json(200, Map.of("convertMillis", entries.convertMillis, "maxMatches", search.maxMatches,
                    "downloadKbPerSecond", downloadKbPerSecond));
        });
        on("GET", "/_sim/calls", r -> r.json(200, calls));
    }

    public void setSecret(String secret) {
        this.secret = secret;
    }

    /** How many calls each {@code service.action} received. */
    public Map<String, Integer> calls() {
        return Map.copyOf(calls);
    }

    private void api(Request r) throws IOException {
        String service = r.path(1);
        String action = r.path(2);
        calls.merge(service + "." + action, 1, Integer::sum);
        ObjectNode params = JSON.createObjectNode();
        r.queryAll().forEach((k, v) -> params.put(k, v.get(0)));
        String type = String.valueOf(r.header("Content-Type"));
        byte[] body = r.body();
        byte[] file = null;
        if (type.startsWith("application/json") && body.length > 0) {
            JSON.readTree(body).fields().forEachRemaining(f -> params.set(f.getKey(), f.getValue()));
        } else if (type.startsWith("multipart/form-data")) {
            file = multipart(type, body, params);
        }
        try {
            Object answer = answer(service, action, params, file);
            send(r, answer);
        } catch (ApiError e) {
            ObjectNode err = JSON.createObjectNode();
            err.put("code", e.code);
            err.put("message", e.getMessage());
            err.put("objectType", "KalturaAPIException");
            err.putObject("args");
            send(r, err);
        }
    }

    private static void send(Request r, Object answer) throws IOException {
        // format=1 (JSON): always 200, errors included
        r.send(200, "application/json", JSON.writeValueAsBytes(answer));
    }

    private Object answer(String service, String action, JsonNode p, byte[] file) throws IOException {
        queuedError(service, action);
        if (service.equals("session") && action.equals("start")) {
            if (!secret.equals(p.path("secret").asText())) {
                throw new ApiError("START_SESSION_ERROR", "Error while starting session for partner ["
                        + p.path("partnerId").asText() + "]");
            }
            String ks = "simks" + UUID.randomUUID().toString().replace("-", "");
            long expiry = p.path("expiry").asLong(86400);
            sessions.put(ks, System.currentTimeMillis() + expiry * 1000);
            return ks;
        }
        checkKs(p.path("ks").asText(""));
        String key = service + "." + action;
        switch (key) {
            case "media.get":
                return entries.apiEntry(entries.entry(p.path("entryId").asText()));
            case "media.update":
                entries.update(p.path("entryId").asText(), p.path("mediaEntry"));
                return entries.apiEntry(entries.entry(p.path("entryId").asText()));
            case "media.addContent": {
                String entryId = p.path("entryId").asText();
                entries.addContent(entryId, p.path("resource").path("token").asText());
                return entries.apiEntry(entries.entry(entryId));
            }
            case "media.updateThumbnail":
                entries.thumbnail(p.path("entryId").asText());
                return entries.apiEntry(entries.entry(p.path("entryId").asText()));
            case "flavorAsset.list": {
                JsonNode filter = p.path("filter");
                List<String> ids = new ArrayList<>();
                if (filter.hasNonNull("entryIdEqual")) {
                    ids.add(filter.get("entryIdEqual").asText());
                }
                if (filter.hasNonNull("entryIdIn")) {
                    ids.addAll(KalturaEntries.tagList(filter.get("entryIdIn").asText()));
                }
                ObjectNode out = JSON.createObjectNode();
                out.put("objectType", "KalturaFlavorAssetListResponse");
                ArrayNode objects = out.putArray("objects");
                List<KalturaEntries.Flavor> all = new ArrayList<>();
                for (String id : ids) {
                    all.addAll(entries.flavorsOf(id));
                }
                int size = p.path("pager").path("pageSize").asInt(30);
                int from = (Math.max(p.path("pager").path("pageIndex").asInt(1), 1) - 1) * size;
                for (int i = from; i < Math.min(all.size(), from + size); i++) {
                    objects.add(entries.apiFlavor(all.get(i)));
                }
                out.put("totalCount", all.size());
                return out;
            }
            case "flavorAsset.getUrl": {
                KalturaEntries.Flavor f = entries.flavor(p.path("id").asText());
                return url() + "/p/" + DEFAULT_PARTNER_ID + "/download/flavor/" + f.id;
            }
            case "flavorAsset.delete":
                entries.deleteFlavor(p.path("id").asText());
                return null;
            case "uploadToken.add": {
                ObjectNode t = JSON.createObjectNode();
                t.put("objectType", "KalturaUploadToken");
                t.put("id", entries.addToken());
                return t;
            }
            case "uploadToken.upload": {
                String token = p.path("uploadTokenId").asText();
                if (file == null) {
                    throw new ApiError("MISSING_MANDATORY_PARAMETER", "Missing parameter \"fileData\"");
                }
                entries.upload(token, file, p.path("resume").asBoolean(false) || "1".equals(p.path("resume").asText()),
                        p.path("resumeAt").asLong(-1));
                ObjectNode t = JSON.createObjectNode();
                t.put("objectType", "KalturaUploadToken");
                t.put("id", token);
                t.put("uploadedFileSize", entries.tokenSize(token));
                return t;
            }
            case "elasticsearch_esearch.searchEntry":
                return search.search(entries, p.path("searchParams"), p.path("pager"));
            default:
                throw new ApiError("SERVICE_ACTION_FORBIDDEN", "The access to service [" + key + "] is forbidden");
        }
    }

    private void queuedError(String service, String action) {
        synchronized (apiErrors) {
            for (JsonNode e : apiErrors) {
                if (service.equals(e.path("service").asText()) && action.equals(e.path("action").asText())
                        && e.path("count").asInt(1) > 0) {
                    ((ObjectNode) e).put("count", e.path("count").asInt(1) - 1);
                    throw new ApiError(e.path("code").asText("INTERNAL_SERVERL_ERROR"), "Internal server error occurred");
                }
            }
        }
    }

    private void checkKs(String ks) {
        Long expires = sessions.get(ks);
        if (expires == null) {
            throw new ApiError("INVALID_KS", "Invalid KS \"" + ks + "\" Error: -1,INVALID_STR");
        }
        if (expires < System.currentTimeMillis()) {
            throw new ApiError("EXPIRED_KS", "Invalid KS \"" + ks + "\" Error: -2,EXPIRED");
        }
    }

    private void download(Request r) throws IOException {
        KalturaEntries.Flavor f;
        try {
            f = entries.flavor(r.path(2));
        } catch (ApiError e) {
            r.text(404, e.getMessage());
            return;
        }
        calls.merge("download." + r.path(2), 1, Integer::sum);
        long length = entries.contentLength(f);
        r.setHeader("Content-Type", "video/mp4");
        r.exchange().sendResponseHeaders(200, length == 0 ? -1 : length);
        try (InputStream in = entries.content(f); OutputStream out = r.exchange().getResponseBody()) {
            long rate = downloadKbPerSecond;
            if (rate <= 0) {
                in.transferTo(out);
                return;
            }
            // 64 KB at a time, each after its share of a second
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                out.write(buf, 0, n);
                out.flush();
                try {
                    Thread.sleep(Math.max(1, 64_000 / rate));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");

    /** A multipart body: text fields into {@code params}, the {@code fileData} part returned as bytes. */
    static byte[] multipart(String contentType, byte[] body, ObjectNode params) {
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            throw new ApiError("MISSING_MANDATORY_PARAMETER", "multipart without boundary");
        }
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + m.group(1);
        byte[] file = null;
        int at = 0;
        while ((at = text.indexOf(delimiter, at)) >= 0) {
            int headersEnd = text.indexOf("\r\n\r\n", at);
            int end = headersEnd < 0 ? -1 : text.indexOf("\r\n" + delimiter, headersEnd + 4);
            if (end < 0) {
                break;
            }
            Matcher name = NAME.matcher(text.substring(at, headersEnd));
            if (name.find()) {
                if (name.group(1).equals("fileData")) {
                    file = new byte[end - headersEnd - 4];
                    System.arraycopy(body, headersEnd + 4, file, 0, file.length);
                } else {
                    params.put(name.group(1), new String(body, headersEnd + 4, end - headersEnd - 4, StandardCharsets.UTF_8));
                }
            }
            at = end + 2;
        }
        return file;
    }

    private static final Pattern NAME = Pattern.compile("\\bname=\"([^\"]*)\"");

    @Override
    public synchronized void close() {
        super.close();
        try (var files = Files.list(dir)) {
            files.forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder
        }
        dir.toFile().delete();
    }
}
