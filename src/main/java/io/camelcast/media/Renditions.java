package io.camelcast.media;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ffmpeg arguments of each output, from the seed's media_tools.py, with these changes (README
 * "Processing media"):
 * <ul>
 *   <li>web: cropped to 16:9 around the centre whatever the input's shape, then at most 720 high (the seed
 *       only cropped wide inputs and squashed 4:3 and portrait ones into 16:9);</li>
 *   <li>mobile: a centre square, 480×480; landscape is zoomed in as the seed did (a square of ¾ of the
 *       height), portrait is cropped instead of squashed;</li>
 *   <li>x264 quality {@code camelcast.media.crf} (default 20; the seed's 10 made files several times larger
 *       for no visible gain at 720p) and speed {@code camelcast.media.preset}; the seed's AAC 320 kb/s stereo,
 *       30 fps, yuv420p and {@code +faststart} are kept;</li>
 *   <li>trim: seconds with decimals, re-encoded as the seed did (so the cut is frame-exact), into an MP4
 *       every other output is then made from.</li>
 * </ul>
 */
public final class Renditions {

    public static final int WEB_MAX_HEIGHT = 720;
    public static final int MOBILE_SIZE = 480;

    private final int crf;
    private final String preset;

    public Renditions(int crf, String preset) {
        this.crf = crf;
        this.preset = preset;
    }

    /** Width and height of a crop or a scale. */
    public record Size(int width, int height) {
    }

    /** The centred 16:9 crop of a {@code w}×{@code h} frame (even sizes). */
    public static Size webCrop(int w, int h) {
        if ((long) w * 9 >= (long) h * 16) {
            return new Size(even(h * 16.0 / 9), even(h));
        }
        return new Size(even(w), even(w * 9.0 / 16));
    }

    /** The web output's size: the crop, at most {@value #WEB_MAX_HEIGHT} high, still 16:9. */
    public static Size webSize(int w, int h) {
        Size crop = webCrop(w, h);
        int height = Math.min(WEB_MAX_HEIGHT, crop.height());
        return new Size(even(height * 16.0 / 9), even(height));
    }

    /** The square the mobile output is cut from. */
    public static Size mobileCrop(int w, int h) {
        int side = w > h ? even(h * 0.75) : even(w);
        return new Size(side, side);
    }

    public List<String> web(Path in, int w, int h, Path out) {
        Size crop = webCrop(w, h);
        Size size = webSize(w, h);
        return video(in, "crop=" + crop.width() + ":" + crop.height() + ",scale=" + size.width() + ":" + size.height()
                + ",setsar=1,fps=30", out);
    }

    public List<String> mobile(Path in, int w, int h, Path out) {
        Size crop = mobileCrop(w, h);
        return video(in, "crop=" + crop.width() + ":" + crop.height() + ",scale=" + MOBILE_SIZE + ":" + MOBILE_SIZE
                + ",setsar=1,fps=30", out);
    }

    /** The seed's trim, re-encoded at the input's size (rounded to even, as the seed). */
    public List<String> trim(Path in, int w, int h, double start, double end, Path out) {
        List<String> a = new ArrayList<>(List.of("-i", in.toString(), "-ss", secs(start), "-to", secs(end),
                "-filter:v", "scale=" + even(w) + ":" + even(h)));
        a.addAll(encode());
        a.add(out.toString());
        return a;
    }

    /** One JPEG frame at second 1 (the seed's {@code -ss 00:00:01 -vframes 1 -q:v 2}), or the first for shorter videos. */
    public List<String> thumbnail(Path in, double seconds, Path out) {
        String at = seconds > 1.0 ? "1" : "0";
        return List.of("-i", in.toString(), "-ss", at, "-frames:v", "1", "-q:v", "2", "-f", "image2", out.toString());
    }

    /** 16 kHz mono PCM WAV, what speech engines take. */
    public List<String> audio(Path in, Path out) {
        return List.of("-i", in.toString(), "-vn", "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", "-f", "wav", out.toString());
    }

    private List<String> video(Path in, String filter, Path out) {
        List<String> a = new ArrayList<>(List.of("-i", in.toString(), "-filter:v", filter));
        a.addAll(encode());
        a.add(out.toString());
        return a;
    }

    private List<String> encode() {
        return List.of("-c:v", "libx264", "-preset", preset, "-crf", Integer.toString(crf), "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "320k", "-ac", "2", "-movflags", "+faststart", "-f", "mp4");
    }

    static String secs(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    private static int even(double v) {
        int i = (int) Math.round(v);
        return i % 2 == 0 ? i : i - 1;
    }
}
