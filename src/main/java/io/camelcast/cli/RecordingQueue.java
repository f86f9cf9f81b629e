package io.camelcast.cli;

import io.camelcast.config.Settings;
import io.camelcast.recording.Accepted;
import io.camelcast.recording.OnDemandIngest;
import io.camelcast.recording.RecordingIntake;
import io.camelcast.store.RecordingStatus;
import io.camelcast.recording.ZoomEvent;
import io.camelcast.store.AwsClients;
import io.camelcast.store.RedisIdempotentRepository;
import io.camelcast.http.Refused;
import io.camelcast.zoom.DownloadHosts;
import io.camelcast.zoom.ZoomAccounts;
import io.camelcast.zoom.ZoomApi;
import java.net.URI;
import java.time.Clock;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The intake as the CLI uses it ({@code ingest}, {@code backfill}): the same validation, duplicate guard,
 * status records and download queue as {@code routes/recording-intake.yaml}, without HTTP.
 */
final class RecordingQueue implements AutoCloseable {

    private final Settings settings;
    private final UnifiedJedis redis;
    private final SqsClient sqs;
    private final RecordingStatus status;
    private final RecordingIntake intake;
    private final RedisIdempotentRepository idempotency;
    private final ZoomAccounts accounts;
    private final OnDemandIngest onDemand;

    RecordingQueue(Settings settings) {
        this.settings = settings;
        this.redis = RedisClient.create(URI.create(settings.get("camelcast.redis.url")));
        this.sqs = AwsClients.sqs(settings);
        Clock clock = Clock.systemUTC();
        this.status = new RecordingStatus(redis, settings.getInt("camelcast.recording.status-days"), clock);
        this.intake = new RecordingIntake(status, new DownloadHosts(settings.get("camelcast.zoom.download-hosts")),
                settings.getInt("camelcast.recording.webhook-delay"), clock);
        this.idempotency = new RedisIdempotentRepository(redis, settings.getInt("camelcast.idempotency.ttl"));
        this.accounts = ZoomAccounts.from(settings);
        this.onDemand = new OnDemandIngest(accounts);
    }

    /** The default account's API client. */
    ZoomApi zoom() {
        return accounts.api(ZoomAccounts.DEFAULT);
    }

    /** The account's API client (null: the default account). */
    ZoomApi zoom(String account) {
        return accounts.api(account);
    }

    /** A configured account's name as messages carry it (null: default); 400 for an unknown one. */
    String account(String name) {
        if (!accounts.known(name)) {
            throw new Refused(400, "no Zoom account named '" + ZoomAccounts.name(name) + "'; configured: "
                    + String.join(", ", accounts.names()));
        }
        return ZoomAccounts.messageName(name);
    }

    OnDemandIngest onDemand() {
        return onDemand;
    }

    RecordingStatus status() {
        return status;
    }

    /** True when this recording was already queued by the webhook or an earlier backfill. */
    boolean alreadyQueued(String zipId) {
        return idempotency.contains("recording-intake:" + zipId);
    }

    /** Validates and queues; returns the zip_id, or null when the same zip_id was queued before. */
    String enqueue(ZoomEvent event) {
        Accepted a = intake.accept(event);
        if (!idempotency.add("recording-intake:" + a.getZipId())) {
            return null;
        }
        try {
            intake.received(a);
            String url = sqs.getQueueUrl(b -> b.queueName(settings.get("camelcast.recording.incoming-queue"))).queueUrl();
            intake.queued(a);
            sqs.sendMessage(b -> b.queueUrl(url).messageBody(a.getMessage()).delaySeconds(a.getDelaySeconds()));
            return a.getZipId();
        } catch (RuntimeException e) {
            idempotency.remove("recording-intake:" + a.getZipId());
            throw e;
        }
    }

    @Override
    public void close() {
        sqs.close();
        redis.close();
    }
}
