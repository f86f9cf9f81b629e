package io.camelcast.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.transcribe.TranscribeClient;
import software.amazon.awssdk.services.transcribe.model.LanguageCode;
import software.amazon.awssdk.services.transcribe.model.MediaFormat;
import software.amazon.awssdk.services.transcribe.model.SubtitleFormat;
import software.amazon.awssdk.services.transcribe.model.TranscriptionJob;
import software.amazon.awssdk.services.transcribe.model.TranscriptionJobStatus;

/**
 * Amazon Transcribe, as the seed's transcribe-start / transcribe-collect steps: the WAV goes to
 * {@code transcribe/{job}/audio.wav} in the media bucket (which must then be a real AWS S3 bucket Transcribe
 * can read and write), a job with WebVTT subtitles ({@code en-US}) writes its output next to it, this polls
 * the job every few seconds and reads the {@code .vtt} back; the audio is removed afterwards. Credentials are
 * the AWS SDK's default chain, the region {@code camelcast.media.aws-region}. A FAILED job is final; a call
 * that fails is retried by the task's error handling.
 *
 * <p>Written from the Transcribe API reference; this build's tests cannot reach AWS, so it is untested here.
 */
public final class AwsTranscriber implements Transcriber, AutoCloseable {

    private final TranscribeClient transcribe;
    private final S3Client s3;
    private final String bucket;
    private final Duration timeout;

    public AwsTranscriber(String region, S3Client s3, String bucket, Duration timeout) {
        this.transcribe = TranscribeClient.builder().region(Region.of(region)).build();
        this.s3 = s3;
        this.bucket = bucket;
        this.timeout = timeout;
    }

    @Override
    public String transcribe(Path wav) throws IOException {
        String job = "camelcast-" + UUID.randomUUID();
        String prefix = "transcribe/" + job + "/";
        String audio = prefix + "audio.wav";
        s3.putObject(b -> b.bucket(bucket).key(audio).contentType("audio/wav"), RequestBody.fromFile(wav));
        try {
            transcribe.startTranscriptionJob(b -> b.transcriptionJobName(job).languageCode(LanguageCode.EN_US)
                    .mediaFormat(MediaFormat.WAV).media(m -> m.mediaFileUri("s3://" + bucket + "/" + audio))
                    .outputBucketName(bucket).outputKey(prefix)
                    .subtitles(s -> s.formats(SubtitleFormat.VTT)));
            long deadline = System.nanoTime() + timeout.toNanos();
            TranscriptionJob j;
            while (true) {
                j = transcribe.getTranscriptionJob(b -> b.transcriptionJobName(job)).transcriptionJob();
                if (j.transcriptionJobStatus() == TranscriptionJobStatus.COMPLETED) {
                    break;
                }
                if (j.transcriptionJobStatus() == TranscriptionJobStatus.FAILED) {
                    throw new WhisperApiTranscriber.Rejected("Amazon Transcribe job failed: " + j.failureReason());
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("Amazon Transcribe job " + job + " not done after " + timeout.toSeconds() + " s");
                }
                try {
                    Thread.sleep(3000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Ffmpeg.Stopped("transcription stopped: the runtime is stopping");
                }
            }
            // the subtitle file is {OutputKey}{job name}.vtt
            try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(prefix + job + ".vtt"))) {
                String vtt = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return vtt.startsWith("WEBVTT") ? vtt : "WEBVTT\n\n" + vtt;
            }
        } finally {
            s3.deleteObject(b -> b.bucket(bucket).key(audio));
        }
    }

    @Override
    public void close() {
        transcribe.close();
    }
}
