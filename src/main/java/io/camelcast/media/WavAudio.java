package io.camelcast.media;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The samples of the WAV the transcribing task extracts with ffmpeg ({@code Renditions.audio}: 16 kHz, mono,
 * signed 16-bit little-endian PCM): opened as a stream positioned at the first sample, so an engine reads
 * the audio in pieces and never holds a long recording whole. Anything else is refused with what it is.
 */
final class WavAudio {

    static final int RATE = 16_000;

    private WavAudio() {
    }

    /** The PCM bytes of {@code wav}, after its header; the caller closes the stream. */
    static InputStream open(Path wav) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(wav), 1 << 16);
        try {
            byte[] riff = in.readNBytes(12);
            if (riff.length < 12 || !"RIFF".equals(new String(riff, 0, 4, "US-ASCII")) || !"WAVE".equals(new String(riff, 8, 4, "US-ASCII"))) {
                throw new IOException(wav.getFileName() + " is not a WAV file");
            }
            boolean format = false;
            while (true) {
                byte[] head = in.readNBytes(8);
                if (head.length < 8) {
                    throw new IOException(wav.getFileName() + " has no audio data");
                }
                String id = new String(head, 0, 4, "US-ASCII");
                long size = le32(head, 4);
                if ("fmt ".equals(id)) {
                    byte[] fmt = in.readNBytes((int) Math.min(size, 64));
                    skip(in, size - fmt.length + (size & 1));
                    int codec = le16(fmt, 0);
                    int channels = le16(fmt, 2);
                    long rate = le32(fmt, 4);
                    int bits = le16(fmt, 14);
                    // 0xFFFE: WAVE_FORMAT_EXTENSIBLE, which ffmpeg writes for some layouts; still PCM here
                    if ((codec != 1 && codec != 0xFFFE) || channels != 1 || rate != RATE || bits != 16) {
                        throw new IOException("the transcriber needs 16 kHz mono 16-bit PCM, not codec=" + codec
                                + " channels=" + channels + " rate=" + rate + " bits=" + bits);
                    }
                    format = true;
                } else if ("data".equals(id)) {
                    if (!format) {
                        throw new IOException(wav.getFileName() + ": audio data before its format");
                    }
                    return in;
                } else {
                    skip(in, size + (size & 1));
                }
            }
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * Fills {@code into} with up to its length samples as floats in [-1, 1) and returns how many were read
     * (0 at the end of the audio).
     */
    static int readFloats(InputStream pcm, float[] into, byte[] scratch) throws IOException {
        int n = 0;
        while (n < into.length) {
            int want = Math.min(scratch.length, (into.length - n) * 2) & ~1;
            int got = pcm.readNBytes(scratch, 0, want);
            for (int i = 0; i + 1 < got; i += 2) {
                into[n++] = (short) ((scratch[i] & 0xff) | (scratch[i + 1] << 8)) / 32768f;
            }
            if (got < want) {
                break;
            }
        }
        return n;
    }

    private static void skip(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("the WAV ends inside a chunk");
                }
                s = 1;
            }
            left -= s;
        }
    }

    private static int le16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static long le32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }
}
