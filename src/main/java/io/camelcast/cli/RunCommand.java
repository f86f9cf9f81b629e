package io.camelcast.cli;

import io.camelcast.demo.Demo;

import io.camelcast.config.Settings;
import io.camelcast.runtime.CamelcastRuntime;
import io.camelcast.sim.SimServer;
import io.camelcast.sim.SpeechSimulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run Camelcast: every flow, the HTTP endpoints, /observe/health and /observe/metrics.",
                "With no settings it starts embedded S3, SQS and Redis on ./data; set camelcast.s3.endpoint,",
                "camelcast.sqs.endpoint or camelcast.redis.url to use real ones instead."})
public final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--demo", description = "Also start the Zoom and Opencast simulators, point the flows at "
            + "them and send sample events through, to see everything work on one machine.")
    boolean demo;

    @Override
    public Integer call() throws Exception {
        Settings configured = config.load();
        Demo extension = demo ? new Demo() : null;
        // camelcast.media.transcriber=sim with no service named: the speech simulator in this process (the demo
        // starts its own with the other simulators)
        SpeechSimulator speech = null;
        if (!demo && "sim".equals(configured.get("camelcast.media.transcriber"))
                && !configured.isSet("camelcast.media.transcriber-url")) {
            speech = new SpeechSimulator();
            speech.start(0);
            configured = configured.with("camelcast.media.transcriber-url", speech.url())
                    .with("camelcast.media.transcriber-api-key", SpeechSimulator.DEFAULT_KEY);
        }
        CamelcastRuntime runtime;
        try {
            runtime = CamelcastRuntime.start(configured, extension);
        } catch (Exception | Error e) {
            if (speech != null) {
                speech.close();
            }
            throw e;
        }
        SpeechSimulator started = speech;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runtime.close();
            if (started != null) {
                started.close();
            }
            stopped.countDown();
        }, "camelcast-shutdown"));
        if (demo) {
            for (SimServer sim : extension.simulators().all()) {
                System.out.println("simulator " + sim.name() + " " + sim.url());
            }
        }
        String base = "http://127.0.0.1:" + runtime.settings().get("camelcast.http.port");
        if (demo) {
            // a key the demo made up may be shown; an operator's own key never is
            String key = configured.isSet("camelcast.api-key") ? "<camelcast.api-key>" : runtime.settings().get("camelcast.api-key");
            System.out.println("try: curl -H 'X-Api-Key: " + key + "' " + base + "/status");
            System.out.println("     java -jar target/camelcast.jar status demo-probe-1   (a probe's status record)");
        }
        System.out.println("camelcast is up: " + base + "/observe/health  (Ctrl-C stops it)");
        stopped.await();
        return 0;
    }
}
