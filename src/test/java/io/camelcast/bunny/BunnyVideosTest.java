package io.camelcast.bunny;

import io.camelcast.sim.BunnySimulator;
import io.camelcast.messages.UploadItem;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bunny's presigned TUS headers and the create-video request, without Camel or a network. */
class BunnyVideosTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void theTusSignatureIsTheOneBunnyDocumentsAndExpiresAsConfigured() {
        BunnyVideos b = bunny(Map.of("library-id", "4242", "api-key", "k3y", "signature-minutes", "60"));
        Map<String, String> h = b.tusHeaders("video-guid");
        long expire = Instant.parse("2026-12-02T11:00:00Z").getEpochSecond();
        assertEquals(Long.toString(expire), h.get("AuthorizationExpire"));
        assertEquals(BunnySimulator.signature(4242, "k3y", expire, "video-guid"), h.get("AuthorizationSignature"),
                "the simulator checks the same formula: sha256(library + key + expire + video)");
        assertEquals("video-guid", h.get("VideoId"));
        assertEquals("4242", h.get("LibraryId"));
    }

    @Test
    void theVideoIsTitledByTheUploaderAndNeedsALibrary() throws Exception {
        UploadItem item = new UploadItem();
        item.id = "i1";
        item.name = "lecture.mp4";
        assertEquals("{\"title\":\"lecture.mp4\"}", bunny(Map.of("library-id", "1", "api-key", "k")).createRequest(item));
        item.metadata.put("title", "Week 4");
        assertEquals("{\"title\":\"Week 4\",\"collectionId\":\"c1\"}",
                bunny(Map.of("library-id", "1", "api-key", "k", "collection-id", "c1")).createRequest(item));
        assertThrows(io.camelcast.dlq.PermanentFailure.class, () -> bunny(Map.of()).createRequest(item));
        assertThrows(IllegalArgumentException.class, () -> bunny(Map.of("wait", "forever")));
        assertTrue(bunny(Map.of("library-id", "1", "cdn-host", "vz-1.b-cdn.net")).urls("g").get("playlist_url")
                .equals("https://vz-1.b-cdn.net/g/playlist.m3u8"));
    }

    static BunnyVideos bunny(Map<String, String> config) {
        return new BunnyVideos(null, null, null, new HashMap<>(config), CLOCK);
    }
}
