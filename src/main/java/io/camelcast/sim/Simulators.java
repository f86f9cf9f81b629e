package io.camelcast.sim;

import io.camelcast.config.Settings;

import java.io.IOException;
import java.util.List;

/**
 * The simulators started together, by {@code camelcast sim} or by {@code run --demo}, which points
 * Camelcast's outside endpoints at them.
 */
public final class Simulators implements AutoCloseable {

    /** Credentials the demo uses against the simulators (they accept these by default). */
    public static final String DEMO_WEBHOOK_SECRET = "demo-webhook-secret";

    private final ZoomSimulator zoom;
    private final OpencastSimulator opencast;
    private final BunnySimulator bunny;
    private final SiteSimulator site;
    private final SpeechSimulator speech;
    private final KalturaSimulator kaltura;

    private Simulators(ZoomSimulator zoom, OpencastSimulator opencast, BunnySimulator bunny, SiteSimulator site,
            SpeechSimulator speech, KalturaSimulator kaltura) {
        this.zoom = zoom;
        this.opencast = opencast;
        this.bunny = bunny;
        this.site = site;
        this.speech = speech;
        this.kaltura = kaltura;
    }

    public static Simulators start(int zoomPort, int opencastPort) throws IOException {
        return start(zoomPort, opencastPort, 0);
    }

    public static Simulators start(int zoomPort, int opencastPort, int bunnyPort) throws IOException {
        return start(zoomPort, opencastPort, bunnyPort, 0);
    }

    public static Simulators start(int zoomPort, int opencastPort, int bunnyPort, int sitePort) throws IOException {
        return start(zoomPort, opencastPort, bunnyPort, sitePort, 0);
    }

    public static Simulators start(int zoomPort, int opencastPort, int bunnyPort, int sitePort, int kalturaPort)
            throws IOException {
        ZoomSimulator zoom = new ZoomSimulator();
        zoom.start(zoomPort);
        OpencastSimulator opencast = new OpencastSimulator();
        BunnySimulator bunny = new BunnySimulator();
        SiteSimulator site = new SiteSimulator();
        SpeechSimulator speech = new SpeechSimulator();
        KalturaSimulator kaltura = new KalturaSimulator();
        try {
            opencast.start(opencastPort);
            bunny.start(bunnyPort);
            site.start(sitePort);
            speech.start(0);
            kaltura.start(kalturaPort);
        } catch (IOException e) {
            zoom.close();
            opencast.close();
            bunny.close();
            site.close();
            speech.close();
            kaltura.close();
            throw e;
        }
        return new Simulators(zoom, opencast, bunny, site, speech, kaltura);
    }

    public BunnySimulator bunny() {
        return bunny;
    }

    public SiteSimulator site() {
        return site;
    }

    public ZoomSimulator zoom() {
        return zoom;
    }

    public OpencastSimulator opencast() {
        return opencast;
    }

    public SpeechSimulator speech() {
        return speech;
    }

    public KalturaSimulator kaltura() {
        return kaltura;
    }

    public List<SimServer> all() {
        return List.of(zoom, opencast, bunny, site, speech, kaltura);
    }

    /** Settings whose Zoom and Opencast endpoints and credentials are the simulators'. */
    public Settings pointAt(Settings s) {
        return s.with("camelcast.zoom.api-url", zoom.url() + "/v2")
                .with("camelcast.zoom.oauth-url", zoom.url() + "/oauth/token")
                .with("camelcast.zoom.download-hosts", "127.0.0.1")
                .with("camelcast.zoom.webhook-secret", DEMO_WEBHOOK_SECRET)
                .with("camelcast.zoom.account-id", ZoomSimulator.DEFAULT_ACCOUNT_ID)
                .with("camelcast.zoom.client-id", ZoomSimulator.DEFAULT_CLIENT_ID)
                .with("camelcast.zoom.client-secret", ZoomSimulator.DEFAULT_CLIENT_SECRET)
                .with("camelcast.opencast.url", opencast.url())
                .with("camelcast.opencast.engage-url", opencast.url())
                .with("camelcast.opencast.user", OpencastSimulator.DEFAULT_USER)
                .with("camelcast.opencast.password", OpencastSimulator.DEFAULT_PASSWORD)
                .with("camelcast.bunny.url", bunny.url())
                .with("camelcast.bunny.tus-url", bunny.url() + "/tusupload")
                .with("camelcast.bunny.library-id", Long.toString(BunnySimulator.DEFAULT_LIBRARY_ID))
                .with("camelcast.bunny.api-key", BunnySimulator.DEFAULT_API_KEY)
                .with("camelcast.upload.notify-url", site.url() + "/notify")
                .with("camelcast.upload.notify-secret", SiteSimulator.DEFAULT_SECRET)
                .with("camelcast.media.transcriber-url", speech.url())
                .with("camelcast.media.transcriber-api-key", SpeechSimulator.DEFAULT_KEY)
                .with("camelcast.kaltura.url", kaltura.url())
                .with("camelcast.kaltura.partner-id", Integer.toString(KalturaSimulator.DEFAULT_PARTNER_ID))
                .with("camelcast.kaltura.secret", KalturaSimulator.DEFAULT_SECRET)
                .with("camelcast.kaltura.user-id", "demo@camelcast");
    }

    @Override
    public void close() {
        kaltura.close();
        speech.close();
        site.close();
        bunny.close();
        opencast.close();
        zoom.close();
    }
}
