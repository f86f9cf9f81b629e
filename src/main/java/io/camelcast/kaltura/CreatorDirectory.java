package io.camelcast.kaltura;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustStoreTrustManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The creators' directory of {@code archive list --ldap} (the seed's add_ldap_status.py): an entry's creator id
 * (a netid, or an e-mail whose part before {@code @} is the netid) looked up by the uid attribute under the base
 * DN; {@code status} is {@code active} when the person also matches the active filter (the seed: authentication
 * enabled or going away), {@code inactive} otherwise; {@code name} the first name attribute that has a value;
 * {@code org_unit} the org-unit attribute. A creator not in the directory gets empty columns. One connection per
 * run, opened by {@link #open()} so an unreachable directory stops the run before any line.
 */
public final class CreatorDirectory implements AutoCloseable {

    /** What a creator adds to a list row. */
    public record Person(String status, String name, String orgUnit) {
        static final Person UNKNOWN = new Person("", "", "");
    }

    private final String url;
    private final String bindDn;
    private final String password;
    private final String baseDn;
    private final String uidAttribute;
    private final List<String> nameAttributes;
    private final String orgUnitAttribute;
    private final Filter activeFilter;
    private final Map<String, Person> cache = new HashMap<>();
    private LDAPConnection connection;

    public CreatorDirectory(String url, String bindDn, String password, String baseDn, String uidAttribute,
                            List<String> nameAttributes, String orgUnitAttribute, String activeFilter) {
        this.url = url == null ? "" : url.trim();
        this.bindDn = bindDn == null ? "" : bindDn.trim();
        this.password = password == null ? "" : password;
        this.baseDn = baseDn;
        this.uidAttribute = uidAttribute;
        this.nameAttributes = nameAttributes;
        this.orgUnitAttribute = orgUnitAttribute;
        try {
            this.activeFilter = activeFilter == null || activeFilter.isBlank() ? null : Filter.create(activeFilter.trim());
        } catch (LDAPException e) {
            throw new IllegalArgumentException("camelcast.ldap.active-filter is not an LDAP filter: " + e.getMessage());
        }
    }

    /** Connects and binds (anonymously when no bind DN is set); a clear message when it cannot. */
    public synchronized void open() {
        if (connection != null) {
            return;
        }
        if (url.isEmpty()) {
            throw new IllegalStateException("--ldap needs camelcast.ldap.url (ldap://host:389 or ldaps://host:636)");
        }
        LDAPConnection c = null;
        try {
            LDAPURL ldapUrl = new LDAPURL(url);
            c = "ldaps".equalsIgnoreCase(ldapUrl.getScheme())
                    ? new LDAPConnection(new SSLUtil(new TrustStoreTrustManager(System.getProperty("java.home")
                    + "/lib/security/cacerts")).createSSLSocketFactory())
                    : new LDAPConnection();
            c.connect(ldapUrl.getHost(), ldapUrl.getPort(), 10_000);
            if (!bindDn.isEmpty()) {
                c.bind(bindDn, password);
            }
            connection = c;
        } catch (LDAPException | java.security.GeneralSecurityException e) {
            if (c != null) {
                c.close();
            }
            String reason = e instanceof LDAPException l ? l.getResultCode() + ": " + l.getDiagnosticMessage() : e.getMessage();
            throw new IllegalStateException("LDAP directory " + url + " cannot be used (" + reason + ")");
        }
    }

    /** The creator's columns; empty ones when the creator is not in the directory. */
    public synchronized Person lookup(String creatorId) {
        String uid = creatorId == null ? "" : creatorId.trim();
        int at = uid.indexOf('@');
        if (at >= 0) {
            uid = uid.substring(0, at);
        }
        if (uid.isEmpty()) {
            return Person.UNKNOWN;
        }
        return cache.computeIfAbsent(uid, this::search);
    }

    private Person search(String uid) {
        open();
        try {
            SearchResult result = connection.search(baseDn, SearchScope.SUB, Filter.createEqualityFilter(uidAttribute, uid), "*");
            List<SearchResultEntry> found = result.getSearchEntries();
            if (found.isEmpty()) {
                return Person.UNKNOWN;
            }
            SearchResultEntry person = found.get(0);
            String name = "";
            for (String a : nameAttributes) {
                String v = person.getAttributeValue(a);
                if (v != null && !v.isBlank()) {
                    name = v;
                    break;
                }
            }
            String ou = person.getAttributeValue(orgUnitAttribute);
            boolean active = activeFilter == null || activeFilter.matchesEntry(person);
            return new Person(active ? "active" : "inactive", clean(name), clean(ou == null ? "" : ou));
        } catch (LDAPException e) {
            throw new IllegalStateException("LDAP search for " + uidAttribute + "=" + uid + " in " + url + " failed ("
                    + e.getResultCode() + ": " + e.getDiagnosticMessage() + ")");
        }
    }

    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\n', ' ');
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        cache.clear();
    }
}
