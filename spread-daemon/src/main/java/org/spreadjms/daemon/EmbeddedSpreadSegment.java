package org.spreadjms.daemon;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A test fixture: several embedded daemons (each with its own name and port on 127.0.0.1) that behave as one Spread
 * segment, and can be partitioned and merged to produce the network membership changes of a real multi-daemon
 * deployment. It is not a distributed daemon: all daemons share one selector thread and one order.
 *
 * <p>What it reproduces: clients on different daemons share groups, one total order and membership while in one
 * component; members are listed by daemon (in the order given here), then by name; on a partition or merge every
 * member whose view changes gets TRANSITION_MESS (with the old view's group id) and then REG_MEMB_MESS |
 * CAUSED_BY_NETWORK whose virtual-synchrony sets group the members that were together before, its own set first
 * pointed at by the local offset; the group id becomes (new membership id, index 1); messages are delivered only
 * within the sender's component, and a message is in exactly one view at every receiver (one order).
 * A daemon can {@link #crash}: the others see its clients leave as in a partition, its clients' connections end and
 * its port refuses connections from then on.
 * What it does not reproduce: token timing, SAFE stability delays, the cascading of several membership rounds,
 * members joining during a transitional period (the extra singleton vs set), and a crashed daemon's restart.
 */
public final class EmbeddedSpreadSegment implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSpreadSegment.class);
    private static final int LOOPBACK_PROC_ID = 0x7F000001;

    private final List<String> names;
    private final List<Integer> ports = new ArrayList<>();
    private final DaemonStats stats = new DaemonStats();
    private final Set<Integer> crashed = ConcurrentHashMap.newKeySet();
    private Segment segment;
    private SelectorLoop loop;
    private Thread thread;

    private EmbeddedSpreadSegment(List<String> names) {
        this.names = List.copyOf(names);
    }

    /** Starts daemons with these names (1..19 characters each) on free ports of 127.0.0.1, all in one component. */
    public static EmbeddedSpreadSegment start(String... daemonNames) throws IOException {
        if (daemonNames.length < 1 || Set.of(daemonNames).size() != daemonNames.length) {
            throw new IllegalArgumentException("a segment needs distinct daemon names, got "
                    + Arrays.toString(daemonNames));
        }
        for (String n : daemonNames) {
            EmbeddedSpreadDaemon.builder().name(n); // validates the name
        }
        EmbeddedSpreadSegment s = new EmbeddedSpreadSegment(List.of(daemonNames));
        s.open();
        return s;
    }

    private void open() throws IOException {
        Selector selector = Selector.open();
        List<ServerSocketChannel> servers = new ArrayList<>();
        try {
            for (int i = 0; i < names.size(); i++) {
                ServerSocketChannel server = ServerSocketChannel.open();
                servers.add(server);
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
                server.configureBlocking(false);
                server.register(selector, SelectionKey.OP_ACCEPT, i);
                ports.add(((InetSocketAddress) server.getLocalAddress()).getPort());
            }
        } catch (IOException | RuntimeException e) {
            for (ServerSocketChannel server : servers) {
                server.close();
            }
            selector.close();
            throw e;
        }
        segment = new Segment(names, LOOPBACK_PROC_ID, (int) Instant.now().getEpochSecond());
        loop = new SelectorLoop(selector, servers, segment, DaemonLimits.defaults(), Duration.ofSeconds(10),
                new GroupRegistry(segment), stats, new Gatekeeper(SecurityFiles.open(), new LoginThrottle(Duration.ZERO)));
        thread = new Thread(loop, "spread-segment-" + String.join("-", names));
        thread.setDaemon(true);
        thread.start();
        LOG.info("Spread segment {} listening on 127.0.0.1 ports {}", names, ports);
    }

    /** The port of a daemon. */
    public int port(String daemonName) {
        int i = names.indexOf(daemonName);
        if (i < 0) {
            throw new IllegalArgumentException("no daemon '" + daemonName + "' in " + names);
        }
        return ports.get(i);
    }

    public List<String> daemonNames() {
        return names;
    }

    /**
     * Splits the daemons into components (every daemon must be in exactly one); returns once the membership messages
     * of the change are queued for the clients.
     */
    @SafeVarargs
    public final void partition(Set<String>... components) {
        int[] next = new int[names.size()];
        Arrays.fill(next, -1);
        for (Set<String> component : components) {
            int first = component.stream().mapToInt(names::indexOf).min().orElse(-1);
            for (String n : component) {
                int d = names.indexOf(n);
                if (d < 0 || first < 0 || next[d] != -1) {
                    throw new IllegalArgumentException("component " + component + " names an unknown daemon, or a"
                            + " daemon twice; daemons are " + names);
                }
                next[d] = first;
            }
        }
        for (int d = 0; d < next.length; d++) {
            if (next[d] == -1) {
                throw new IllegalArgumentException("daemon '" + names.get(d) + "' is in no component");
            }
        }
        run(() -> loop.sequencer().network(next), "the network change");
    }

    /** Merges every daemon into one component again (a crashed daemon stays down, alone). */
    public void merge() {
        List<Set<String>> components = new ArrayList<>();
        Set<String> live = new HashSet<>(names);
        for (int d : crashed) {
            live.remove(names.get(d));
            components.add(Set.of(names.get(d)));
        }
        if (!live.isEmpty()) {
            components.add(live);
        }
        @SuppressWarnings("unchecked")
        Set<String>[] all = components.toArray(new Set[0]);
        partition(all);
    }

    /**
     * Crashes a daemon, as a real one killed with SIGKILL: the clients of the other daemons see its clients leave
     * (TRANSITIONAL, then a network membership, as in a partition), the connections of its clients end without a
     * word, and its port refuses connections from then on. Returns once that is done.
     */
    public void crash(String daemonName) {
        int victim = names.indexOf(daemonName);
        if (victim < 0) {
            throw new IllegalArgumentException("no daemon '" + daemonName + "' in " + names);
        }
        if (!crashed.add(victim)) {
            throw new IllegalStateException("daemon '" + daemonName + "' has crashed already");
        }
        run(() -> {
            int[] next = segment.components();
            int old = next[victim];
            int rest = -1;
            for (int d = 0; d < next.length; d++) {
                if (d != victim && next[d] == old) {
                    rest = rest < 0 ? d : rest; // the component is named by its lowest daemon
                    next[d] = rest;
                }
            }
            next[victim] = victim;
            loop.crash(victim, next);
        }, "the crash of " + daemonName);
    }

    private void run(Runnable change, String what) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                change.run();
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(what + " did not complete", e);
        }
    }

    public DaemonCounters counters() {
        return stats.snapshot();
    }

    public void stop() {
        if (loop != null) {
            loop.stop();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            loop = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
