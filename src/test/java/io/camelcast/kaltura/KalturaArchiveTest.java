package io.camelcast.kaltura;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelcast.Camelcast;
import io.camelcast.config.Settings;
import io.camelcast.runtime.CamelcastRuntime;
import io.camelcast.runtime.Services;
import io.camelcast.sim.KalturaSimulator;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The archive lifecycle end to end: `camelcast archive ...` as an operator runs it, against the Kaltura
 * simulator and the embedded S3 (behind the Glacier front), held up by one set of embedded services the
 * commands attach to, as to a running instance. Every check reads the simulator's entry state or the bucket
 * with an S3 client of its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KalturaArchiveTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String BUCKET = "camelcast-kaltura-archive";

    @TempDir
    static Path dir;
    static KalturaSimulator kaltura;
    static Services services;
    static S3Client s3;
    /** Most runs go straight to the route a command sends its run to (one runtime for the class); the CLI itself
     * is run where its words matter (aliases, flag synonyms, exit codes, output). */
    static CamelcastRuntime runtime;
    static ProducerTemplate producer;
    static Path config;
    static Path wrongSecret;
    static long now = System.currentTimeMillis() / 1000;

    @BeforeAll
    static void start() throws Exception {
        kaltura = new KalturaSimulator();
        kaltura.start(0);
        Path placeholder = dir.resolve("placeholder.mp4");
        Files.write(placeholder, new byte[40 * 1024]);
        String common = String.join("\n",
                "camelcast.data-dir=" + dir.resolve("state"),
                "camelcast.kaltura.url=" + kaltura.url(),
                "camelcast.kaltura.partner-id=" + KalturaSimulator.DEFAULT_PARTNER_ID,
                "camelcast.kaltura.user-id=archivist@example.edu",
                "camelcast.kaltura.placeholder-video=" + placeholder,
                "camelcast.kaltura.ready-poll-ms=50",
                "camelcast.kaltura.glacier-restore-seconds=1",
                "camelcast.kaltura.max-redeliveries=2",
                "camelcast.kaltura.part-size=5242880",
                "camelcast.kaltura.upload-chunk-size=1048576",
                "camelcast.retry.initial-delay=20", "");
        config = dir.resolve("kaltura.properties");
        Files.writeString(config, common + "camelcast.kaltura.secret=" + KalturaSimulator.DEFAULT_SECRET + "\n");
        wrongSecret = dir.resolve("wrong.properties");
        Files.writeString(wrongSecret, common + "camelcast.kaltura.secret=not-the-secret\n");
        // the embedded services of a "running instance" the commands attach to (instance.json)
        services = Services.open(Settings.load(config), true).awaitReady();
        Settings s = services.settings();
        s3 = S3Client.builder().region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        s.get("camelcast.s3.access-key"), s.get("camelcast.s3.secret-key"))))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .endpointOverride(URI.create(s.get("camelcast.s3.endpoint"))).build();
        register(List.of(
                entry("0_old1", "Lecture 1", "lecture", 3, yearsAgo(6), yearsAgo(5), 6144, true),
                entry("0_old2", "Lecture 2", "lecture, archived", 0, yearsAgo(5), null, 1024, true),
                entry("0_new", "New talk", "", 9, yearsAgo(1), yearsAgo(0), 300, true),
                entry("0_noorig", "Broken", "", 1, yearsAgo(7), null, 100, false)));
        runtime = CamelcastRuntime.startForCommand(Settings.load(config).with("camelcast.kaltura.archive-schedule", "false")
                .with("camelcast.kaltura.restore-schedule", "false"), "classpath:routes/kaltura-archive.yaml,"
                + "classpath:routes/route-configurations.yaml,classpath:routes/outside-apis.yaml");
        producer = runtime.camelContext().createProducerTemplate();
    }

    /** A run as `camelcast archive COMMAND FILTER... [--execute]` makes it, sent to direct:kaltura-archive-run. */
    static List<String> run(String command, boolean execute, String filter) {
        List<String> lines = new ArrayList<>();
        producer.requestBody("direct:kaltura-archive-run", new ArchiveRun(command, ArchiveFilter.parse(filter), execute, "video", lines::add));
        return lines;
    }

    static String text(List<String> lines) {
        return String.join("\n", lines);
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (services != null) {
            services.close();
        }
        if (kaltura != null) {
            kaltura.close();
        }
    }

    static long yearsAgo(int years) {
        return ZonedDateTime.now().minusYears(years).minusDays(10).toEpochSecond();
    }

    static Map<String, Object> entry(String id, String name, String tags, int plays, long created, Long played, long kb,
                                     boolean original) {
        Map<String, Object> e = new java.util.LinkedHashMap<>();
        e.put("id", id);
        e.put("name", name);
        e.put("tags", tags);
        e.put("plays", plays);
        e.put("status", 2);
        e.put("createdAt", created);
        e.put("lastPlayedAt", played);
        e.put("categoriesIds", "11,12");
        e.put("creatorId", "prof" + id);
        List<Map<String, Object>> flavors = new ArrayList<>();
        if (original) {
            flavors.add(Map.of("id", id + "_orig", "isOriginal", true, "status", 2, "size", kb));
        }
        flavors.add(Map.of("id", id + "_480p", "isOriginal", false, "status", 2, "size", kb / 4));
        e.put("flavors", flavors);
        return e;
    }

    static void register(Object entries) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(kaltura.url() + "/_sim/entries"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(entries))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
    }

    static void post(String path, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(kaltura.url() + path))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() / 100 == 2, r.body());
    }

    static JsonNode simEntry(String id) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(kaltura.url() + "/_sim/entries/" + id)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    record Result(int code, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    static Result archive(Path cfg, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 3];
        all[0] = "archive";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--config";
        all[args.length + 2] = cfg.toString();
        int code = Camelcast.execute(new PrintWriter(out), new PrintWriter(err), all);
        return new Result(code, out.toString(), err.toString());
    }

    static Result archive(String... args) {
        return archive(config, args);
    }

    static Set<String> keys() {
        Set<String> out = new TreeSet<>();
        for (S3Object o : s3.listObjectsV2(b -> b.bucket(BUCKET)).contents()) {
            out.add(o.key());
        }
        return out;
    }

    static List<String> tags(JsonNode simEntry) {
        return Arrays.stream(simEntry.path("tags").asText().split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    static String sha256(InputStream in) throws Exception {
        try (in) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        }
    }

    static String last(List<String> lines) {
        return lines.get(lines.size() - 1);
    }

    @Test
    @Order(1)
    void listCountAndExactTags() {
        Result list = archive("list");
        assertEquals(0, list.code(), list.err());
        List<String> lines = list.lines();
        assertEquals(List.of("entry_id", "name", "plays", "status", "archived_to_s3", "flavors_deleted", "created_date",
                "last_played_date", "creator_id", "category_ids", "original_size_kb"), Arrays.asList(lines.get(0).split("\t")));
        assertEquals(5, lines.size(), list.out());
        assertTrue(lines.get(1).startsWith("0_noorig\tBroken\t1\tREADY\t"), lines.get(1));
        assertTrue(list.out().contains("0_old1\tLecture 1\t3\tREADY\t\t\t"), list.out());
        // --tag archived matches the tag "archived" only, not archived_to_s3 (the seed's substring test did)
        Result count = archive("count", "--tag", "archived");
        assertEquals(0, count.code(), count.err());
        assertTrue(count.lines().get(count.lines().size() - 1).endsWith("\t1"), count.out());
        // never played: plays < 1; played filters leave never-played entries out; negative statuses are values
        assertEquals("#COUNT\t1", last(run("count", false, "--plays 1")), "never played");
        assertEquals("#COUNT\t0", last(run("count", false, "--plays 1 --unplayed-for 0")), "never-played entries do not match the played filters");
        assertEquals("#COUNT\t1", last(run("count", false, "--unplayed_for 2 --status -1 2 --tag !archived")));
        assertEquals("#COUNT\t1", last(run("count", false, "--created-before 4 --tag !lecture --category 12")));
        assertEquals("#COUNT\t0", last(run("count", false, "--category 13")));
    }

    @Test
    @Order(2)
    void dryRunChangesNothing() throws Exception {
        Result copy = archive("s3copy", "--tag", "!archived_to_s3");
        assertEquals(0, copy.code(), copy.err());
        assertTrue(copy.lines().stream().allMatch(l -> l.startsWith("DRYRUN")), copy.out());
        assertTrue(copy.out().contains("DRYRUN | 0_old1 | copy | original flavor 0_old1_orig (6144 KB) to s3://" + BUCKET + "/0_old1"), copy.out());
        assertTrue(copy.out().contains("0_noorig | copy | REFUSED: entry has no original flavor"), copy.out());
        assertEquals(Set.of(), keys());
        assertEquals(List.of("lecture"), tags(simEntry("0_old1")));
    }

    @Test
    @Order(3)
    void copyStreamsOriginalsVerifiedAndTaggedOnce() throws Exception {
        List<String> copy = run("copy", true, "");
        assertTrue(copy.stream().allMatch(l -> l.startsWith("EXEC")), text(copy));
        assertEquals(Set.of("0_new", "0_old1", "0_old2"), keys());
        // 0_old1 went up in two parts (camelcast.kaltura.part-size is 5 MiB here)
        assertEquals(6144 * 1024L, s3.headObject(b -> b.bucket(BUCKET).key("0_old1")).contentLength());
        // the bytes are Kaltura's original (read through the download URL the simulator serves)
        String kalturaSha = sha256(HTTP.send(HttpRequest.newBuilder(URI.create(kaltura.url() + "/p/1234/download/flavor/0_old1_orig"))
                .build(), HttpResponse.BodyHandlers.ofInputStream()).body());
        assertEquals(kalturaSha, sha256(s3.getObject(b -> b.bucket(BUCKET).key("0_old1"))));
        assertEquals(List.of("lecture", "archived_to_s3"), tags(simEntry("0_old1")));
        assertTrue(text(copy).contains("0_noorig | copy | REFUSED"), text(copy));

        Result again = archive("copy", "--s3copy");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("EXEC # COPY_DONE_BEFORE: 3"), again.out());
        assertEquals(List.of("lecture", "archived", "archived_to_s3"), tags(simEntry("0_old2")));
    }

    @Test
    @Order(4)
    void interruptedCopyIsCompletedByTheNextRun() throws Exception {
        // a crash after the object landed and before the tag: the object is there, the tag is not
        register(List.of(entry("0_crash", "Crashed copy", "", 0, yearsAgo(8), null, 64, true)));
        try (InputStream in = HTTP.send(HttpRequest.newBuilder(URI.create(kaltura.url() + "/p/1234/download/flavor/0_crash_orig")).build(),
                HttpResponse.BodyHandlers.ofInputStream()).body()) {
            s3.putObject(b -> b.bucket(BUCKET).key("0_crash"), RequestBody.fromBytes(in.readAllBytes()));
        }
        assertTrue(text(run("health", false, "--id 0_crash")).contains("0_crash\tfalse\tERROR: in bucket"));
        List<String> copy = run("copy", true, "--id 0_crash");
        assertTrue(text(copy).contains("COPY_TAGGED: 1"), text(copy));
        assertEquals(List.of("archived_to_s3"), tags(simEntry("0_crash")));
    }

    @Test
    @Order(5)
    void healthReportsEachEntry() {
        List<String> health = run("health", false, "");
        assertEquals("entry_id\thealthy\treason", health.get(0));
        assertEquals(6, health.size(), text(health));
        assertTrue(health.contains("0_old1\ttrue\tHEALTHY"), text(health));
        assertTrue(text(health).contains("0_noorig\tfalse\tERROR: no healthy original"), text(health));
    }

    @Test
    @Order(6)
    void replaceThenRestoreThroughGlacierAcrossRuns() throws Exception {
        List<String> dry = run("replace", false, "--id 0_old1");
        assertTrue(text(dry).contains("DRYRUN | 0_old1 | replace |"), text(dry));
        assertFalse(simEntry("0_old1").path("placeholder").asBoolean(), "dry run replaced nothing");
        // the new entry is younger than camelcast.kaltura.replace-min-age-years: not even selected
        assertFalse(text(run("replace", true, "--id 0_new")).contains("0_new | replace |"));

        Result replace = archive("replace_video", "--replace", "--id", "0_old1");
        assertEquals(0, replace.code(), replace.err());
        JsonNode e = simEntry("0_old1");
        assertTrue(e.path("placeholder").asBoolean(), e.toString());
        assertEquals(1, e.path("flavors").size(), "the other flavors are deleted: " + e);
        assertEquals(40, e.path("flavors").get(0).path("size").asLong());
        assertEquals(List.of("lecture", "archived_to_s3", "flavors_deleted"), tags(e));
        assertEquals(1, e.path("thumbnails").asInt());
        assertTrue(run("health", false, "--id 0_old1").contains("0_old1\ttrue\tHEALTHY"));

        // first run: the copy is in Glacier, a restore is requested and the entry left as it is
        Result first = archive("restore_from_s3", "--restore", "--tag", "flavors_deleted");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("0_old1 | request restore |"), first.out());
        assertTrue(first.out().contains("RESTORE_WAIT_GLACIER: 1"), first.out());
        assertTrue(simEntry("0_old1").path("placeholder").asBoolean());
        // a later run (the embedded front's restore takes 1 s here) uploads the original back
        List<String> second = run("restore", true, "--tag flavors_deleted");
        for (int i = 0; i < 50 && text(second).contains("RESTORE_WAIT_GLACIER"); i++) {
            Thread.sleep(100); // the front's 1 s restore
            second = run("restore", true, "--tag flavors_deleted");
        }
        assertTrue(text(second).contains("RESTORE_DONE: 1"), text(second));
        e = simEntry("0_old1");
        assertFalse(e.path("placeholder").asBoolean(), "the original's bytes are back: " + e);
        assertEquals(6144, e.path("flavors").get(0).path("size").asLong());
        assertEquals(List.of("lecture", "archived_to_s3"), tags(e));
    }

    @Test
    @Order(7)
    void kalturaErrorsAnsweredWithHttp200() throws Exception {
        // a transient one is tried again
        post("/_sim/api-errors", "{\"service\":\"elasticsearch_esearch\",\"action\":\"searchEntry\",\"code\":\"INTERNAL_SERVERL_ERROR\",\"count\":1}");
        int before = kaltura.calls().getOrDefault("elasticsearch_esearch.searchEntry", 0);
        assertTrue(last(run("count", false, "")).matches("#COUNT\t[45]"));
        assertEquals(before + 2, kaltura.calls().get("elasticsearch_esearch.searchEntry"), "the count's search, tried twice");
        // one Kaltura means is reported with its code, the run fails cleanly
        post("/_sim/api-errors", "{\"service\":\"elasticsearch_esearch\",\"action\":\"searchEntry\",\"code\":\"SERVICE_FORBIDDEN\",\"count\":1}");
        Result refused = archive("count");
        assertNotEquals(0, refused.code());
        assertTrue(refused.err().contains("SERVICE_FORBIDDEN"), refused.err());
        // a wrong secret: a clear message, no stack trace, nothing done
        Result wrong = archive(wrongSecret, "copy", "--execute");
        assertNotEquals(0, wrong.code());
        assertTrue(wrong.err().contains("START_SESSION_ERROR"), wrong.err());
        assertFalse(wrong.err().contains("not-the-secret"), "the secret is masked: " + wrong.err());
        assertFalse(wrong.err().contains("\tat "), wrong.err());
        // Kaltura or S3 out of reach: the same (a retried call keeps its count: it ends)
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Path noKaltura = dir.resolve("no-kaltura.properties");
        Files.writeString(noKaltura, Files.readString(config) + "camelcast.kaltura.url=http://127.0.0.1:" + closed + "\n");
        Result down = archive(noKaltura, "count");
        assertEquals(1, down.code(), down.out());
        assertTrue(down.err().startsWith("camelcast: archive count failed: Kaltura session.start failed"), down.err());
        Path noS3 = dir.resolve("no-s3.properties");
        Files.writeString(noS3, Files.readString(config) + "camelcast.kaltura.s3-endpoint=http://127.0.0.1:" + closed + "\n");
        Result s3Down = archive(noS3, "health", "--id", "0_old2");
        assertEquals(1, s3Down.code(), s3Down.out());
        assertTrue(s3Down.err().contains("camelcast: archive health failed:"), s3Down.err());
    }

    @Test
    @Order(8)
    void selectionsPastKalturasTenThousandResults() throws Exception {
        List<Map<String, Object>> many = new ArrayList<>();
        long base = yearsAgo(9);
        for (int i = 0; i < 10_050; i++) {
            Map<String, Object> e = new java.util.LinkedHashMap<>();
            e.put("id", String.format("1_%05d", i));
            e.put("tags", "bulk");
            e.put("createdAt", base + i / 3); // three entries a second: windows restart inside a second
            e.put("flavors", List.of(Map.of("id", String.format("1_%05d_o", i), "isOriginal", true, "size", 10)));
            many.add(e);
        }
        register(many);
        assertEquals("#COUNT\t10050", last(run("count", false, "--tag bulk")));
        // the selection the commands walk (routes/kaltura-archive.yaml splits it), with its flavors
        KalturaArchive archive = runtime.camelContext().getRegistry().lookupByNameAndType("kalturaArchive", KalturaArchive.class);
        java.util.Iterator<MediaEntry> walk = archive.select(new ArchiveRun("list", ArchiveFilter.parse("--tag bulk"), false, "video", l -> { }));
        Set<String> ids = new java.util.HashSet<>();
        int n = 0;
        while (walk.hasNext()) {
            MediaEntry e = walk.next();
            assertEquals(10, e.original().sizeKb());
            ids.add(e.id());
            n++;
        }
        assertEquals(10_050, n);
        assertEquals(10_050, ids.size());
    }
    @Test
    @Order(9)
    void statsConfigDownloadAndRepair() throws Exception {
        List<String> stats = run("stats", false, "--tag lecture");
        assertEquals("stats\tkey\tentries\tsize_kb\tplaceholders", stats.get(0));
        assertTrue(text(stats).contains("stats\tall\t2\t"), text(stats));
        assertTrue(text(stats).contains("stats\tcreated_year\t" + ZonedDateTime.now().minusYears(5).minusDays(10).getYear() + "\t"), text(stats));
        assertTrue(stats.contains("stats\tplayed_year\tnever\t1\t" + (1024 + 1024 / 4) + "\t0"), text(stats));
        assertTrue(text(stats).contains("stats\treplace_would_save\t2\t"), text(stats));

        assertEquals(List.of("config\tkaltura\tOK", "config\tbucket\tOK", "config\tplaceholder\tOK"), run("config", false, ""));

        Path to = dir.resolve("downloads");
        producer.requestBody("direct:kaltura-archive-run", new ArchiveRun("download", ArchiveFilter.parse("--id 0_old2"), false, "video",
                l -> { }).target(to));
        assertEquals(1024 * 1024L, Files.size(to.resolve("0_old2.mp4")));

        // tagged as replaced while its original is still the real one: repair puts the placeholder back, as the tags say
        register(List.of(entry("0_sick", "Sick", "archived_to_s3, flavors_deleted", 0, yearsAgo(9), null, 256, true)));
        try (InputStream in = HTTP.send(HttpRequest.newBuilder(URI.create(kaltura.url() + "/p/1234/download/flavor/0_sick_orig")).build(),
                HttpResponse.BodyHandlers.ofInputStream()).body()) {
            s3.putObject(b -> b.bucket(BUCKET).key("0_sick"), RequestBody.fromBytes(in.readAllBytes()));
        }
        assertTrue(text(run("health", false, "--id 0_sick")).contains("0_sick\tfalse\tERROR: flavors_deleted but the original matches"));
        List<String> repair = run("repair", true, "--id 0_sick");
        assertTrue(text(repair).contains("REPAIR_DONE: 1"), text(repair));
        assertTrue(simEntry("0_sick").path("placeholder").asBoolean());
        assertTrue(run("health", false, "--id 0_sick").contains("0_sick\ttrue\tHEALTHY"));
    }
}
