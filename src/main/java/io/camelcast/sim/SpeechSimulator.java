package io.camelcast.sim;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A speech-to-text service as OpenAI documents its audio API (API reference, "Create transcription"):
 * {@code POST /v1/audio/transcriptions}, multipart {@code file} (required, at most 25 MB), {@code model}
 * (required), {@code response_format} ({@code json} default, {@code text}, {@code srt}, {@code verbose_json},
 * {@code vtt}), {@code language}, {@code prompt}, {@code temperature}; {@code Authorization: Bearer KEY};
 * errors as {@code {"error": {"message", "type", "param", "code"}}} (401 bad key, 400 bad request, 413 too large).
 *
 * <p>The transcript is derived from the audio itself, deterministically: the simulator decodes PCM WAV (the
 * one container it reads; other formats are refused as unsupported), cuts it into half-second windows, treats
 * quiet windows as pauses and names each loud one by a word picked from its loudness and zero crossings.
 * The same audio always gives the same words, different audio different ones, silence none. Cues are runs of
 * sound up to four seconds. {@code GET /_sim/transcriptions} lists what was asked.
 */
public final class SpeechSimulator extends SimServer {

    public static final String DEFAULT_KEY = "sim-speech-key";
    static final long MAX_BYTES = 25L * 1024 * 1024;
    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
    private static final Pattern NAME = Pattern.compile("\\bname=\"([^\"]*)\"");
    private static final String[] WORDS = {"answer", "mentor", "question", "camel", "video", "learning", "student",
            "future", "career", "science", "engineer", "story", "advice", "team", "project", "research", "practice",
            "school", "university", "problem", "solution", "idea", "work", "people", "experience", "mission", "skill",
            "code", "design", "data", "music", "travel"};

    private final List<Map<String, Object>> requests = new CopyOnWriteArrayList<>();
    private volatile String key = DEFAULT_KEY;

    public SpeechSimulator() {
        super("speech");
        on("POST", "/v1/audio/transcriptions", this::transcribe);
        on("GET", "/_sim/transcriptions", r -> r.json(200, requests));
    }

    public void setKey(String key) {
        this.key = key;
    }

    /** One cue: seconds and words. */
    record Cue(double start, double end, String text) {
    }

    private void transcribe(Request r) throws IOException {
        String auth = r.header("Authorization");
        if (auth == null || !auth.equals("Bearer " + key)) {
            error(r, 401, "Incorrect API key provided.", null, "invalid_api_key");
            return;
        }
        byte[] body = r.bodyStream().readNBytes((int) MAX_BYTES + 64 * 1024);
        if (body.length > MAX_BYTES + 32 * 1024) {
            error(r, 413, "Maximum content size limit (" + MAX_BYTES + ") exceeded.", "file", null);
            return;
        }
        Map<String, byte[]> form;
        try {
            form = multipart(r.header("Content-Type"), body);
        } catch (IllegalArgumentException e) {
            error(r, 400, e.getMessage(), null, null);
            return;
        }
        if (!form.containsKey("file")) {
            error(r, 400, "Missing required parameter: 'file'.", "file", null);
            return;
        }
        if (!form.containsKey("model")) {
            error(r, 400, "Missing required parameter: 'model'.", "model", null);
            return;
        }
        String format = form.containsKey("response_format") ? new String(form.get("response_format"), StandardCharsets.UTF_8).trim() : "json";
        List<Cue> cues;
        double seconds;
        try {
            Pcm pcm = pcm(form.get("file"));
            seconds = pcm.samples().length / (double) pcm.rate();
            cues = cues(pcm.samples(), pcm.rate());
        } catch (IllegalArgumentException e) {
            error(r, 400, "Invalid file format. Supported formats: ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', "
                    + "'ogg', 'wav', 'webm'] (this simulator decodes PCM WAV only: " + e.getMessage() + ")", "file", null);
            return;
        }
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("model", new String(form.get("model"), StandardCharsets.UTF_8));
        seen.put("bytes", form.get("file").length);
        seen.put("format", format);
        seen.put("cues", cues.size());
        requests.add(seen);
        String text = String.join(" ", cues.stream().map(Cue::text).toList());
        switch (format) {
            case "vtt" -> r.send(200, "text/vtt; charset=utf-8", vtt(cues).getBytes(StandardCharsets.UTF_8));
            case "srt" -> r.send(200, "text/plain; charset=utf-8", srt(cues).getBytes(StandardCharsets.UTF_8));
            case "text" -> r.text(200, text + "\n");
            case "json" -> r.json(200, Map.of("text", text));
            case "verbose_json" -> {
                List<Map<String, Object>> segments = new ArrayList<>();
                for (int i = 0; i < cues.size(); i++) {
                    segments.add(Map.of("id", i, "start", cues.get(i).start(), "end", cues.get(i).end(), "text", cues.get(i).text()));
                }
                r.json(200, Map.of("task", "transcribe", "language", "english", "duration", seconds, "text", text, "segments", segments));
            }
            default -> error(r, 400, "Invalid value for 'response_format': " + format, "response_format", null);
        }
    }

    /** Samples of the first channel and the sample rate. */
    record Pcm(short[] samples, int rate) {
    }

    /** 16-bit PCM samples of a WAV file, first channel. */
    static Pcm pcm(byte[] wav) {
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        if (wav.length < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
            throw new IllegalArgumentException("not a RIFF/WAVE file");
        }
        int channels = 0;
        int bits = 0;
        int rate = 0;
        int pos = 12;
        while (pos + 8 <= wav.length) {
            int id = b.getInt(pos);
            int size = b.getInt(pos + 4);
            if (id == 0x20746d66) { // "fmt "
                if (b.getShort(pos + 8) != 1) {
                    throw new IllegalArgumentException("not PCM");
                }
                channels = b.getShort(pos + 10);
                rate = b.getInt(pos + 12);
                bits = b.getShort(pos + 22);
            } else if (id == 0x61746164) { // "data"
                if (bits != 16 || channels < 1 || rate <= 0) {
                    throw new IllegalArgumentException("16-bit PCM expected");
                }
                int end = size < 0 || pos + 8 + size > wav.length ? wav.length : pos + 8 + size;
                int frames = (end - pos - 8) / (2 * channels);
                short[] out = new short[frames];
                for (int i = 0; i < frames; i++) {
                    out[i] = b.getShort(pos + 8 + i * 2 * channels);
                }
                return new Pcm(out, rate);
            }
            pos += 8 + size + (size & 1);
        }
        throw new IllegalArgumentException("no data chunk");
    }

    /** Half-second windows; a loud one is a word from its loudness and zero crossings. */
    static List<Cue> cues(short[] samples, int rate) {
        int window = Math.max(1, rate / 2);
        List<Cue> cues = new ArrayList<>();
        StringBuilder words = new StringBuilder();
        double start = -1;
        for (int w = 0; w * window < samples.length; w++) {
            int from = w * window;
            int to = Math.min(samples.length, from + window);
            double sum = 0;
            int crossings = 0;
            for (int i = from; i < to; i++) {
                sum += (double) samples[i] * samples[i];
                if (i > from && (samples[i] >= 0) != (samples[i - 1] >= 0)) {
                    crossings++;
                }
            }
            double rms = Math.sqrt(sum / (to - from));
            double t = from / (double) rate;
            boolean loud = rms > 300;
            if (loud) {
                if (start < 0) {
                    start = t;
                }
                int loudness = (int) (20 * Math.log10(rms));
                words.append(words.length() == 0 ? "" : " ").append(WORDS[Math.floorMod(crossings * 7 + loudness, WORDS.length)]);
            }
            double end = to / (double) rate;
            if (start >= 0 && (!loud || end - start >= 4.0 || to == samples.length)) {
                cues.add(new Cue(start, loud ? end : t, words.toString()));
                start = -1;
                words.setLength(0);
            }
        }
        return cues;
    }

    static String vtt(List<Cue> cues) {
        StringBuilder b = new StringBuilder("WEBVTT\n\n");
        for (Cue c : cues) {
            b.append(stamp(c.start(), '.')).append(" --> ").append(stamp(c.end(), '.')).append('\n').append(c.text()).append("\n\n");
        }
        return b.toString();
    }

    static String srt(List<Cue> cues) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cues.size(); i++) {
            Cue c = cues.get(i);
            b.append(i + 1).append('\n').append(stamp(c.start(), ',')).append(" --> ").append(stamp(c.end(), ','))
                    .append('\n').append(c.text()).append("\n\n");
        }
        return b.toString();
    }

    static String stamp(double seconds, char sep) {
        long ms = Math.round(seconds * 1000);
        return String.format(Locale.ROOT, "%02d:%02d:%02d%c%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, sep, ms % 1000);
    }

    private static Map<String, byte[]> multipart(String contentType, byte[] body) {
        Matcher m = contentType == null ? null : BOUNDARY.matcher(contentType);
        if (m == null || !m.find()) {
            throw new IllegalArgumentException("Content-Type must be multipart/form-data");
        }
        String text = new String(body, StandardCharsets.ISO_8859_1);
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String part : text.split(Pattern.quote("--" + m.group(1)))) {
            int headerEnd = part.indexOf("\r\n\r\n");
            if (part.startsWith("--") || headerEnd < 0) {
                continue;
            }
            Matcher n = NAME.matcher(part.substring(0, headerEnd));
            if (!n.find()) {
                continue;
            }
            String value = part.substring(headerEnd + 4);
            if (value.endsWith("\r\n")) {
                value = value.substring(0, value.length() - 2);
            }
            out.put(n.group(1), value.getBytes(StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    private static void error(Request r, int status, String message, String param, String code) throws IOException {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("message", message);
        e.put("type", "invalid_request_error");
        e.put("param", param);
        e.put("code", code);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", e);
        r.json(status, out);
    }
}
