package io.camelcast.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * ffmpeg and ffprobe as child processes working on files: the JVM never holds the media, only the last
 * few KB of the tool's error output (the reason a status and a dead letter show). A process still running
 * when the task is interrupted (Camel stopping) is killed, so a restart never finds a stray ffmpeg.
 */
public final class Ffmpeg {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REASON_BYTES = 4096;

    /** What ffprobe says about a file. {@code width}/{@code height} are 0 without a video stream. */
    public record Probe(int width, int height, boolean audio, double seconds) {
        public boolean video() {
            return width > 0 && height > 0;
        }
    }

    /** ffprobe cannot read the input: no retry can fix it (a corrupt or non-media upload). */
    public static final class Unreadable extends RuntimeException {
        public Unreadable(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * The task was interrupted (the runtime is stopping): not a failure; its message stays on the queue and
     * is taken again after a restart.
     */
    public static final class Stopped extends RuntimeException {
        public Stopped(String message) {
            super(message, null, false, false);
        }
    }

    /** ffmpeg ran and failed: retried (a full disk, a killed process), then the dead-letter queue. */
    public static final class Failed extends IOException {
        public Failed(String reason) {
            super(reason);
        }
    }

    private final String ffmpeg;
    private final String ffprobe;
    private final long timeoutSeconds;

    public Ffmpeg(String ffmpeg, String ffprobe, long timeoutSeconds) {
        this.ffmpeg = ffmpeg;
        this.ffprobe = ffprobe;
        this.timeoutSeconds = timeoutSeconds;
    }

    public Probe probe(Path file) throws IOException {
        List<String> cmd = List.of(ffprobe, "-v", "error", "-show_entries", "stream=codec_type,width,height:format=duration",
                "-of", "json", file.toString());
        Result r = exec(cmd, true);
        if (r.exit != 0) {
            throw new Unreadable("ffprobe: " + r.reason);
        }
        JsonNode root = JSON.readTree(r.stdout);
        int width = 0;
        int height = 0;
        boolean audio = false;
        for (JsonNode s : root.path("streams")) {
            String type = s.path("codec_type").asText();
            if ("video".equals(type) && width == 0) {
                width = s.path("width").asInt();
                height = s.path("height").asInt();
            } else if ("audio".equals(type)) {
                audio = true;
            }
        }
        double seconds = root.path("format").path("duration").asDouble(0);
        return new Probe(width, height, audio, seconds);
    }

    /** {@code ffmpeg -nostdin -y -hide_banner -loglevel error ARGS}; {@link Failed} with ffmpeg's reason otherwise. */
    public void run(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-nostdin", "-y", "-hide_banner", "-loglevel", "error"));
        cmd.addAll(args);
        Result r = exec(cmd, false);
        if (r.exit != 0) {
            throw new Failed("ffmpeg exit " + r.exit + ": " + r.reason);
        }
    }

    private record Result(int exit, String stdout, String reason) {
    }

    /**
     * The reason names files by their names only: it reaches the upload's status, which the mentor reads, and
     * the host's directories (the work directory, the instance's disk layout) are not theirs to see.
     */
    static String withoutDirectories(String reason, List<String> cmd) {
        String out = reason;
        for (String arg : cmd.subList(1, cmd.size())) {
            if (arg.startsWith("/") && arg.length() > 1) {
                Path name = Path.of(arg).getFileName();
                out = out.replace(arg, name == null ? arg : name.toString());
            }
        }
        return out;
    }

    private Result exec(List<String> cmd, boolean keepStdout) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (!keepStdout) {
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new Failed("cannot start " + cmd.get(0) + ": " + e.getMessage());
        }
        try {
            Tail err = new Tail(p.getErrorStream());
            Thread drain = new Thread(err, "ffmpeg-stderr");
            drain.setDaemon(true);
            drain.start();
            String out = keepStdout ? new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8) : "";
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new Failed(cmd.get(0) + " took longer than " + timeoutSeconds + " s");
            }
            drain.join(5000);
            return new Result(p.exitValue(), out, withoutDirectories(err.text(), cmd));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped(cmd.get(0) + " stopped: the runtime is stopping");
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    /** The last {@value #REASON_BYTES} bytes of a stream, read to its end. */
    private static final class Tail implements Runnable {
        private final InputStream in;
        private final byte[] ring = new byte[REASON_BYTES];
        private long total;

        Tail(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (this) {
                        for (int i = 0; i < n; i++) {
                            ring[(int) (total++ % REASON_BYTES)] = buf[i];
                        }
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }

        synchronized String text() {
            int len = (int) Math.min(total, REASON_BYTES);
            byte[] out = new byte[len];
            for (int i = 0; i < len; i++) {
                out[i] = ring[(int) ((total - len + i) % REASON_BYTES)];
            }
            String s = new String(out, StandardCharsets.UTF_8).strip();
            // the last lines say why; one line each in a status
            String[] lines = s.split("\\R");
            StringBuilder b = new StringBuilder();
            for (int i = Math.max(0, lines.length - 3); i < lines.length; i++) {
                if (b.length() > 0) {
                    b.append(" | ");
                }
                b.append(lines[i].strip());
            }
            return b.length() == 0 ? "(no output)" : b.toString();
        }
    }
}
