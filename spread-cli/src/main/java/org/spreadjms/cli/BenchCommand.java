package org.spreadjms.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadAddress;
import org.spreadjms.daemon.EmbeddedSpreadDaemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spread bench}: measures a scenario against a daemon (an embedded one when no URL is given). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark a Spread daemon. Without --url an embedded daemon is started for the run.")
final class BenchCommand implements Callable<Integer> {
    enum Scenario { flood }

    @Option(names = "--url", description = "daemon, as spread://host:port, port@host, or a bare port for the local daemon's UNIX socket"
                    + " /tmp/<port> when it exists (default: an embedded daemon)")
    String url;

    @Option(names = "--scenario", defaultValue = "flood",
            description = "scenario: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    Scenario scenario;

    @Option(names = "--size", defaultValue = "1000", description = "payload bytes per message (default ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--count", defaultValue = "100000", description = "messages measured (default ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--warmup", defaultValue = "20000", description = "messages sent before measuring (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--window", defaultValue = "500",
            description = "messages in flight: sent and not yet received back (default ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--service", defaultValue = "RELIABLE",
            description = "service type: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    ServiceType service;

    @Option(names = "--runs", defaultValue = "1", description = "measured runs, each reported (default ${DEFAULT-VALUE})")
    int runs;

    @Override
    public Integer call() throws Exception {
        if (size < 0 || count < 1 || window < 1 || warmup < 0 || runs < 1) {
            System.err.println("spread bench: --size must be >= 0, --count, --window and --runs >= 1, --warmup >= 0");
            return 2;
        }
        EmbeddedSpreadDaemon embedded = null;
        SpreadAddress address;
        if (url == null) {
            embedded = EmbeddedSpreadDaemon.builder().port(0).build();
            embedded.start();
            address = new SpreadAddress("127.0.0.1", embedded.port());
        } else {
            address = DaemonUrl.parse(url);
        }
        try {
            PrintStream out = System.out;
            out.printf("scenario=%s daemon=%s%s size=%d count=%d window=%d service=%s%n", scenario, address,
                    embedded != null ? " (embedded)" : "", size, count, window, service);
            FloodScenario flood = new FloodScenario(address, size, window, service);
            BenchResult last = null;
            flood.open();
            try {
                if (warmup > 0) {
                    flood.run(warmup, null);
                }
                for (int r = 1; r <= runs; r++) {
                    last = flood.run(count, new ProgressBar(System.err, count));
                    out.printf(Locale.ROOT, "%-6s %12s %12s %10s %10s %10s%n", "run", "msgs/s", "MB/s", "p50_us",
                            "p99_us", "max_us");
                    out.printf(Locale.ROOT, "%-6d %12.0f %12.1f %10d %10d %10d%n", r, last.msgsPerSecond(),
                            last.megabytesPerSecond(), last.p50Micros(), last.p99Micros(), last.maxMicros());
                }
            } finally {
                flood.close();
            }
            out.println(last.keyValues(scenario.name(), size));
            return 0;
        } finally {
            if (embedded != null) {
                embedded.stop();
            }
        }
    }
}
