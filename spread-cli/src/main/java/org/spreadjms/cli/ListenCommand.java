package org.spreadjms.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;

import org.spreadjms.client.DataMessage;
import org.spreadjms.client.ReceivedMessage;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadOptions;
import org.spreadjms.jms.SpreadConnectionFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code spread listen}: prints what arrives on a topic, a queue or a raw group, then the count and the rate. The
 * "listening" line goes to stderr once the subscription is in place, so a script can start sending after it.
 */
@Command(name = "listen", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print messages arriving on a JMS topic or queue, or a raw Spread group; at the end the count"
                + " and the rate.", "Runs until Ctrl-C, --count messages, or --timeout seconds."},
        footer = {"", "Examples:",
                "  spread listen --topic news",
                "  spread listen --queue work --count 100 --quiet",
                "  spread listen --topic Spread.Membership.news     (membership advisories of topic news)"})
final class ListenCommand implements Callable<Integer> {
    private static final Duration POLL = Duration.ofMillis(200);

    @Spec
    CommandSpec spec;

    @Option(names = "--url", defaultValue = DaemonUrl.DEFAULT,
            description = "daemon: spread://host:port[?jms options], port@host or host:port (default ${DEFAULT-VALUE})")
    String url;

    @picocli.CommandLine.Mixin
    CredentialOptions credentials = new CredentialOptions();

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--count", paramLabel = "N", description = "stop after N messages")
    Long count;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "stop after this many seconds (exit code 3 if --count was not reached)")
    Double timeout;

    @Option(names = {"-q", "--quiet"}, description = "print only the summary, not each message")
    boolean quiet;

    private PrintWriter out;
    private Tally tally;
    private long deadline;

    @Override
    public Integer call() throws Exception {
        if (count != null && count < 1) {
            throw new ParameterException(spec.commandLine(), "--count must be at least 1 (was " + count + ")");
        }
        if (timeout != null && !(timeout > 0)) {
            throw new ParameterException(spec.commandLine(), "--timeout must be more than 0 seconds (was " + timeout
                    + ")");
        }
        out = spec.commandLine().getOut();
        tally = new Tally();
        deadline = timeout == null ? 0 : System.nanoTime() + (long) (timeout * 1e9);
        try (StopSignal stop = new StopSignal("listen")) {
            if (target.raw()) {
                listenRaw(stop);
            } else {
                listenJms(stop);
            }
            out.println(tally.summary("received") + " on " + target);
            out.flush();
        }
        return count != null && tally.messages() < count ? SpreadCommand.EXIT_INCOMPLETE : 0;
    }

    private void listenRaw(StopSignal stop) throws Exception {
        try (SpreadConnection c = SpreadConnection.connect(credentials.apply(SpreadOptions.builder())
                .daemon(DaemonUrl.parse(url))
                .build())) {
            c.join(target.group, Duration.ofSeconds(10));
            ready();
            while (more(stop)) {
                ReceivedMessage m = c.receive(POLL);
                if (m instanceof DataMessage d && d.groups().contains(target.group)) {
                    tally.add(d.data().length);
                    if (!quiet) {
                        out.println("[" + tally.messages() + "] from " + d.sender() + " (" + d.serviceType()
                                + ", type " + d.messType() + "): " + MessageText.of(d.data()));
                        out.flush();
                    }
                }
            }
        }
    }

    private void listenJms(StopSignal stop) throws Exception {
        try (Connection c = credentials.connect(new SpreadConnectionFactory(DaemonUrl.jmsUri(url)))) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(target.destination(s, null));
            c.start();
            ready();
            while (more(stop)) {
                Message m = consumer.receive(POLL.toMillis());
                if (m != null) {
                    tally.add(MessageText.sizeOf(m));
                    if (!quiet) {
                        out.println("[" + tally.messages() + "] " + MessageText.of(m));
                        out.flush();
                    }
                }
            }
        }
    }

    private void ready() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("listening on " + target + " at " + url + (count != null ? " for " + count + " messages" : "")
                + (timeout != null ? " for at most " + timeout + " s" : "") + " (Ctrl-C to stop)");
        err.flush();
    }

    private boolean more(StopSignal stop) {
        return !stop.stopped() && (count == null || tally.messages() < count) 
                && (timeout == null || System.nanoTime() - deadline < 0);
    }
}
