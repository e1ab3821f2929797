package org.spreadjms.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.spreadjms.daemon.EmbeddedSpreadDaemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code spread daemon}: runs the embedded daemon until the process is stopped. On Ctrl-C or SIGTERM a shutdown
 * hook stops the daemon (closing every client connection and the listening socket) and prints that it stopped.
 */
@Command(name = "daemon", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the embedded single-node Spread daemon until stopped (Ctrl-C or SIGTERM).")
final class DaemonCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "4803", description = "TCP port (0 picks a free one; default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address to listen on (default ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--name", defaultValue = "localhost",
            description = "daemon name, the part after the second # of private names; 1..19 characters"
                    + " (default ${DEFAULT-VALUE})")
    String name;

    @Option(names = "--users", paramLabel = "FILE",
            description = "user file (write entries with 'spread passwd'); clients then authenticate with"
                    + " SCRAM-SHA-256")
    java.nio.file.Path users;

    @Option(names = "--acl", paramLabel = "FILE",
            description = "access control list: who may join (read), send to (write) which groups and take which"
                    + " private names; without it everything is allowed")
    java.nio.file.Path acl;

    @Option(names = "--allow-anonymous", arity = "0..1", paramLabel = "true|false",
            description = "let clients connect without credentials (default: true without --users, false with it)")
    Boolean allowAnonymous;

    @Option(names = "--allow-pword",
            description = "also offer Spread's PWORD method (clear-text password, at most 8 bytes) for clients built"
                    + " with Spread's own library")
    boolean allowPword;

    @Override
    public Integer call() throws Exception {
        EmbeddedSpreadDaemon daemon;
        try {
            EmbeddedSpreadDaemon.Builder b = EmbeddedSpreadDaemon.builder().port(port).bindAddress(bind).name(name)
                    .users(users).acl(acl).pword(allowPword);
            if (allowAnonymous != null) {
                b.allowAnonymous(allowAnonymous);
            }
            daemon = b.build();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        try {
            daemon.start();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ParameterException(spec.commandLine(), "file not found: " + e.getFile(), e);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        } catch (BindException e) {
            throw new IllegalStateException("cannot listen on " + bind + ":" + port + " (" + e.getMessage()
                    + "): is another daemon running there? Pick another port with --port", e);
        }
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.stop();
            out.println("spread daemon '" + name + "' stopped");
            out.flush();
            stopped.countDown();
        }, "spread-daemon-shutdown"));
        ReloadSignal.install(daemon, out);
        out.println("spread daemon '" + name + "' listening on " + bind + ":" + daemon.port() + " (spread://" + bind
                + ":" + daemon.port() + "); Ctrl-C or SIGTERM stops it");
        out.flush();
        stopped.await();
        return 0;
    }
}
