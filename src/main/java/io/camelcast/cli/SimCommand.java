package io.camelcast.cli;

import io.camelcast.sim.SimServer;
import io.camelcast.sim.Simulators;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "sim", mixinStandardHelpOptions = true,
        description = {"Run the simulators of the outside services alone and print one line each: <name> <url>.",
                "Each has GET /_sim/... to see what it received and POST /_sim/faults to inject failures."})
public final class SimCommand implements Callable<Integer> {

    @Option(names = "--zoom-port", paramLabel = "N", description = "Port of the Zoom simulator (0: a free one).")
    int zoomPort;

    @Option(names = "--opencast-port", paramLabel = "N", description = "Port of the Opencast simulator (0: a free one).")
    int opencastPort;

    @Option(names = "--bunny-port", paramLabel = "N", description = "Port of the Bunny Stream simulator (0: a free one).")
    int bunnyPort;

    @Option(names = "--site-port", paramLabel = "N", description = "Port of the site simulator that receives upload notifications (0: a free one).")
    int sitePort;

    @Option(names = "--kaltura-port", paramLabel = "N", description = "Port of the Kaltura simulator (0: a free one).")
    int kalturaPort;

    @Override
    public Integer call() throws Exception {
        for (int port : new int[] {zoomPort, opencastPort, bunnyPort, sitePort, kalturaPort}) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("a port is between 0 and 65535, got " + port);
            }
        }
        Simulators sims = Simulators.start(zoomPort, opencastPort, bunnyPort, sitePort, kalturaPort);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sims.close();
            stopped.countDown();
        }, "sim-shutdown"));
        for (SimServer sim : sims.all()) {
            System.out.println(sim.name() + " " + sim.url());
        }
        System.out.flush();
        stopped.await();
        return 0;
    }
}
