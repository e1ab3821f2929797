package org.spreadjms.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.spreadjms.daemon.EmbeddedSpreadDaemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spread daemon}: runs the embedded daemon until stopped. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = "Run the embedded single-node Spread daemon until stopped (Ctrl-C or SIGTERM).")
final class DaemonCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "4803", description = "TCP port (0 picks a free one; default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address to listen on (default ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--name", defaultValue = "localhost", description = "daemon name, at most 19 characters (default ${DEFAULT-VALUE})")
    String name;

    @Override
    public Integer call() throws Exception {
        EmbeddedSpreadDaemon daemon = EmbeddedSpreadDaemon.builder().port(port).bindAddress(bind).name(name).build();
        daemon.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.stop();
            System.out.println("spread daemon '" + name + "' stopped");
            stopped.countDown();
        }, "spread-daemon-shutdown"));
        System.out.println("spread daemon '" + name + "' listening on " + bind + ":" + daemon.port());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
