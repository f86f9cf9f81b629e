package io.camelcast.store;

import io.camelcast.config.Settings;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;

/**
 * Builds the AWS SDK clients every part of Camelcast shares (Camel's aws2 components, health checks,
 * the CLI) from {@code camelcast.s3.*} and {@code camelcast.sqs.*}: the same code talks to the
 * embedded servers, MinIO, Backblaze B2 or AWS; only the endpoint and credentials differ.
 */
public final class AwsClients {

    private AwsClients() {
    }

    public static S3Client s3(Settings s) {
        var b = S3Client.builder()
                .region(Region.of(s.get("camelcast.s3.region", "us-east-1")))
                .credentialsProvider(credentials(s, "s3"))
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(s.getBoolean("camelcast.s3.path-style")).build())
                // staging hashes every recording itself (SHA-256): no extra CRC pass on every part
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(64)
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(120)));
        if (s.isSet("camelcast.s3.endpoint")) {
            b.endpointOverride(URI.create(s.get("camelcast.s3.endpoint")));
            if (LoopbackPayloadSigning.applies(s.get("camelcast.s3.endpoint"))) {
                // the embedded store: no per-chunk payload signature to compute here and verify there
                b.putAuthScheme(new LoopbackPayloadSigning());
            }
        }
        return b.build();
    }

    /**
     * The archive bucket's client ({@code camelcast.archive.endpoint}, {@code .region}, {@code .access-key},
     * {@code .secret-key}, {@code .path-style}: Backblaze B2's S3 endpoint in production); each key left
     * blank falls back to the staging store's, so by default the archive is a bucket of the embedded S3.
     */
    public static S3Client archive(Settings s) {
        Settings a = s;
        for (String k : java.util.List.of("endpoint", "region", "access-key", "secret-key", "path-style")) {
            if (s.isSet("camelcast.archive." + k)) {
                a = a.with("camelcast.s3." + k, s.get("camelcast.archive." + k));
            }
        }
        return s3(a);
    }

    /**
     * The archive bucket is in the staging store (same endpoint and account), so an object can be copied from
     * staging to the archive inside the store, without its bytes passing through an instance.
     */
    public static boolean archiveSharesStaging(Settings s) {
        for (String k : java.util.List.of("endpoint", "access-key")) {
            if (s.isSet("camelcast.archive." + k) && !s.get("camelcast.archive." + k).equals(s.get("camelcast.s3." + k))) {
                return false;
            }
        }
        return true;
    }

    public static S3Presigner presigner(Settings s) {
        var b = S3Presigner.builder()
                .region(Region.of(s.get("camelcast.s3.region", "us-east-1")))
                .credentialsProvider(credentials(s, "s3"))
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(s.getBoolean("camelcast.s3.path-style")).build());
        if (s.isSet("camelcast.s3.endpoint")) {
            b.endpointOverride(URI.create(s.get("camelcast.s3.endpoint")));
        }
        return b.build();
    }

    public static SqsClient sqs(Settings s) {
        var b = SqsClient.builder()
                .region(Region.of(s.get("camelcast.sqs.region", "us-east-1")))
                .credentialsProvider(credentials(s, "sqs"))
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(64)
                        .connectionTimeout(Duration.ofSeconds(10))
                        // long polls last up to 20 s
                        .socketTimeout(Duration.ofSeconds(30)));
        if (s.isSet("camelcast.sqs.endpoint")) {
            b.endpointOverride(URI.create(s.get("camelcast.sqs.endpoint")));
        }
        return b.build();
    }

    /** Static keys when configured, else the SDK's default chain (instance role, AWS_* variables, profile). */
    static AwsCredentialsProvider credentials(Settings s, String service) {
        String access = s.get("camelcast." + service + ".access-key");
        String secret = s.get("camelcast." + service + ".secret-key");
        if (access != null && !access.isEmpty()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(access, secret == null ? "" : secret));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
