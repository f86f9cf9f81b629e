package io.camelcast.cli;

import io.camelcast.dlq.DeadLetter;
import io.camelcast.logging.SecretMasker;
import io.camelcast.dlq.DeadLetterQueues;
import io.camelcast.runtime.Services;
import io.camelcast.store.AwsClients;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "Dead letters: messages a flow gave up on after its retries, with their cause.",
        subcommands = {DlqCommand.ListCommand.class, DlqCommand.ReplayCommand.class})
public final class DlqCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: list or replay");
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the dead letters of QUEUE (a flow queue such as camelcast-plumbing, or its -dlq).")
    static final class ListCommand implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(index = "0", paramLabel = "QUEUE")
        String queue;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (Services services = Services.open(config.load());
                 SqsClient sqs = AwsClients.sqs(services.settings())) {
                List<DeadLetterQueues.Entry> entries = new DeadLetterQueues(sqs).list(queue);
                PrintWriter out = spec.commandLine().getOut();
                out.printf("%d dead letter(s) in %s%n", entries.size(), DeadLetterQueues.dlqName(queue));
                for (DeadLetterQueues.Entry e : entries) {
                    DeadLetter l = e.letter();
                    if (l == null) {
                        out.printf("%s  (not a Camelcast dead letter) %s%n", e.messageId(), abbreviate(SecretMasker.maskJson(e.rawBody())));
                    } else {
                        out.printf("%s  failedAt=%s queue=%s route=%s attempts=%d%n    error: %s%n    headers: %s%n    body: %s%n",
                                l.id(), l.failedAt(), l.queue(), l.route(), l.attempts(), l.exception(),
                                l.headers(), abbreviate(SecretMasker.maskJson(l.body())));
                    }
                }
                out.flush();
                return 0;
            }
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Send dead letters of QUEUE back to the queue they came from, unchanged.")
    static final class ReplayCommand implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(index = "0", paramLabel = "QUEUE")
        String queue;

        @Option(names = "--id", paramLabel = "ID", description = "A letter id from `dlq list` (repeatable).")
        List<String> ids = List.of();

        @Option(names = "--all", description = "Replay every letter in the queue.")
        boolean all;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (ids.isEmpty() == !all) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give either --id ID (one or more) or --all");
            }
            try (Services services = Services.open(config.load());
                 SqsClient sqs = AwsClients.sqs(services.settings())) {
                DeadLetterQueues.ReplayResult r = new DeadLetterQueues(sqs).replay(queue, new LinkedHashSet<>(ids), all);
                PrintWriter out = spec.commandLine().getOut();
                out.printf("replayed %d dead letter(s) from %s%n", r.replayed(), DeadLetterQueues.dlqName(queue));
                if (r.skipped() > 0) {
                    out.printf("skipped %d message(s) that are not Camelcast dead letters%n", r.skipped());
                }
                out.flush();
                if (!r.notFound().isEmpty()) {
                    spec.commandLine().getErr().println("camelcast: no dead letter with id " + String.join(", ", r.notFound()));
                    return 1;
                }
                return 0;
            }
        }
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        String one = s.replaceAll("\\s+", " ");
        return one.length() > 160 ? one.substring(0, 157) + "..." : one;
    }
}
