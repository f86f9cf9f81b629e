package io.camelcast.store;

import io.camelcast.messages.UploadItem;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An upload's bytes, opened at any offset: an object in the staging bucket (TUS and custom uploads, Zoom
 * recordings), or a local file (an item queued by a version that kept uploads on disk). Targets read ranges of it, so a retry or a resumed
 * transfer starts where it stopped instead of at byte 0, and nothing is held in memory.
 */
public interface MediaSource {

    long size();

    /** {@code length} bytes from {@code offset}. */
    InputStream open(long offset, long length) throws IOException;

    static MediaSource of(UploadItem item, S3Client staging) {
        // staged first: a custom upload keeps its local path for the instance that received it, but is read from S3
        if (item.bucket != null && item.key != null) {
            return staged(staging, item.bucket, item.key, item.size);
        }
        if (item.path != null) {
            return local(Path.of(item.path), item.size);
        }
        throw new IllegalArgumentException("upload " + item.id + " has neither a path nor a staging object");
    }

    static MediaSource local(Path file, long size) {
        return new MediaSource() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public InputStream open(long offset, long length) throws IOException {
                FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
                ch.position(offset);
                return new Bounded(Channels.newInputStream(ch), length);
            }
        };
    }

    static MediaSource staged(S3Client s3, String bucket, String key, long size) {
        return new MediaSource() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public InputStream open(long offset, long length) {
                if (length == 0) {
                    return InputStream.nullInputStream();
                }
                return s3.getObject(b -> b.bucket(bucket).key(key).range("bytes=" + offset + "-" + (offset + length - 1)));
            }
        };
    }

    /** At most {@code remaining} bytes of the stream it wraps. */
    final class Bounded extends FilterInputStream {
        private long remaining;

        Bounded(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, remaining));
            remaining -= skipped;
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
