package io.camelcast.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelcast.embedded.EmbeddedServices;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Exception;

class LoopbackPayloadSigningTest {

    private static final AwsCredentialsIdentity KEYS = AwsCredentialsIdentity.create("key", "secret");

    @Test
    void onlyPlainHttpToLoopbackLiterals() {
        assertTrue(LoopbackPayloadSigning.applies("http://127.0.0.1:9000"));
        assertTrue(LoopbackPayloadSigning.applies("http://127.1.2.3:80/"));
        assertTrue(LoopbackPayloadSigning.applies("http://localhost:9000"));
        assertTrue(LoopbackPayloadSigning.applies("http://[::1]:9000"));
        assertFalse(LoopbackPayloadSigning.applies("https://127.0.0.1:9000"), "HTTPS is unsigned-payload already");
        assertFalse(LoopbackPayloadSigning.applies("http://10.0.0.5:9000"), "a network hop keeps its payload signature");
        assertFalse(LoopbackPayloadSigning.applies("http://minio:9000"), "names are not resolved");
        assertFalse(LoopbackPayloadSigning.applies("http://127.0.0.1.example.com:9000"));
        assertFalse(LoopbackPayloadSigning.applies(""));
        assertFalse(LoopbackPayloadSigning.applies(null));
        assertFalse(LoopbackPayloadSigning.applies("not a url"));
    }

    @Test
    void headersSignedPayloadNotOverHttp() {
        SdkHttpRequest put = SdkHttpRequest.builder().method(SdkHttpMethod.PUT).protocol("http").host("127.0.0.1").port(41234)
                .encodedPath("/bucket/key").putHeader("Content-Length", "5").build();
        ContentStreamProvider body = ContentStreamProvider.fromUtf8String("hello");

        SignedRequest plain = AwsV4HttpSigner.create().sign(r -> props(r.identity(KEYS).request(put).payload(body)));
        SignedRequest loopback = new LoopbackPayloadSigning().signer().sign(r -> props(r.identity(KEYS).request(put).payload(body)));

        assertTrue(plain.request().firstMatchingHeader("x-amz-content-sha256").orElseThrow().startsWith("STREAMING-"),
                "the SDK alone signs every chunk over HTTP");
        assertEquals("UNSIGNED-PAYLOAD", loopback.request().firstMatchingHeader("x-amz-content-sha256").orElseThrow());
        assertTrue(loopback.request().firstMatchingHeader("Authorization").orElseThrow().startsWith("AWS4-HMAC-SHA256 Credential=key/"));
        assertEquals("http", loopback.request().protocol(), "sent as it was asked for");
        assertEquals(41234, loopback.request().port());
        assertEquals("127.0.0.1:41234", loopback.request().firstMatchingHeader("Host").orElse("127.0.0.1:41234"));
    }

    private static <B extends software.amazon.awssdk.http.auth.spi.signer.SignRequest.Builder<AwsCredentialsIdentity>> B props(B r) {
        r.putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3");
        r.putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1");
        r.putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false);
        r.putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, true);
        return r;
    }

    @Test
    void theEmbeddedStoreTakesItAndStillChecksTheKey(@TempDir Path dir) throws Exception {
        try (EmbeddedServices e = EmbeddedServices.start(new EmbeddedServices.Options(dir, true, false, false, 0, 0, 0, "key", "secret",
                "us-east-1", List.of("media"), List.of()));
             S3Client s3 = client(e.s3Endpoint(), "secret"); S3Client wrong = client(e.s3Endpoint(), "not-the-secret")) {
            s3.putObject(b -> b.bucket("media").key("a.txt"), RequestBody.fromString("loopback bytes"));
            assertEquals("loopback bytes", s3.getObjectAsBytes(b -> b.bucket("media").key("a.txt")).asString(StandardCharsets.UTF_8));
            S3Exception denied = assertThrows(S3Exception.class,
                    () -> wrong.putObject(b -> b.bucket("media").key("b.txt"), RequestBody.fromString("forged")));
            assertEquals(403, denied.statusCode());
            assertThrows(S3Exception.class, () -> s3.headObject(b -> b.bucket("media").key("b.txt")), "nothing was stored");
        }
    }

    private static S3Client client(String endpoint, String secret) {
        return S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("key", secret)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .putAuthScheme(new LoopbackPayloadSigning()).build();
    }
}
