package org.spreadjms.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.JMSException;

import org.spreadjms.bench.Report.Outcome;
import org.spreadjms.jms.destination.SpreadQueue;
import org.spreadjms.jms.queue.QueueAssignment;

/**
 * Runs the same JMS workloads side by side against the raw Spread client and spread-jms (on one embedded Spread
 * daemon), an embedded ActiveMQ Classic broker and an embedded ActiveMQ Artemis server, all in this JVM on
 * 127.0.0.1, one system at a time. Each system gets {@code --timeout} seconds per workload; a system that fails or
 * overruns is reported as failed and the run goes on with the others. With {@code --rounds N} the throughput workloads
 * run N times, raw and spread-jms alternating within each round so that the two can be compared round by round.
 * The persistent workloads (pqueue, ptopic, pbacklog) run afterwards on hosts with persistence on: KahaDB, the
 * Artemis journal, and a spread-store member, all in this JVM with their data in temporary directories on the same
 * disk.
 *
 * <p>Usage: {@code java -jar spread-bench.jar [--messages N] [--systems raw,spreadjms,classic,artemis] ...}; see
 * {@link BenchOptions#USAGE}.
 */
public final class JmsBench {
    /** Time a run gets past its own deadline to close its connections before it is abandoned. */
    private static final long GRACE_SECONDS = 15;

    private final BenchOptions options;
    private final PrintStream progress;
    private final AtomicInteger runIds = new AtomicInteger();

    JmsBench(BenchOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.println(BenchOptions.USAGE);
            return;
        }
        // the brokers log every lifecycle step at INFO; only trouble is of interest here
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        Report report = new JmsBench(options, System.err).run();
        report.print(System.out);
        System.exit(0);
    }

    /**
     * Runs every selected system through every selected workload: the NON_PERSISTENT ones on hosts without
     * persistence, then the persistent ones (pqueue, ptopic, pbacklog) on hosts started afresh with persistence on
     * (KahaDB, the Artemis journal, a store member) in temporary directories on the same disk.
     */
    Report run() {
        Report report = new Report(options);
        if (options.workloads().stream().anyMatch(w -> !w.isPersistent())) {
            withHost(report, "Spread daemon", this::startSpread, false, BenchSystem.RAW, BenchSystem.SPREADJMS);
            withHost(report, "ActiveMQ Classic", ClassicHost::start, false, BenchSystem.CLASSIC);
            withHost(report, "ActiveMQ Artemis", ArtemisHost::start, false, BenchSystem.ARTEMIS);
        }
        if (options.workloads().stream().anyMatch(Workload::isPersistent)) {
            PersistentOptions p = options.persistent();
            withHost(report, "Spread daemon with a store member", () -> {
                List<String> groups = storedGroups();
                return startSpread().withStore(groups, p);
            }, true, BenchSystem.SPREADJMS);
            withHost(report, "ActiveMQ Classic with KahaDB", () -> ClassicHost.start(true, p.dataParent()), true,
                    BenchSystem.CLASSIC);
            withHost(report, "ActiveMQ Artemis with its journal",
                    () -> ArtemisHost.start(true, p.dataParent(), p.artemisBufferMicros()), true, BenchSystem.ARTEMIS);
        }
        return report;
    }

    private SpreadHost startSpread() throws IOException {
        return options.spreadDaemon() == null ? SpreadHost.start(options.spreadJmsOptions())
                : SpreadHost.external(options.spreadDaemon().host(), options.spreadDaemon().port(),
                        options.spreadJmsOptions());
    }

    /** The queue of a pqueue round (each round its own, so no round sees another's messages). */
    static String persistentQueue(int round) {
        return "bench.pqueue." + round;
    }

    /** The queue of a pbacklog round. */
    static String backlogQueue(int round) {
        return "bench.pbacklog." + round;
    }

    /** The topic of a ptopic round. */
    static String persistentTopic(int round) {
        return "bench.ptopic." + round;
    }

    /**
     * The Spread groups the store member keeps: those of every round's pqueue and pbacklog queue (a store member
     * learns its destinations when it starts). Durable subscriptions need none here: spread-jms refuses them for now.
     */
    private List<String> storedGroups() throws JMSException {
        List<String> groups = new ArrayList<>();
        for (int round = 1; round <= options.rounds(); round++) {
            groups.add(QueueAssignment.groupOf(new SpreadQueue(persistentQueue(round))));
            groups.add(QueueAssignment.groupOf(new SpreadQueue(backlogQueue(round))));
        }
        return groups;
    }

    private interface Starter<H extends Host> {
        H start() throws Exception;
    }

    /**
     * Starts the host if any of its systems is selected, runs them on it (the persistent or the NON_PERSISTENT
     * workloads) and stops it.
     */
    private <H extends Host> void withHost(Report report, String name, Starter<H> starter, boolean persistent,
            BenchSystem... onHost) {
        List<BenchSystem> systems = Arrays.stream(onHost).filter(options.systems()::contains).toList();
        if (systems.isEmpty()) {
            return;
        }
        H host;
        try {
            host = starter.start();
        } catch (Exception e) {
            String why = name + " did not start: " + e;
            progress.println(why);
            systems.forEach(s -> recordAll(report, s, why, persistent));
            return;
        }
        try {
            report.host(host.describe());
            if (persistent) {
                runPersistentOnHost(report, host, systems);
            } else {
                runOnHost(report, host, systems);
            }
        } finally {
            host.close();
        }
    }

    private void recordAll(Report report, BenchSystem s, String why, boolean persistent) {
        for (int round = 1; round <= options.rounds(); round++) {
            int r = round;
            if (persistent) {
                persistentWorkloads().forEach(w -> report.persistent(w, s, r, Outcome.failed(why)));
                continue;
            }
            if (options.workloads().contains(Workload.TOPIC)) {
                report.topic(s, r, Outcome.failed(why));
            }
            if (options.workloads().contains(Workload.QUEUE) && s.isJms()) {
                options.consumers().forEach(n -> report.queue(s, n, r, Outcome.failed(why)));
            }
        }
        if (!persistent && options.workloads().contains(Workload.RR)) {
            report.requestReply(s, Outcome.failed(why));
        }
    }

    private List<Workload> persistentWorkloads() {
        return options.workloads().stream().filter(Workload::isPersistent).toList();
    }

    /**
     * Runs the persistent workloads {@code --rounds} times, the host's systems one after the other within each
     * round, each run on a queue or topic of its own.
     */
    private void runPersistentOnHost(Report report, Host host, List<BenchSystem> systems) {
        for (int round = 1; round <= options.rounds(); round++) {
            for (Workload w : persistentWorkloads()) {
                for (BenchSystem s : systems) {
                    runPersistent(report, w, s, host, round);
                }
            }
        }
    }

    private void runPersistent(Report report, Workload w, BenchSystem s, Host host, int round) {
        PersistentWorkloads p = new PersistentWorkloads(host.connectionFactory(), options);
        Run<PersistentRun> run = switch (w) {
            case PQUEUE -> d -> p.queue(persistentQueue(round), d);
            case PTOPIC -> d -> p.durableTopic(persistentTopic(round), d);
            case PBACKLOG -> d -> p.backlog(backlogQueue(round), d);
            default -> throw new IllegalArgumentException(w + " is not a persistent workload");
        };
        report.persistent(w, s, round, guarded(s, inRound(w.key() + " (PERSISTENT)", round),
                options.persistent().timeout(), run));
    }

    /**
     * Runs the throughput workloads {@code --rounds} times, the host's systems one after the other within each round
     * (so the figures of one round were taken under the same conditions), then request/reply once per system.
     */
    private void runOnHost(Report report, Host host, List<BenchSystem> systems) {
        for (int round = 1; round <= options.rounds(); round++) {
            if (options.workloads().contains(Workload.TOPIC)) {
                for (BenchSystem s : systems) {
                    runTopic(report, s, host, round);
                }
            }
            if (options.workloads().contains(Workload.QUEUE)) {
                for (BenchSystem s : systems) {
                    if (s.isJms()) {
                        for (int n : options.consumers()) {
                            runQueue(report, s, host, n, round);
                        }
                    }
                }
            }
        }
        if (options.workloads().contains(Workload.RR)) {
            for (BenchSystem s : systems) {
                String name = "bench.rr." + runIds.incrementAndGet();
                report.requestReply(s, guarded(s, "request/reply", options.timeout(),
                        d -> s.isJms() ? jms(host).requestReply(name, d) : raw(host).requestReply(d)));
            }
        }
    }

    private void runTopic(Report report, BenchSystem s, Host host, int round) {
        int id = runIds.incrementAndGet();
        report.topic(s, round, guarded(s, inRound("topic", round), options.timeout(), d -> s.isJms()
                ? jms(host).topic("bench.topic." + id, d) : raw(host).topic("bench-topic-" + id, d)));
    }

    private void runQueue(Report report, BenchSystem s, Host host, int consumers, int round) {
        String name = "bench.queue." + runIds.incrementAndGet();
        report.queue(s, consumers, round, guarded(s, inRound("queue with " + consumers + " consumer(s)", round),
                options.timeout(), d -> jms(host).queue(name, consumers, d)));
    }

    private JmsWorkloads jms(Host host) {
        return new JmsWorkloads(host.connectionFactory(), options);
    }

    private RawSpreadWorkloads raw(Host host) {
        return new RawSpreadWorkloads(((SpreadHost) host).clientOptions(), options);
    }

    /** {@code what} tagged with its round when there are several. */
    private String inRound(String what, int round) {
        return options.rounds() == 1 ? what : String.format(Locale.ROOT, "%s, round %d/%d", what, round,
                options.rounds());
    }

    private interface Run<T> {
        T run(Deadline deadline) throws Exception;
    }

    /**
     * Runs one workload on its own thread with the time budget; a failure or an overrun becomes a failed outcome, a
     * system that refuses the workload an unsupported one. A run that does not even return within the grace period
     * after its deadline is abandoned (its thread is a daemon thread and cannot keep the JVM alive).
     */
    private <T> Outcome<T> guarded(BenchSystem s, String what, Duration timeout, Run<T> run) {
        String label = s.label() + " " + what;
        progress.printf(Locale.ROOT, "running %s ...%n", label);
        System.gc();
        FutureTask<T> task = new FutureTask<>(() -> run.run(Deadline.in(timeout)));
        Thread t = new Thread(task, "bench-" + s.key() + "-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
        t.setDaemon(true);
        t.start();
        try {
            T value = task.get(timeout.toSeconds() + GRACE_SECONDS, TimeUnit.SECONDS);
            progress.printf(Locale.ROOT, "  %s: %s%n", label, summary(value));
            return Outcome.of(value);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UnsupportedWorkloadException) {
                progress.printf(Locale.ROOT, "  %s: not supported: %s%n", label, cause.getMessage());
                return Outcome.unsupported(cause.getMessage());
            }
            String why = cause instanceof Deadline.BenchTimeoutException ? cause.getMessage() : cause.toString();
            progress.printf(Locale.ROOT, "  %s FAILED: %s%n", label, why);
            if (!(cause instanceof Deadline.BenchTimeoutException)) {
                cause.printStackTrace(progress);
            }
            return Outcome.failed(why);
        } catch (TimeoutException e) {
            task.cancel(true);
            String why = "no result " + (timeout.toSeconds() + GRACE_SECONDS)
                    + " s after start: abandoned (stuck in a send or close)";
            progress.printf(Locale.ROOT, "  %s FAILED: %s%n", label, why);
            return Outcome.failed(why);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            task.cancel(true);
            return Outcome.failed("interrupted");
        }
    }

    private String summary(Object value) {
        if (value instanceof Throughput t) {
            return String.format(Locale.ROOT, "%.0f msgs/s", t.msgsPerSecond());
        }
        if (value instanceof PersistentRun p) {
            Latencies l = p.sends();
            return String.format(Locale.ROOT, "%.0f msgs/s, send p50 %.1f us, p99 %.1f us (%d sent, %d received)",
                    p.throughput().msgsPerSecond(), l.percentileMicros(0.5), l.percentileMicros(0.99), p.sent(),
                    p.received());
        }
        if (value instanceof Latencies l) {
            return String.format(Locale.ROOT, "p50 %.1f us, p99 %.1f us, max %.1f us", l.percentileMicros(0.5),
                    l.percentileMicros(0.99), l.maxMicros());
        }
        return String.valueOf(value);
    }
}
