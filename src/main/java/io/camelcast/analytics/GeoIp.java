package io.camelcast.analytics;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.exception.AddressNotFoundException;
import com.maxmind.geoip2.model.CityResponse;
import com.maxmind.geoip2.record.Subdivision;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;

/**
 * {@code geoip{...}} from a MaxMind City database ({@code camelcast.analytics.geoip-db}), with the fields the
 * seed's Geolocate and Logstash's geoip filter wrote (country_code2, country_name, continent_code,
 * region_name, real_region_name, city_name, latitude, longitude, location [lon, lat], dma_code).
 * Without a database path, no geoip is added.
 */
public final class GeoIp implements Closeable {

    private final DatabaseReader reader;

    public GeoIp(String databasePath) throws IOException {
        this.reader = databasePath == null || databasePath.isBlank() ? null
                : new DatabaseReader.Builder(new File(databasePath)).withCache(new com.maxmind.db.CHMCache()).build();
    }

    public boolean enabled() {
        return reader != null;
    }

    /** The geoip object for {@code ip}, or null when disabled, private, unknown or not an address. */
    public ObjectNode lookup(String ip) {
        if (reader == null || ip == null || !ip.matches("[0-9a-fA-F:.]+")) {
            return null;
        }
        try {
            CityResponse r = reader.city(InetAddress.getByName(ip));
            ObjectNode g = JsonNodeFactory.instance.objectNode();
            g.put("ip", ip);
            if (r.getCountry() != null && r.getCountry().getIsoCode() != null) {
                g.put("country_code2", r.getCountry().getIsoCode());
                g.put("country_name", r.getCountry().getName());
            }
            if (r.getContinent() != null && r.getContinent().getCode() != null) {
                g.put("continent_code", r.getContinent().getCode());
            }
            if (r.getSubdivisions() != null && !r.getSubdivisions().isEmpty()) {
                var codes = g.putArray("region_name");
                var names = g.putArray("real_region_name");
                for (Subdivision s : r.getSubdivisions()) {
                    codes.add(s.getIsoCode());
                    names.add(s.getName());
                }
            }
            if (r.getCity() != null && r.getCity().getName() != null) {
                g.put("city_name", r.getCity().getName());
            }
            if (r.getLocation() != null && r.getLocation().getLatitude() != null && r.getLocation().getLongitude() != null) {
                g.put("latitude", r.getLocation().getLatitude());
                g.put("longitude", r.getLocation().getLongitude());
                g.putArray("location").add(r.getLocation().getLongitude()).add(r.getLocation().getLatitude());
                if (r.getLocation().getMetroCode() != null) {
                    g.put("dma_code", r.getLocation().getMetroCode());
                }
            }
            return g;
        } catch (AddressNotFoundException e) {
            return null;
        } catch (IOException | com.maxmind.geoip2.exception.GeoIp2Exception e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        if (reader != null) {
            reader.close();
        }
    }
}
