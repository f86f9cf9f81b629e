package io.camelcast.demo;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelcast.config.Settings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code run --demo}: a mentor's answer video (three seconds of ffmpeg's {@code testsrc} with a tone) posted
 * to {@code POST /media/upload/answer} with a JWT signed by the demo's {@code camelcast.media.jwt-secret},
 * followed to DONE, its outputs listed. Without ffmpeg on this machine it says so and skips.
 */
public final class DemoMedia {

    private static final Logger LOG = LoggerFactory.getLogger(DemoMedia.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;

    public DemoMedia(Settings settings) {
        this.settings = settings;
    }

    public void send() throws Exception {
        Path dir = Files.createDirectories(settings.dataDir().resolve("demo-media"));
        Path video = dir.resolve("answer.mp4");
        Process p = new ProcessBuilder(settings.get("camelcast.media.ffmpeg"), "-nostdin", "-y", "-loglevel", "error",
                "-f", "lavfi", "-i", "testsrc=size=1280x720:rate=25:duration=3", "-f", "lavfi", "-i", "sine=frequency=330:duration=3",
                "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", video.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            LOG.warn("demo: media upload skipped, ffmpeg could not make the sample video: {}", out.strip());
            return;
        }
        String token = JWT.create().withClaim("id", "demo-user").withClaim("role", "USER")
                .withClaim("mentorIds", List.of("demo-mentor")).withExpiresAt(Instant.now().plusSeconds(3600))
                .sign(Algorithm.HMAC256(settings.get("camelcast.media.jwt-secret")));
        String base = "http://127.0.0.1:" + settings.get("camelcast.http.port");
        String boundary = "demo-" + UUID.randomUUID();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\n"
                + "{\"mentor\":\"demo-mentor\",\"question\":\"why-camel\"}\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"video\"; filename=\"answer.mp4\"\r\nContent-Type: video/mp4\r\n\r\n";
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/media/upload/answer"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofString(head),
                        HttpRequest.BodyPublishers.ofFile(video), HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n")))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            LOG.warn("demo: media upload answered {}: {}", r.statusCode(), r.body());
            return;
        }
        String statusUrl = JSON.readTree(r.body()).path("data").path("statusUrl").asText();
        LOG.info("demo: media upload accepted, follow it: GET {}{} (Authorization: Bearer <a JWT signed with camelcast.media.jwt-secret>)",
                base, statusUrl);
        long deadline = System.currentTimeMillis() + 300_000;
        while (System.currentTimeMillis() < deadline) {
            JsonNode data = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + statusUrl))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body()).path("data");
            String status = data.path("status").asText();
            if (status.equals("DONE") || status.equals("FAILED")) {
                LOG.info("demo: media upload {} {}: tasks {} outputs in bucket {}: {}", data.path("id").asText(), status,
                        data.path("taskList"), settings.get("camelcast.media.bucket"), data.path("outputs"));
                return;
            }
            Thread.sleep(500);
        }
        LOG.warn("demo: media upload still running after 5 minutes: {}", statusUrl);
    }
}
