package org.spreadjms.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.spreadjms.jms.SpreadJmsSettings;
import org.spreadjms.store.log.FsyncPolicy;

/**
 * Command-line options of {@link JmsBench}. Unknown options and malformed values fail with a message naming them.
 *
 * @param messages    measured messages per throughput run
 * @param warmup      messages sent through the same producer and consumers before measuring
 * @param sizeBytes   payload size of every message (topic, queue, request and reply)
 * @param roundTrips  measured request/reply round trips
 * @param rrWarmup    round trips before measuring
 * @param systems     systems to run, in this order
 * @param workloads   workloads to run
 * @param consumers   consumer counts of the queue workload
 * @param window      messages in flight at most (sent and not yet consumed); 0 for no bound
 * @param timeout     time one system gets for one workload before it is aborted
 * @param rounds      times each throughput run (topic, queue per consumer count, the persistent ones) is repeated;
 *                    request/reply runs once
 * @param persistent  message counts, time budget and store settings of the persistent workloads
 */
record BenchOptions(int messages, int warmup, int sizeBytes, int roundTrips, int rrWarmup, Set<BenchSystem> systems,
        Set<Workload> workloads, List<Integer> consumers, int window, Duration timeout, int rounds,
        DaemonAddress spreadDaemon, String spreadJmsOptions, PersistentOptions persistent) {

    /** An external Spread daemon's TCP address. */
    record DaemonAddress(String host, int port) {
    }

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar spread-bench.jar [options]",
            "  --messages N       measured messages per throughput run (default 100000)",
            "  --warmup N         messages before measuring, same connections (default 20000)",
            "  --size BYTES       payload bytes of every message (default 1024)",
            "  --round-trips M    measured request/reply round trips (default 20000)",
            "  --rr-warmup M      round trips before measuring (default 2000)",
            "  --systems LIST     raw,spreadjms,classic,artemis (default all)",
            "  --workloads LIST   topic,rr,queue,pqueue,ptopic,pbacklog (default topic,rr,queue: the NON_PERSISTENT",
            "                     ones; pqueue, ptopic, pbacklog are PERSISTENT, options below)",
            "  --consumers LIST   consumer counts of the queue workload (default 1,2,4)",
            "  --window W         at most W messages sent and not yet consumed; 0 = unbounded (default 500)",
            "  --timeout SECONDS  time one system gets for one workload before it is aborted (default 60)",
            "  --rounds N         repeat every throughput run (topic, queue per consumer count) N times (default 1);",
            "                     each round runs raw and spread-jms back to back on the same daemon, the report",
            "                     gives the median (and min-max) per system and spreadjms_vs_raw as the median of",
            "                     the per-round ratios; request/reply runs once (its round trips are its repeats)",
            "  --spread-daemon HOST:PORT",
            "                     run raw and spread-jms against this external Spread daemon (a real Spread 4",
            "                     daemon, say) over TCP instead of starting the embedded one",
            "  --spreadjms-options QUERY",
            "                     URI options of spread-jms's connection factory, e.g. alwaysSessionAsync=false",
            "  persistent workloads (every system with persistence on, syncing to the same disk): pqueue (a queue",
            "  with its consumer running), ptopic (a durable subscription), pbacklog (a queue whose consumer starts",
            "  once everything was sent; msgs/s of the drain):",
            "  --persistent-messages N   measured messages per persistent run (default 10000)",
            "  --persistent-warmup N     messages before measuring (default 1000)",
            "  --persistent-timeout SECONDS  time one system gets for one persistent run (default 300)",
            "  --persistent-producers N  producers of pqueue and ptopic, each on its own connection and thread,",
            "                            sending at once (default 1: msgs/s is then 1 / send latency)",
            "  --store-fsync POLICY      fsync policy of spread-jms's store member: always, batch, batch:<ms>,",
            "                            never (default batch, 2 ms)",
            "  --store-acks N|all        spread-jms's storeAcks: store members a send waits for (default 1; one",
            "                            store member runs)",
            "  --data-dir DIR            where the temporary data directories of the brokers and the store",
            "                            member are made (default the JVM's temporary directory); deleted after",
            "  --artemis-journal-buffer-us N  Artemis's journal-buffer-timeout (its group-commit window) in",
            "                            microseconds (default: Artemis's own, 3333 with NIO; `artemis create`",
            "                            calibrates it to the disk's sync time instead)",
            "  --help");

    static BenchOptions defaults() {
        return new BenchOptions(100_000, 20_000, 1024, 20_000, 2_000, EnumSet.allOf(BenchSystem.class),
                EnumSet.of(Workload.TOPIC, Workload.RR, Workload.QUEUE), List.of(1, 2, 4), 500,
                Duration.ofSeconds(60), 1, null, "", PersistentOptions.defaults());
    }

    /**
     * Parses {@code --name value} pairs over the defaults.
     *
     * @throws IllegalArgumentException for an unknown option, a missing or malformed value
     */
    static BenchOptions parse(String... args) {
        BenchOptions o = defaults();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + name + " needs a value");
            }
            String v = args[++i];
            o = switch (name) {
                case "--messages" -> o.withMessages(positive(name, v), o.warmup);
                case "--warmup" -> o.withMessages(o.messages, atLeast(name, v, 0));
                case "--size" -> o.withSize(atLeast(name, v, 8));
                case "--round-trips" -> o.withRoundTrips(positive(name, v), o.rrWarmup);
                case "--rr-warmup" -> o.withRoundTrips(o.roundTrips, atLeast(name, v, 0));
                case "--systems" -> o.withSystems(systems(v));
                case "--workloads" -> o.withWorkloads(workloads(v));
                case "--consumers" -> o.withConsumers(consumerCounts(v));
                case "--window" -> o.withWindow(atLeast(name, v, 0));
                case "--timeout" -> o.withTimeout(Duration.ofSeconds(positive(name, v)));
                case "--rounds" -> o.withRounds(positive(name, v));
                case "--spread-daemon" -> o.withSpreadDaemon(daemonAddress(name, v));
                case "--spreadjms-options" -> o.withSpreadJmsOptions(spreadJmsOptions(name, v));
                case "--persistent-messages" -> o.withPersistent(o.persistent.withMessages(positive(name, v),
                        o.persistent.warmup()));
                case "--persistent-warmup" -> o.withPersistent(o.persistent.withMessages(o.persistent.messages(),
                        atLeast(name, v, 0)));
                case "--persistent-timeout" -> o.withPersistent(o.persistent.withTimeout(
                        Duration.ofSeconds(positive(name, v))));
                case "--persistent-producers" -> o.withPersistent(o.persistent.withProducers(
                        atMost(name, positive(name, v), 64)));
                case "--store-fsync" -> o.withPersistent(o.persistent.withStoreFsync(fsync(name, v)));
                case "--store-acks" -> o.withPersistent(o.persistent.withStoreAcks(storeAcks(name, v)));
                case "--data-dir" -> o.withPersistent(o.persistent.withDataDir(dataDir(name, v)));
                case "--artemis-journal-buffer-us" -> o.withPersistent(o.persistent.withArtemisBufferMicros(
                        atMost(name, atLeast(name, v, 0), 1_000_000)));
                default -> throw new IllegalArgumentException("unknown option '" + name + "'");
            };
        }
        return o;
    }

    BenchOptions withMessages(int n, int warm) {
        return new BenchOptions(n, warm, sizeBytes, roundTrips, rrWarmup, systems, workloads, consumers, window,
                timeout, rounds, spreadDaemon, spreadJmsOptions, persistent);
    }

    BenchOptions withSize(int bytes) {
        return new BenchOptions(messages, warmup, bytes, roundTrips, rrWarmup, systems, workloads, consumers, window,
                timeout, rounds, spreadDaemon, spreadJmsOptions, persistent);
    }

    BenchOptions withRoundTrips(int n, int warm) {
        return new BenchOptions(messages, warmup, sizeBytes, n, warm, systems, workloads, consumers, window, timeout,
                rounds, spreadDaemon, spreadJmsOptions, persistent);
    }

    BenchOptions withSystems(Set<BenchSystem> s) {
        return new BenchOptions(messages, warmup, sizeBytes, roundTrips, rrWarmup, s, workloads, consumers, window,
                timeout, rounds, spreadDaemon, spreadJmsOptions, persistent);
    }

    BenchOptions withWorkloads(Set<Workload> w) {
        return new BenchOptions(messages, warmup, sizeBytes, roundTrips, rrWarmup, systems, w, consumers, window,
                timeout, rounds, spreadDaemon, spreadJmsOptions, persistent);
    }

    BenchOptions withConsumers(List<Integer> c) {
        return new BenchOptions(messages, warmup, sizeBytes, roundTrips, rrWarmup, systems, workloads, c, window,
                timeout, rounds, spreadDaemon, spreadJmsOptions, persistent);
    }

    BenchOptions withWindow(int w) {
        return new BenchOptions(messages, warmup, sizeBytes, roundTrips, rrWarmup, systems, workloads, consumers, w,
                timeout, rounds, spreadDaemon, spreadJmsOptions, persistent);
    }

    BenchOptions withTimeout(Duration t) {
        return new BenchOptions(messages, warmup, sizeBytes, roundTrips, rrWarmup, systems, workloads, consumers,
                window, t, rounds, spreadDaemon, spreadJmsOptions, persistent);
    }

    BenchOptions withSpreadDaemon(DaemonAddress a) {
        return new BenchOptions(messages, warmup, sizeBytes, roundTrips, rrWarmup, systems, workloads, consumers,
                window, timeout, rounds, a, spreadJmsOptions, persistent);
    }

    BenchOptions withSpreadJmsOptions(String query) {
        return new BenchOptions(messages, warmup, sizeBytes, roundTrips, rrWarmup, systems, workloads, consumers,
                window, timeout, rounds, spreadDaemon, query, persistent);
    }

    BenchOptions withPersistent(PersistentOptions p) {
        return new BenchOptions(messages, warmup, sizeBytes, roundTrips, rrWarmup, systems, workloads, consumers,
                window, timeout, rounds, spreadDaemon, spreadJmsOptions, p);
    }

    BenchOptions withRounds(int n) {
        return new BenchOptions(messages, warmup, sizeBytes, roundTrips, rrWarmup, systems, workloads, consumers,
                window, timeout, n, spreadDaemon, spreadJmsOptions, persistent);
    }

    /** Checks the options as spread-jms would read them, so a typo fails here rather than as a failed run. */
    private static String spreadJmsOptions(String name, String v) {
        try {
            SpreadJmsSettings.fromUri("spread://127.0.0.1:4803?" + v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option " + name + ": " + e.getMessage(), e);
        }
        return v;
    }

    private static FsyncPolicy fsync(String name, String v) {
        try {
            return FsyncPolicy.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option " + name + ": " + e.getMessage(), e);
        }
    }

    /** A count or {@code all}, checked as spread-jms reads it. */
    private static String storeAcks(String name, String v) {
        spreadJmsOptions(name, "storeAcks=" + v);
        if (v.equals("0")) {
            throw new IllegalArgumentException("option " + name + " is 0: the persistent workloads measure sends"
                    + " that wait for the store (give a count of store members or all)");
        }
        return v;
    }

    private static Path dataDir(String name, String v) {
        Path p = Path.of(v);
        if (!Files.isDirectory(p) || !Files.isWritable(p)) {
            throw new IllegalArgumentException("option " + name + " needs a writable directory, got '" + v + "'");
        }
        return p;
    }

    private static DaemonAddress daemonAddress(String name, String v) {
        int colon = v.lastIndexOf(':');
        if (colon <= 0 || colon == v.length() - 1) {
            throw new IllegalArgumentException("option " + name + " needs HOST:PORT, got '" + v + "'");
        }
        int port = atLeast(name, v.substring(colon + 1), 1);
        if (port > 65535) {
            throw new IllegalArgumentException("option " + name + " has port " + port + " (at most 65535)");
        }
        return new DaemonAddress(v.substring(0, colon), port);
    }

    private static int positive(String name, String v) {
        return atLeast(name, v, 1);
    }

    private static int atMost(String name, int n, int max) {
        if (n > max) {
            throw new IllegalArgumentException("option " + name + " is " + n + " (at most " + max + " allowed)");
        }
        return n;
    }

    private static int atLeast(String name, String v, int min) {
        int n;
        try {
            n = Integer.parseInt(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + name + " needs a whole number, got '" + v + "'", e);
        }
        if (n < min) {
            throw new IllegalArgumentException("option " + name + " is " + n + " (at least " + min + " allowed)");
        }
        return n;
    }

    private static Set<BenchSystem> systems(String list) {
        Set<BenchSystem> out = EnumSet.noneOf(BenchSystem.class);
        for (String s : list.split(",")) {
            out.add(BenchSystem.fromKey(s));
        }
        return out;
    }

    private static Set<Workload> workloads(String list) {
        Set<Workload> out = EnumSet.noneOf(Workload.class);
        for (String s : list.split(",")) {
            out.add(Workload.fromKey(s));
        }
        return out;
    }

    private static List<Integer> consumerCounts(String list) {
        List<Integer> out = new ArrayList<>();
        for (String s : list.split(",")) {
            out.add(atLeast("--consumers", s.trim(), 1));
        }
        return List.copyOf(out);
    }
}
