package io.camelcast.embedded;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * S3 protocol in process: S3Proxy on loopback over a folder ({@code data/s3}), SigV4 authentication
 * with the embedded credentials. Objects are plain files, so they survive any restart.
 */
final class EmbeddedS3 implements AutoCloseable {

    private final S3Proxy proxy;

    private EmbeddedS3(S3Proxy proxy) {
        this.proxy = proxy;
    }

    static EmbeddedS3 start(Path dir, int port, String accessKey, String secretKey, List<String> buckets)
            throws Exception {
        Files.createDirectories(dir);
        BlobStore store = new FilesystemNio2BlobStore(dir.toString());
        for (String bucket : buckets) {
            if (!store.containerExists(bucket)) {
                store.createContainer(bucket);
            }
        }
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(5);
        }
        return new EmbeddedS3(proxy);
    }

    String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
