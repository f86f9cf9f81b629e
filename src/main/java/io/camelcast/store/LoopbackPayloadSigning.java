package io.camelcast.store;

import java.net.URI;
import java.util.regex.Pattern;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * SigV4 for an S3 endpoint on this machine's loopback (the embedded store): headers signed as always,
 * the payload sent as {@code UNSIGNED-PAYLOAD}, as the SDK already does over HTTPS.
 *
 * <p>Why: over plain HTTP the AWS SDK always signs the payload, in 128 KiB chunks (an extra SHA-256
 * pass and chunk framing on our side, the same again in S3Proxy to verify it). Profiled with
 * {@code bench/recording}, that was about a sixth of all CPU spent staging a recording; staging
 * already hashes every byte itself (SHA-256, checked at the end) and S3Proxy keeps the MD5 as the
 * ETag. Payload signing protects bytes crossing a network; on loopback there is none, so for a
 * loopback endpoint only, the signer is told the request is HTTPS (protocol is not part of the
 * signature) and the request goes out as HTTP. Any other endpoint keeps the SDK's own rules.
 */
public final class LoopbackPayloadSigning implements AwsV4AuthScheme {

    private static final AwsV4HttpSigner SIGV4 = AwsV4HttpSigner.create();
    private static final Pattern LOOPBACK_V4 = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    /**
     * True when {@code endpoint} is plain HTTP to a loopback address written as such (127.0.0.0/8, [::1],
     * localhost); host names are not looked up, so a name that only resolves to loopback keeps signing.
     */
    public static boolean applies(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            return false;
        }
        try {
            URI uri = URI.create(endpoint.trim());
            String host = uri.getHost();
            return "http".equalsIgnoreCase(uri.getScheme()) && host != null
                    && (host.equalsIgnoreCase("localhost") || LOOPBACK_V4.matcher(host).matches() || host.equals("[::1]"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public String schemeId() {
        return AwsV4AuthScheme.SCHEME_ID;
    }

    @Override
    public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
        return providers.identityProvider(AwsCredentialsIdentity.class);
    }

    @Override
    public AwsV4HttpSigner signer() {
        return new AwsV4HttpSigner() {
            @Override
            public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
                SdkHttpRequest http = request.request();
                SignedRequest signed = SIGV4.sign(request.copy(r -> r.request(asHttps(http))));
                return signed.copy(r -> r.request(asSent(signed.request(), http)));
            }

            @Override
            public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
                SdkHttpRequest http = request.request();
                return SIGV4.signAsync(request.copy(r -> r.request(asHttps(http))))
                        .thenApply(signed -> signed.copy(r -> r.request(asSent(signed.request(), http))));
            }
        };
    }

    private static SdkHttpRequest asHttps(SdkHttpRequest http) {
        return http.toBuilder().protocol("https").port(http.port()).build();
    }

    private static SdkHttpRequest asSent(SdkHttpRequest signed, SdkHttpRequest original) {
        return signed.toBuilder().protocol(original.protocol()).port(original.port()).build();
    }
}
