package io.camelcast.media;

import io.camelcast.config.Settings;
import io.camelcast.notify.Notifier;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import redis.clients.jedis.UnifiedJedis;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The media flow's beans (routes/media.yaml): the JWT check, the intake of answer uploads, thumbnails and
 * mentor transfers, and the task consumers with ffmpeg and the transcriber.
 */
public final class MediaConfiguration implements CamelConfiguration {

    private final Settings settings;

    public MediaConfiguration(Settings settings) {
        this.settings = settings;
    }

    /** The transcriber {@code camelcast.media.transcriber} names. */
    static Transcriber transcriber(Settings settings, S3Client s3) {
        String engine = settings.get("camelcast.media.transcriber");
        Duration timeout = Duration.ofSeconds(settings.getLong("camelcast.media.timeout"));
        String url = settings.get("camelcast.media.transcriber-url");
        switch (engine) {
            case "sim", "whisper-api" -> {
                if (url == null || url.isBlank()) {
                    // `run` starts the speech simulator for sim; a runtime started otherwise (tests, embedding)
                    // without one fails only its transcribing tasks, with this reason
                    return wav -> {
                        throw new WhisperApiTranscriber.Rejected("camelcast.media.transcriber=" + engine
                                + " needs camelcast.media.transcriber-url");
                    };
                }
                return new WhisperApiTranscriber(url, settings.get("camelcast.media.transcriber-api-key"),
                        settings.get("camelcast.media.transcriber-model"), timeout);
            }
            case "aws" -> {
                return new AwsTranscriber(settings.get("camelcast.media.aws-region"), s3, settings.get("camelcast.media.bucket"), timeout);
            }
            case "whisper" -> {
                return new WhisperTranscriber(model(settings, "camelcast.media.whisper-model", false,
                        "a whisper.cpp ggml model file, e.g. ggml-base.en.bin"));
            }
            case "vosk" -> {
                return new VoskTranscriber(model(settings, "camelcast.media.vosk-model", true,
                        "an unzipped Vosk model folder, e.g. vosk-model-small-en-us-0.15"));
            }
            default -> throw new Settings.ConfigException("camelcast.media.transcriber must be sim, whisper-api, whisper, vosk or aws, not "
                    + engine);
        }
    }

    /**
     * The model {@code key} names, checked before anything starts: set, present, readable, and a file (whisper)
     * or a folder (vosk); otherwise the start stops with what to set (README, Processing media).
     */
    static Path model(Settings settings, String key, boolean folder, String what) {
        String value = settings.get(key);
        String engine = settings.get("camelcast.media.transcriber");
        if (value == null || value.isBlank()) {
            throw new Settings.ConfigException("camelcast.media.transcriber=" + engine + " needs " + key + ": " + what
                    + " (README, Processing media, says where to get one)");
        }
        Path p = Path.of(value.trim());
        if (!java.nio.file.Files.exists(p)) {
            throw new Settings.ConfigException(key + "=" + p + " does not exist (" + what + ")");
        }
        if (folder ? !java.nio.file.Files.isDirectory(p) : !java.nio.file.Files.isRegularFile(p)) {
            throw new Settings.ConfigException(key + "=" + p + " is not " + (folder ? "a folder" : "a file") + " (" + what + ")");
        }
        if (!java.nio.file.Files.isReadable(p)) {
            throw new Settings.ConfigException(key + "=" + p + " cannot be read by this process");
        }
        return p;
    }

    @Override
    public void configure(CamelContext context) {
        Registry registry = context.getRegistry();
        UnifiedJedis redis = registry.lookupByNameAndType("redis", UnifiedJedis.class);
        S3Client s3 = registry.lookupByNameAndType("s3Client", S3Client.class);
        S3Presigner presigner = registry.lookupByNameAndType("s3Presigner", S3Presigner.class);
        Clock clock = Clock.systemUTC();
        String bucket = settings.get("camelcast.media.bucket");
        long maxUpload = settings.getLong("camelcast.media.max-upload");
        Path workDir = Path.of(settings.get("camelcast.media.work-dir"));
        long timeout = settings.getLong("camelcast.media.timeout");
        long keep = settings.getLong("camelcast.media.status-days") * 86_400L;
        MediaAuth auth = new MediaAuth(settings.get("camelcast.media.jwt-secret"));
        MediaRecords records = new MediaRecords(redis, clock, timeout * 4, keep);
        MediaStorage storage = new MediaStorage(s3, bucket);
        Ffmpeg ffmpeg = new Ffmpeg(settings.get("camelcast.media.ffmpeg"), settings.get("camelcast.media.ffprobe"), timeout);
        Renditions renditions = new Renditions(settings.getInt("camelcast.media.crf"), settings.get("camelcast.media.preset"));
        Map<String, String> queues = Map.of(
                MediaRecords.TRIM, settings.get("camelcast.media.trim-queue"),
                MediaRecords.WEB, settings.get("camelcast.media.web-queue"),
                MediaRecords.MOBILE, settings.get("camelcast.media.mobile-queue"),
                MediaRecords.TRANSCRIBE, settings.get("camelcast.media.transcribe-queue"),
                MediaRecords.THUMBNAIL, settings.get("camelcast.media.thumbnail-queue"));
        registry.bind("mediaIntake", new MediaIntake(auth, records, storage, workDir, maxUpload));
        registry.bind("mediaUploadUrls", new MediaUploadUrls(auth, presigner, bucket, maxUpload));
        registry.bind("mentorThumbnails", new MentorThumbnails(auth, storage, workDir, maxUpload, clock));
        registry.bind("mentorTransfers", new MentorTransfers(auth, s3, bucket, redis, clock, keep));
        Transcriber transcriber = transcriber(settings, s3);
        // bound by the runtime (CamelcastConfiguration) before the flows; absent when a flow runs alone
        registry.bind("mediaNotices", new MediaNotices(records, registry.lookupByNameAndType("notifier", Notifier.class)));
        registry.bind("mediaTasks", new MediaTasks(records, storage, ffmpeg, renditions, transcriber, workDir, queues));
        if (transcriber instanceof AutoCloseable closeable) {
            try {
                context.addService(new org.apache.camel.support.service.ServiceSupport() {
                    @Override
                    protected void doStop() throws Exception {
                        closeable.close();
                    }
                }, true);
            } catch (Exception e) {
                throw new IllegalStateException("cannot register the transcriber's shutdown", e);
            }
        }
    }
}
