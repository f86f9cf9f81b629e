package io.camelcast.zoom;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.embedded.EmbeddedServices;
import io.camelcast.sim.Faults;
import io.camelcast.sim.ZoomSimulator;
import io.camelcast.store.Instances;
import io.camelcast.store.RecordingStatus;
import io.camelcast.store.WorkClaims;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Zoom clean-up bean without Camel, against the Zoom simulator and a real Redis. */
class ZoomCleanupTest {

    @TempDir
    static Path dir;
    static EmbeddedServices services;
    static UnifiedJedis redis;
    static RecordingStatus status;
    static WorkClaims claims;
    static ZoomSimulator zoom;
    static ZoomApi api;

    @BeforeAll
    static void start() throws Exception {
        services = EmbeddedServices.start(new EmbeddedServices.Options(dir, false, false, true, 0, 0, 0, "k", "s",
                "us-east-1", List.of(), List.of()));
        redis = RedisClient.create(URI.create(services.redisUrl()));
        status = new RecordingStatus(redis, 7, Clock.systemUTC());
        claims = new WorkClaims(redis, new Instances(redis, Instances.newId(), 10_000), 60_000);
        zoom = new ZoomSimulator();
        zoom.start(0);
        api = new ZoomApi(zoom.url() + "/v2", zoom.url() + "/oauth/token", ZoomSimulator.DEFAULT_ACCOUNT_ID,
                ZoomSimulator.DEFAULT_CLIENT_ID, ZoomSimulator.DEFAULT_CLIENT_SECRET, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        zoom.close();
        redis.close();
        services.close();
    }

    @BeforeEach
    void clear() {
        redis.flushAll();
        zoom.reset();
    }

    /** A recording in Zoom (a uuid Zoom double-encodes: it starts with '/') and its status record in {@code state}. */
    static String recording(String state, String skipped) {
        String uuid = "/" + UUID.randomUUID().toString().substring(0, 20) + "==";
        zoom.registerRecording((ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("uuid", uuid));
        String zipId = "auto-ingest-" + uuid;
        status.set(zipId, RecordingStatus.SENT_TO_UPLOADER, "", Map.of("meeting_id", "1", "origin", "webhook_notification",
                "recording_id", uuid, "files_skipped", skipped));
        status.set(zipId, state);
        return uuid;
    }

    static String message(String uuid) {
        return "{\"zip_id\": \"auto-ingest-" + uuid + "\", \"uuid\": \"" + uuid + "\"}";
    }

    @Test
    void aPublishedRecordingIsTrashedOnceWithItsUuidAsZoomSentIt() throws Exception {
        ZoomCleanup cleanup = new ZoomCleanup("trash", account -> api, claims, status);
        String uuid = recording(RecordingStatus.OPENCAST_SUCCEEDED, "0");
        cleanup.clean(message(uuid));
        cleanup.clean(message(uuid));
        assertEquals(List.of(Map.of("meetingUuid", uuid, "action", "trash")), zoom.deletions());
        assertTrue(zoom.recordings().isEmpty(), "the recording left Zoom's listing");
        assertEquals("Zoom recording moved to the trash", redis.hget("camelcast:status:auto-ingest-" + uuid, "reason"));
        assertEquals(RecordingStatus.OPENCAST_SUCCEEDED, status.state("auto-ingest-" + uuid));
    }

    @Test
    void onlyAVerifiedCompletePublishIsCleanedUpAndKeepCallsNothing() throws Exception {
        ZoomCleanup delete = new ZoomCleanup("delete", account -> api, claims, status);
        delete.clean(message(recording(RecordingStatus.OPENCAST_FAILED, "0")));
        delete.clean(message(recording(RecordingStatus.SENT_TO_OPENCAST, "0")));
        delete.clean(message(recording(RecordingStatus.OPENCAST_SUCCEEDED, "1")));
        assertEquals(List.of(), zoom.deletions(), "failed, unfinished and partial ingests stay in Zoom");

        ZoomCleanup keep = new ZoomCleanup("keep", account -> api, claims, status);
        keep.clean(message(recording(RecordingStatus.OPENCAST_SUCCEEDED, "0")));
        assertEquals(List.of(), zoom.deletions());

        String uuid = recording(RecordingStatus.OPENCAST_SUCCEEDED, "0");
        delete.clean(message(uuid));
        assertEquals(List.of(Map.of("meetingUuid", uuid, "action", "delete")), zoom.deletions());
        assertThrows(IllegalArgumentException.class, () -> new ZoomCleanup("archive", account -> api, claims, status));
        assertThrows(IllegalArgumentException.class, () -> delete.clean("{\"zip_id\": \"z\"}"));
    }

    @Test
    void aZoomErrorIsThrownWithItsStatusAndTheNextTryCallsAgain() throws Exception {
        ZoomCleanup cleanup = new ZoomCleanup("trash", account -> api, claims, status);
        String uuid = recording(RecordingStatus.OPENCAST_SUCCEEDED, "0");
        zoom.faults().add(new Faults.Fault(503, 1, 0, "/v2/meetings/", "DELETE", null, null));
        ZoomApi.ZoomApiException e = assertThrows(ZoomApi.ZoomApiException.class, () -> cleanup.clean(message(uuid)));
        assertEquals(503, e.getStatus());
        assertEquals(List.of(), zoom.deletions());
        cleanup.clean(message(uuid));
        assertEquals(1, zoom.deletions().size(), "the claim was let go, so the retry called Zoom");
        // Zoom no longer has it (taken by a call whose answer was lost): done, not an error
        assertEquals(false, api.deleteRecordings(uuid, "trash"));
    }
}
