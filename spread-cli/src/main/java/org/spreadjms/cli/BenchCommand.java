package org.spreadjms.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadAddress;
import org.spreadjms.daemon.EmbeddedSpreadDaemon;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code spread bench}: measures a scenario against a daemon (an embedded one when no URL is given). Progress goes
 * to stderr; stdout gets a header, a table row per run and, last, one line of {@code key=value} figures.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Benchmark a Spread daemon. Without --url an embedded daemon is started for the run.",
                "Scenarios: flood (raw client to its own group and back), topic (JMS 1 producer -> 1 subscriber),"
                        + " queue (JMS competing consumers), request-reply (JMS round trips), fan-out (JMS 1"
                        + " producer -> N subscribers).",
                "The last line holds the figures as key=value (msgs_per_s, mb_per_s, p50_us, p99_us, max_us)."})
final class BenchCommand implements Callable<Integer> {
    /** The scenarios, by the name given on the command line. */
    enum Scenario {
        FLOOD("flood"), TOPIC("topic"), QUEUE("queue"), REQUEST_REPLY("request-reply"), FAN_OUT("fan-out");

        final String label;

        Scenario(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }

        static Scenario of(String label) {
            for (Scenario s : values()) {
                if (s.label.equals(label)) {
                    return s;
                }
            }
            throw new CommandLine.TypeConversionException("'" + label + "' is not a scenario (expected one of "
                    + Arrays.toString(values()) + ")");
        }

        static final class Labels implements Iterable<String> {
            @Override
            public Iterator<String> iterator() {
                return Arrays.stream(values()).map(s -> s.label).iterator();
            }
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", description = "daemon, as spread://host:port, port@host, or a bare port for the local"
            + " daemon's UNIX socket /tmp/<port> when it exists (default: an embedded daemon on a free port)")
    String url;

    @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "flood", converter = ScenarioConverter.class,
            completionCandidates = Scenario.Labels.class,
            description = "scenario: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    Scenario scenario;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "1000", description = "payload bytes per message (default ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--count", paramLabel = "N", defaultValue = "100000",
            description = "messages (round trips for request-reply) measured per run (default ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--warmup", paramLabel = "N", description = "messages sent before measuring (default: a fifth of --count, at most"
            + " 20000)")
    Integer warmup;

    @Option(names = "--consumers", paramLabel = "N", description = "consumers for queue and fan-out (default 4)")
    Integer consumers;

    @Option(names = "--window", paramLabel = "N", defaultValue = "500",
            description = "deliveries in flight: sent and not yet received (default ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--service", paramLabel = "TYPE", description = "service type: ${COMPLETION-CANDIDATES} (default RELIABLE for flood;"
            + " the JMS provider's FIFO for non-persistent messages otherwise)")
    ServiceType service;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "1", description = "measured runs, each reported (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--time-limit", paramLabel = "SECONDS", defaultValue = "600",
            description = "seconds a whole bench may take before it fails (default ${DEFAULT-VALUE})")
    int timeLimitSeconds;

    static final class ScenarioConverter implements CommandLine.ITypeConverter<Scenario> {
        @Override
        public Scenario convert(String value) {
            return Scenario.of(value);
        }
    }

    @Override
    public Integer call() throws Exception {
        validate();
        int warm = warmup != null ? warmup : Math.min(20_000, count / 5);
        long deadline = System.nanoTime() + timeLimitSeconds * 1_000_000_000L;
        PrintWriter out = spec.commandLine().getOut();
        EmbeddedSpreadDaemon embedded = null;
        if (url == null) {
            embedded = EmbeddedSpreadDaemon.builder().port(0).bindAddress("127.0.0.1").build().start();
        }
        try {
            SpreadAddress address = embedded != null ? new SpreadAddress("127.0.0.1", embedded.port())
                    : DaemonUrl.parse(url);
            String jmsUri = embedded != null ? "spread://127.0.0.1:" + embedded.port() : DaemonUrl.jmsUri(url);
            BenchResult last = null;
            try (BenchScenario s = scenario(address, jmsUri)) {
                out.printf("scenario=%s daemon=%s%s size=%d count=%d warmup=%d runs=%d%n", scenario, address,
                        embedded != null ? " (embedded)" : "", size, count, warm, runs);
                out.println(s.describe());
                out.flush();
                s.open();
                if (warm > 0) {
                    s.run(warm, null, deadline);
                }
                for (int r = 1; r <= runs; r++) {
                    last = s.run(count, new ProgressBar(spec.commandLine().getErr(), count), deadline);
                    if (r == 1) {
                        out.printf(Locale.ROOT, "%-6s %12s %12s %10s %10s %10s %10s%n", "run", "deliveries", "msgs/s",
                                "MB/s", "p50_us", "p99_us", "max_us");
                    }
                    out.printf(Locale.ROOT, "%-6d %12d %12.0f %10.1f %10d %10d %10d%n", r, last.messages(),
                            last.msgsPerSecond(), last.megabytesPerSecond(), last.p50Micros(), last.p99Micros(),
                            last.maxMicros());
                    out.flush();
                }
                String extra = s.extraKeyValues();
                out.println(last.keyValues(scenario.label, size) + (extra.isEmpty() ? "" : " " + extra));
                out.flush();
            }
            return 0;
        } finally {
            if (embedded != null) {
                embedded.stop();
            }
        }
    }

    private void validate() {
        String problem = null;
        if (size < 0) {
            problem = "--size must be at least 0 (was " + size + ")";
        } else if (count < 1 || window < 1 || runs < 1 || timeLimitSeconds < 1) {
            problem = "--count, --window, --runs and --time-limit must be at least 1";
        } else if (warmup != null && warmup < 0) {
            problem = "--warmup must be at least 0 (was " + warmup + ")";
        } else if (consumers != null && consumers < 1) {
            problem = "--consumers must be at least 1 (was " + consumers + ")";
        } else if (consumers != null && scenario != Scenario.QUEUE && scenario != Scenario.FAN_OUT) {
            problem = "--consumers applies to the queue and fan-out scenarios, not " + scenario;
        } else if (scenario == Scenario.FLOOD && size < 8) {
            problem = "--size must be at least 8 for flood (each message carries its send time)";
        }
        if (problem != null) {
            throw new ParameterException(spec.commandLine(), problem);
        }
    }

    private BenchScenario scenario(SpreadAddress address, String jmsUri) {
        int n = consumers != null ? consumers : 4;
        return switch (scenario) {
            case FLOOD -> new FloodScenario(address, size, window, service != null ? service : ServiceType.RELIABLE);
            case TOPIC -> new JmsFlowScenario(jmsUri, JmsFlowScenario.Shape.TOPIC, 1, size, window, service);
            case FAN_OUT -> new JmsFlowScenario(jmsUri, JmsFlowScenario.Shape.FAN_OUT, n, size, window, service);
            case QUEUE -> new JmsFlowScenario(jmsUri, JmsFlowScenario.Shape.QUEUE, n, size, window, service);
            case REQUEST_REPLY -> new RequestReplyScenario(jmsUri, size, service);
        };
    }
}
