package io.camelcast.analytics;

import io.camelcast.store.CheckpointStore;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Where a harvest's checkpoint lives: Redis (default) or, as the seed, an S3 object
 * ({@code camelcast.useractions.checkpoint-bucket} / {@code -key}). Values are YYYYMMDDHHmmss and only
 * move forward.
 */
public interface Checkpoints {

    String get();

    void advance(String value);

    static Checkpoints redis(CheckpointStore store, String name) {
        return new Checkpoints() {
            @Override
            public String get() {
                return store.get(name);
            }

            @Override
            public void advance(String value) {
                store.advance(name, value);
            }
        };
    }

    static Checkpoints s3(S3Client s3, String bucket, String key) {
        return new Checkpoints() {
            @Override
            public String get() {
                try {
                    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8).trim();
                } catch (NoSuchKeyException e) {
                    return null;
                }
            }

            @Override
            public void advance(String value) {
                String current = get();
                if (current == null || value.compareTo(current) > 0) {
                    s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(value));
                }
            }
        };
    }
}
