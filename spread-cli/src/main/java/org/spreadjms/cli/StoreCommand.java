package org.spreadjms.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.spreadjms.client.SpreadAddress;
import org.spreadjms.store.StoreMember;
import org.spreadjms.store.StoreMemberOptions;
import org.spreadjms.store.StoreSupervisor;
import org.spreadjms.store.log.FsyncPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code spread store --data DIR --group G...}: runs one store member until Ctrl-C (see docs/store-protocol.md). */
@Command(name = "store", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a store member: it joins the groups given with --group and the store's control group,"
                + " persists the PERSISTENT messages sent there in --data, acknowledges them to their senders once"
                + " durable, and catches up from a running member when it starts. Run several (on several daemons)"
                + " for replicas. When it loses its daemon it starts again on the next one of --url and catches up;"
                + " a disk failure ends it. Stops on Ctrl-C or after --timeout."})
final class StoreCommand implements Callable<Integer> {
    private static final long POLL_MILLIS = 200;

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    CredentialOptions credentials = new CredentialOptions();

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "the data directory")
    Path data;

    @Option(names = "--group", paramLabel = "GROUP",
            description = "a destination group to store (repeat for several; a JMS queue's group q~<queue>);"
                    + " durable subscriptions need none: clients create them at run time")
    List<String> groups = new java.util.ArrayList<>();

    @Option(names = "--url", defaultValue = DaemonUrl.DEFAULT,
            description = "daemon: spread://host:port, port@host or host:port, or a failover list"
                    + " spread:failover:(spread://host1:port1,spread://host2:port2) tried in turn; the member"
                    + " reconnects (to the next daemon) whenever it loses its daemon (default ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--name", defaultValue = "", paramLabel = "NAME",
            description = "private name after the store members' prefix $st, at most 7 characters (default: random)")
    String name;

    @Option(names = "--fsync", defaultValue = "batch", paramLabel = "POLICY",
            description = "always, batch (group commit within 2 ms), batch:<ms> or never (default ${DEFAULT-VALUE})")
    String fsync;

    @Option(names = "--control", defaultValue = StoreMemberOptions.CONTROL_GROUP, paramLabel = "GROUP",
            description = "the control group of the replica group (default ${DEFAULT-VALUE})")
    String control;

    @Option(names = "--bootstrap-members", defaultValue = "1", paramLabel = "N",
            description = "after a full restart, wait for N members before the most advanced serves (default 1)")
    int bootstrapMembers;

    @Option(names = "--replicas", defaultValue = "0", paramLabel = "N",
            description = "the replica group's intended size: serve only while a majority of N is in view, so the"
                    + " minority side of a partition acknowledges nothing (default 0: no quorum rule)")
    int replicas;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "stop after this many seconds")
    Double timeout;

    @Override
    public Integer call() throws Exception {
        FsyncPolicy policy;
        StoreMemberOptions options;
        DaemonUrl.DaemonList daemons;
        StoreSupervisor.Backoff backoff;
        try {
            policy = FsyncPolicy.parse(fsync);
            daemons = DaemonUrl.daemons(url);
            options = new StoreMemberOptions(daemons.daemons().get(0).toString(), name, data, policy, groups, control,
                    bootstrapMembers, Duration.ofSeconds(10), 256L << 20, replicas);
            backoff = new StoreSupervisor.Backoff(daemons.initialDelay(), daemons.maxDelay());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (timeout != null && !(timeout > 0)) {
            throw new ParameterException(spec.commandLine(), "--timeout must be more than 0 seconds (was " + timeout
                    + ")");
        }
        PrintWriter out = spec.commandLine().getOut();
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + (long) (timeout * 1e9);
        List<String> addresses = daemons.daemons().stream().map(SpreadAddress::toString).toList();
        try (StopSignal stop = new StopSignal("store");
             StoreSupervisor supervisor = StoreSupervisor.start(options, addresses, backoff, credentials::apply)) {
            out.println("store member " + supervisor.options().spreadPrivateName() + " starting on " + addresses
                    + ": groups " + groups + ", data " + data + ", fsync " + policy + "; catching up");
            out.flush();
            StoreMember serving = null;
            boolean served = false;
            while (!stop.stopped() && System.nanoTime() - deadline < 0) {
                if (supervisor.ended().isDone()) {
                    throw new IllegalStateException(supervisor.ended().get());
                }
                if (serving != null && serving.failure().isDone()) {
                    out.println("lost the daemon (" + serving.failure().get() + "); reconnecting to " + addresses);
                    out.flush();
                    serving = null;
                }
                StoreMember m = supervisor.member();
                if (m != serving && m != null && m.isServing() && !m.failure().isDone()) {
                    out.println((!served ? "serving: " : "serving again on " + m.options().daemon() + ": ")
                            + m.storeMembers() + " store member(s) in " + control + ", applied index "
                            + m.log().appliedIndex() + " (Ctrl-C to stop)");
                    out.flush();
                    serving = m;
                    served = true;
                }
                try {
                    supervisor.ended().get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    // still running
                }
            }
            StoreMember m = supervisor.member();
            if (m == null || !m.hasServed()) {
                out.println("stopped before serving");
                return SpreadCommand.EXIT_INCOMPLETE;
            }
            out.println("stopping: applied index " + m.log().appliedIndex() + ", last sequences "
                    + m.log().lastSequences());
            out.flush();
        }
        return 0;
    }
}
