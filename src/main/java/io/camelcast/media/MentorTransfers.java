package io.camelcast.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.http.Refused;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import redis.clients.jedis.UnifiedJedis;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code POST /media/transfer/mentor} and {@code GET /media/transfer/status/{id}}: the seed's transfer-start.py
 * and transfer-status.py. The request ({@code {"mentor", "mentorExportJson", ...}}, at most
 * {@code camelcast.http.max-body}) is checked and authorized, kept gzip-compressed in the media bucket at
 * {@code transfers/{id}.json.gz} (the seed kept it in DynamoDB), and a job record QUEUED is answered with
 * its status URL. The seed's import into the mentor database (a GraphQL service) has no counterpart here:
 * the job stays QUEUED for that importer to pick up.
 */
public final class MentorTransfers {

    private final MediaAuth auth;
    private final S3Client s3;
    private final String bucket;
    private final UnifiedJedis redis;
    private final Clock clock;
    private final long keepSeconds;

    public MentorTransfers(MediaAuth auth, S3Client s3, String bucket, UnifiedJedis redis, Clock clock, long keepSeconds) {
        this.auth = auth;
        this.s3 = s3;
        this.bucket = bucket;
        this.redis = redis;
        this.clock = clock;
        this.keepSeconds = keepSeconds;
    }

    static String key(String id) {
        return "camelcast:media:transfer:" + id;
    }

    public String start(String authorization, byte[] body) throws IOException {
        MediaAuth.Caller caller = auth.caller(authorization);
        JsonNode req;
        try {
            req = MediaIntake.JSON.readTree(body == null ? new byte[0] : body);
        } catch (IOException e) {
            throw new Refused(400, "invalid payload: not JSON");
        }
        if (req == null || !req.isObject()) {
            throw new Refused(400, "invalid payload: a JSON object is required");
        }
        String mentor = MediaIntake.id(req, "mentor");
        if (!req.path("mentorExportJson").isObject()) {
            throw new Refused(400, "invalid payload: mentorExportJson must be an object");
        }
        auth.requireEditor(caller, mentor);
        String id = UUID.randomUUID().toString();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(body);
        }
        String object = "transfers/" + id + ".json.gz";
        s3.putObject(b -> b.bucket(bucket).key(object).contentType("application/json").contentEncoding("gzip"),
                RequestBody.fromBytes(gz.toByteArray()));
        redis.hset(key(id), Map.of("id", id, "mentor", mentor, "status", "QUEUED", "payload", object,
                "created", clock.instant().toString()));
        redis.expire(key(id), keepSeconds);
        return view(id, Map.of("id", id, "mentor", mentor, "status", "QUEUED"));
    }

    public String status(String authorization, String id) throws IOException {
        MediaAuth.Caller caller = auth.caller(authorization);
        Map<String, String> r = id == null ? Map.of() : redis.hgetAll(key(id));
        if (r.isEmpty()) {
            throw new Refused(404, id + " not found");
        }
        auth.requireEditor(caller, r.get("mentor"));
        return view(id, r);
    }

    private static String view(String id, Map<String, String> r) throws IOException {
        ObjectNode data = MediaIntake.JSON.createObjectNode();
        data.put("id", id);
        data.put("mentor", r.get("mentor"));
        data.put("status", r.get("status"));
        if (r.containsKey("updated")) {
            data.put("updated", r.get("updated"));
        }
        data.put("statusUrl", "/media/transfer/status/" + id);
        return MediaIntake.wrap(data);
    }
}
