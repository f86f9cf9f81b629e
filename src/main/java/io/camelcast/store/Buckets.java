package io.camelcast.store;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The buckets a configuration names must exist before a flow writes to them: the embedded S3 creates them as it
 * starts; on a real store (AWS S3, MinIO, B2) {@code run} asks for each and creates the missing ones, as the
 * operator would by hand. A bucket another account owns, or one this account may not list, is reported, never
 * "fixed".
 */
public final class Buckets {

    /** What {@link #ensure} found. */
    public enum Outcome { EXISTS, CREATED }

    private Buckets() {
    }

    /**
     * Creates {@code bucket} when the store has no such bucket. Throws {@link IllegalStateException} with the
     * store's reason when the bucket cannot be used (403: another owner or no permission) or not created.
     */
    public static Outcome ensure(S3Client s3, String bucket) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
            return Outcome.EXISTS;
        } catch (S3Exception e) {
            if (e.statusCode() == 403) {
                throw new IllegalStateException("bucket " + bucket + " exists but these credentials may not use it (403)");
            }
            if (e.statusCode() != 404) {
                throw new IllegalStateException("cannot check bucket " + bucket + ": HTTP " + e.statusCode() + " "
                        + e.awsErrorDetails().errorMessage());
            }
        }
        Region region = s3.serviceClientConfiguration().region();
        try {
            s3.createBucket(b -> {
                b.bucket(bucket);
                // us-east-1 is the one region that refuses its own name as a location constraint
                if (region != null && !Region.US_EAST_1.equals(region)) {
                    b.createBucketConfiguration(c -> c.locationConstraint(region.id()));
                }
            });
            return Outcome.CREATED;
        } catch (BucketAlreadyOwnedByYouException raced) {
            return Outcome.EXISTS; // another instance created it a moment ago
        } catch (S3Exception e) {
            throw new IllegalStateException("cannot create bucket " + bucket + ": HTTP " + e.statusCode() + " "
                    + e.awsErrorDetails().errorMessage());
        }
    }
}
