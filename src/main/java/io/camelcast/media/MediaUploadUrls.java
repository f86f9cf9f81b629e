package io.camelcast.media;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * {@code GET /media/upload/url}: the seed's upload-url.py, a presigned upload for files too large to send
 * through the API, to {@code uploads/{caller id}/{uuid}} in the media bucket, valid an hour. The seed gave a
 * presigned POST with a 100 MB content-length-range; the AWS SDK v2 presigns PUTs only, so the size limit
 * ({@code camelcast.media.max-upload}) is checked when the upload is completed: {@code POST
 * /media/upload/answer} with {@code {"mentor","question","video": key,"trim"?}} (a larger file is removed and
 * answered 413), which starts the same tasks as a multipart upload.
 */
public final class MediaUploadUrls {

    static final Duration VALIDITY = Duration.ofHours(1);

    private final MediaAuth auth;
    private final S3Presigner presigner;
    private final String bucket;
    private final long maxUpload;

    public MediaUploadUrls(MediaAuth auth, S3Presigner presigner, String bucket, long maxUpload) {
        this.auth = auth;
        this.presigner = presigner;
        this.bucket = bucket;
        this.maxUpload = maxUpload;
    }

    /** The key prefix a caller's presigned uploads get (the token's id, made safe for a key). */
    static String prefix(MediaAuth.Caller caller) {
        return "uploads/" + caller.id().replaceAll("[^A-Za-z0-9_.-]", "_") + "/";
    }

    public String url(String authorization) throws IOException {
        MediaAuth.Caller caller = auth.caller(authorization);
        String key = prefix(caller) + UUID.randomUUID();
        PresignedPutObjectRequest p = presigner.presignPutObject(b -> b.signatureDuration(VALIDITY)
                .putObjectRequest(o -> o.bucket(bucket).key(key)));
        ObjectNode data = MediaIntake.JSON.createObjectNode();
        data.put("url", p.url().toString());
        data.put("method", "PUT");
        data.put("key", key);
        data.put("expiresIn", VALIDITY.toSeconds());
        data.put("maxBytes", maxUpload);
        data.putObject("fields").put("key", key);
        return MediaIntake.wrap(data);
    }
}
