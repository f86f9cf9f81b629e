package io.camelcast.kaltura;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import io.camelcast.Camelcast;
import io.camelcast.config.Settings;
import io.camelcast.runtime.Services;
import io.camelcast.sim.KalturaSimulator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code camelcast archive list --ldap} as an operator runs it: entries from the Kaltura simulator, creators from
 * UnboundID's in-memory LDAP directory (the seed's add_ldap_status.py columns status, name, org_unit).
 */
class KalturaLdapTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String BASE = "dc=example,dc=edu";
    static final String MANAGER = "cn=Directory Manager";
    static final String MANAGER_PASSWORD = "ldap-pass-7731";

    @TempDir
    static Path dir;
    static KalturaSimulator kaltura;
    static InMemoryDirectoryServer ldap;
    static Services services;
    static String common;

    @BeforeAll
    static void start() throws Exception {
        kaltura = new KalturaSimulator();
        kaltura.start(0);
        InMemoryDirectoryServerConfig cfg = new InMemoryDirectoryServerConfig(BASE);
        cfg.addAdditionalBindCredentials(MANAGER, MANAGER_PASSWORD);
        cfg.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", 0));
        cfg.setSchema(null); // the seed's directory has its own attributes (puresource)
        ldap = new InMemoryDirectoryServer(cfg);
        ldap.add("dn: " + BASE, "objectClass: domain", "dc: example");
        ldap.add("dn: ou=people," + BASE, "objectClass: organizationalUnit", "ou: people");
        ldap.add("dn: uid=ada,ou=people," + BASE, "objectClass: person", "uid: ada", "cn: A. Lovelace",
                "displayName: Ada Lovelace", "ou: Mathematics", "puresource: authentication=enabled");
        ldap.add("dn: uid=bob,ou=people," + BASE, "objectClass: person", "uid: bob", "cn: Bob Gone",
                "ou: Physics", "puresource: authentication=disabled");
        ldap.startListening();
        long created = ZonedDateTime.now().minusYears(5).toEpochSecond();
        register(List.of(entry("0_ada", "ada@example.edu", created), entry("0_bob", "bob", created),
                entry("0_nobody", "carol", created)));
        common = String.join("\n",
                "camelcast.data-dir=" + dir.resolve("state"),
                "camelcast.kaltura.url=" + kaltura.url(),
                "camelcast.kaltura.partner-id=" + KalturaSimulator.DEFAULT_PARTNER_ID,
                "camelcast.kaltura.secret=" + KalturaSimulator.DEFAULT_SECRET,
                "camelcast.kaltura.user-id=archivist@example.edu",
                "camelcast.ldap.base-dn=" + BASE,
                "camelcast.ldap.bind-dn=" + MANAGER, "");
        services = Services.open(Settings.load(write("base.properties", "")), true).awaitReady();
    }

    @AfterAll
    static void stop() {
        if (services != null) {
            services.close();
        }
        if (ldap != null) {
            ldap.shutDown(true);
        }
        if (kaltura != null) {
            kaltura.close();
        }
    }

    static Map<String, Object> entry(String id, String creator, long created) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", id);
        e.put("name", "Talk " + id);
        e.put("tags", "");
        e.put("plays", 1);
        e.put("status", 2);
        e.put("createdAt", created);
        e.put("lastPlayedAt", null);
        e.put("categoriesIds", "1");
        e.put("creatorId", creator);
        e.put("flavors", List.of(Map.of("id", id + "_orig", "isOriginal", true, "status", 2, "size", 10)));
        return e;
    }

    static void register(Object entries) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(kaltura.url() + "/_sim/entries"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(entries))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
    }

    static Path write(String name, String extra) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, common + extra);
        return p;
    }

    record Result(int code, String out, String err) {
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

    /** Rows by entry id, each as column name → value, the LDAP columns under ldap_*. */
    static Map<String, Map<String, String>> rows(String tsv) {
        List<String> lines = tsv.lines().filter(l -> !l.startsWith("DRYRUN")).toList();
        List<String> header = Arrays.asList(lines.get(0).split("\t", -1));
        int n = header.size();
        assertEquals(List.of("status", "name", "org_unit"), header.subList(n - 3, n), "the seed's columns last: " + header);
        Map<String, Map<String, String>> rows = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cols = line.split("\t", -1);
            assertEquals(n, cols.length, line);
            rows.put(cols[0], Map.of("ldap_status", cols[n - 3], "ldap_name", cols[n - 2], "org_unit", cols[n - 1],
                    "creator_id", cols[header.indexOf("creator_id")]));
        }
        return rows;
    }

    @Test
    void listWithLdapAddsTheCreatorsStatusNameAndOrgUnit() throws Exception {
        Path cfg = write("ldap.properties", "camelcast.ldap.url=ldap://127.0.0.1:" + ldap.getListenPort() + "\n"
                + "camelcast.ldap.password=" + MANAGER_PASSWORD + "\n");
        Result r = archive(cfg, "list", "--ldap");
        assertEquals(0, r.code(), r.err() + r.out());
        Map<String, Map<String, String>> rows = rows(r.out());
        assertEquals(Map.of("ldap_status", "active", "ldap_name", "Ada Lovelace", "org_unit", "Mathematics",
                "creator_id", "ada@example.edu"), rows.get("0_ada"), "e-mail creator found by its netid, displayName first");
        assertEquals(Map.of("ldap_status", "inactive", "ldap_name", "Bob Gone", "org_unit", "Physics", "creator_id", "bob"),
                rows.get("0_bob"), "not matching the active filter; cn when there is no displayName");
        assertEquals(Map.of("ldap_status", "", "ldap_name", "", "org_unit", "", "creator_id", "carol"), rows.get("0_nobody"),
                "a creator not in the directory: empty columns");
        // without --ldap the list is as before: the directory is not asked
        Result plain = archive(cfg, "list");
        assertEquals(0, plain.code(), plain.err());
        assertFalse(plain.out().contains("org_unit"), plain.out());
    }

    @Test
    void ldapThatCannotBeUsedEndsTheRunWithTheReason() throws Exception {
        Path wrong = write("wrong.properties", "camelcast.ldap.url=ldap://127.0.0.1:" + ldap.getListenPort() + "\n"
                + "camelcast.ldap.password=not-the-ldap-pass\n");
        Result refused = archive(wrong, "list", "--ldap");
        assertNotEquals(0, refused.code());
        assertTrue(refused.err().contains("INVALID_CREDENTIALS") || refused.err().toLowerCase().contains("invalid credentials"), refused.err());
        assertFalse(refused.err().contains("not-the-ldap-pass"), "the password is masked: " + refused.err());
        assertFalse(refused.err().contains("\tat "), refused.err());
        assertFalse(refused.out().contains("0_ada"), "no rows: " + refused.out());
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Path down = write("down.properties", "camelcast.ldap.url=ldap://127.0.0.1:" + closed + "\n"
                + "camelcast.ldap.password=" + MANAGER_PASSWORD + "\n");
        Result unreachable = archive(down, "list", "--ldap");
        assertEquals(1, unreachable.code(), unreachable.out());
        assertTrue(unreachable.err().startsWith("camelcast: archive list failed: LDAP directory ldap://127.0.0.1:" + closed
                + " cannot be used"), unreachable.err());
        assertFalse(unreachable.err().contains("\tat "), unreachable.err());
        assertFalse(unreachable.err().contains(MANAGER_PASSWORD), unreachable.err());
    }
}
