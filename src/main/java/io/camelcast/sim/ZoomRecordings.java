package io.camelcast.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelcast.sim.SimServer.Request;

import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static io.camelcast.sim.ZoomConventions.ZOOM_TIME;
import static io.camelcast.sim.ZoomConventions.answerDated;
import static io.camelcast.sim.ZoomConventions.byUuidOrId;
import static io.camelcast.sim.ZoomConventions.date;
import static io.camelcast.sim.ZoomConventions.extensionOf;
import static io.camelcast.sim.ZoomConventions.meetingId;
import static io.camelcast.sim.ZoomConventions.parseTime;
import static io.camelcast.sim.ZoomConventions.putIfAbsent;

/**
 * The Zoom simulator's cloud recordings: registering them with the defaults Zoom would fill in, and
 * the REST API that lists them (a meeting's recordings, a user's recordings). Downloads and webhooks
 * find their files here.
 */
final class ZoomRecordings {

    private final Supplier<String> url;
    private final ZoomOAuth oauth;
    private final List<ObjectNode> recordings = new CopyOnWriteArrayList<>();
    private final ZoomUsers users;

    ZoomRecordings(Supplier<String> url, ZoomOAuth oauth) {
        this(url, oauth, null);
    }

    /** @param users learns each recording's host as a user of the recording's account */
    ZoomRecordings(Supplier<String> url, ZoomOAuth oauth, ZoomUsers users) {
        this.url = url;
        this.oauth = oauth;
        this.users = users;
    }

    /** See {@link ZoomSimulator#registerRecording}. */
    ObjectNode register(ObjectNode recording) {
        ObjectNode r = recording.deepCopy();
        if (!r.hasNonNull("uuid")) {
            byte[] raw = new byte[16];
            new SecureRandom().nextBytes(raw);
            r.put("uuid", Base64.getEncoder().encodeToString(raw));
        }
        String uuid = r.get("uuid").asText();
        if (!r.hasNonNull("id")) {
            r.put("id", 80_000_000_000L + Math.floorMod(uuid.hashCode(), 1_000_000_000L));
        }
        putIfAbsent(r, "account_id", oauth.accountId());
        putIfAbsent(r, "host_id", "sim-host");
        putIfAbsent(r, "host_email", "host@example.edu");
        putIfAbsent(r, "topic", "Simulated meeting");
        if (!r.has("type")) {
            r.put("type", 2);
        }
        putIfAbsent(r, "start_time", ZOOM_TIME.format(Instant.now().minusSeconds(3600)));
        if (!r.has("duration")) {
            r.put("duration", 60);
        }
        putIfAbsent(r, "timezone", "America/New_York");
        putIfAbsent(r, "share_url", url.get() + "/rec/share/" + r.get("id").asText());
        String account = r.get("account_id").asText();
        // the default account's recordings keep the long-standing default token; another account's get their own
        putIfAbsent(r, "download_token", account.equals(oauth.accountId()) ? ZoomSimulator.DEFAULT_DOWNLOAD_TOKEN
                : oauth.issueDownloadToken(account, 86_400));
        oauth.acceptDownloadToken(r.get("download_token").asText(), account);
        if (users != null) {
            users.learnHost(account, r.get("host_id").asText(), r.get("host_email").asText());
        }
        Instant start = parseTime(r.get("start_time").asText());
        Instant end = start.plusSeconds(r.get("duration").asLong() * 60);
        long total = 0;
        for (JsonNode f : r.withArray("recording_files")) {
            ObjectNode file = (ObjectNode) f;
            String type = file.path("file_type").asText("MP4").toUpperCase(Locale.ROOT);
            file.put("file_type", type);
            putIfAbsent(file, "id", UUID.randomUUID().toString());
            file.put("meeting_id", uuid);
            putIfAbsent(file, "recording_start", ZOOM_TIME.format(start));
            putIfAbsent(file, "recording_end", ZOOM_TIME.format(end));
            putIfAbsent(file, "file_extension", extensionOf(type).toUpperCase(Locale.ROOT));
            if (!file.has("file_size")) {
                file.put("file_size", "CHAT".equals(type) || "TRANSCRIPT".equals(type) || "CC".equals(type) ? 2048
                        : ZoomSimulator.DEFAULT_FILE_SIZE);
            }
            total += file.get("file_size").asLong();
            putIfAbsent(file, "recording_type", defaultRecordingType(type));
            putIfAbsent(file, "status", "completed");
            putIfAbsent(file, "play_url", url.get() + "/rec/play/" + file.get("id").asText());
            String download = file.path("download_url").asText("");
            if (download.isEmpty() || isZoomHost(download)) {
                file.put("download_url", downloadUrl(file.get("id").asText(), 0));
            }
        }
        if (!r.has("total_size")) {
            r.put("total_size", total);
        }
        r.put("recording_count", r.withArray("recording_files").size());
        recordings.removeIf(x -> uuid.equals(x.path("uuid").asText()));
        recordings.add(r);
        return r;
    }

    List<ObjectNode> list() {
        return List.copyOf(recordings);
    }

    void clear() {
        recordings.clear();
    }

    /** Takes the recording with this uuid (or meeting id) out of the REST listing; returns it, or null. */
    ObjectNode remove(String uuidOrId) {
        ObjectNode found = byUuidOrId(recordings, uuidOrId);
        if (found != null) {
            recordings.remove(found);
        }
        return found;
    }

    /** This simulator's download URL of a file; {@code size} 0 leaves the size to the registered recording. */
    String downloadUrl(String fileId, long size) {
        return url.get() + "/rec/download/" + fileId + (size > 0 ? "?size=" + size : "");
    }

    /** The registered recording file with this id, or null. */
    JsonNode file(String fileId) {
        for (ObjectNode rec : recordings) {
            for (JsonNode f : rec.withArray("recording_files")) {
                if (fileId.equals(f.path("id").asText())) {
                    return f;
                }
            }
        }
        return null;
    }

    /** The registered recording holding this file, or null. */
    ObjectNode recordingOfFile(String fileId) {
        for (ObjectNode rec : recordings) {
            for (JsonNode f : rec.withArray("recording_files")) {
                if (fileId.equals(f.path("id").asText())) {
                    return rec;
                }
            }
        }
        return null;
    }

    /** A recording the token's account may see: its own (a token of no account sees all). */
    private static boolean visible(Request r, JsonNode recording) {
        String account = ZoomOAuth.account(r);
        return account == null || account.equals(recording.path("account_id").asText());
    }

    /**
     * {@code GET /v2/meetings/{meetingId|uuid}/recordings}: only the token's account's recordings (another
     * account's is "does not exist", as Zoom answers). The download token is the recording's while it is valid,
     * a new one (for {@code ttl} seconds, default a day) once it expired.
     */
    void meetingRecordings(Request r) throws IOException {
        ObjectNode found = byUuidOrId(recordings, meetingId(r));
        if (found == null || !visible(r, found)) {
            r.json(404, Map.of("code", 3301, "message", "This recording does not exist."));
            return;
        }
        ObjectNode out = found.deepCopy();
        out.remove("download_token");
        if (String.valueOf(r.query("include_fields")).contains("download_access_token")) {
            synchronized (found) {
                if (!oauth.downloadTokenValid(found.get("download_token").asText())) {
                    found.put("download_token", oauth.issueDownloadToken(found.path("account_id").asText(),
                            ZoomConventions.parseInt(r.query("ttl"), 86_400)));
                }
                out.put("download_access_token", found.get("download_token").asText());
            }
        }
        r.json(200, out);
    }

    /** {@code GET /v2/users/{userId|me|email}/recordings}. */
    void userRecordings(Request r) throws IOException {
        String user = r.path(1);
        LocalDate from = date(r.query("from"), LocalDate.now(ZoneOffset.UTC).minusDays(1));
        LocalDate to = date(r.query("to"), LocalDate.now(ZoneOffset.UTC));
        Predicate<ObjectNode> matches = x -> {
            LocalDate day = LocalDate.ofInstant(parseTime(x.get("start_time").asText()), ZoneOffset.UTC);
            boolean userOk = "me".equals(user) || user.equals(x.path("host_id").asText()) || user.equalsIgnoreCase(x.path("host_email").asText());
            return userOk && visible(r, x) && !day.isBefore(from) && !day.isAfter(to);
        };
        List<ObjectNode> all = recordings.stream().filter(matches).map(x -> {
            ObjectNode c = x.deepCopy();
            c.remove("download_token");
            return c;
        }).toList();
        answerDated(r, all, from, to, "meetings");
    }

    private static boolean isZoomHost(String url) {
        try {
            String host = URI.create(url).getHost();
            return host != null && (host.equals("zoom.us") || host.endsWith(".zoom.us"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String defaultRecordingType(String fileType) {
        return switch (fileType) {
            case "M4A" -> "audio_only";
            case "CHAT" -> "chat_file";
            case "TRANSCRIPT" -> "audio_transcript";
            case "CC" -> "closed_caption";
            case "TIMELINE" -> "timeline";
            default -> "shared_screen_with_speaker_view";
        };
    }
}
