package org.spreadjms.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.spreadjms.bench.Report.Outcome;

/**
 * Runs the same JMS workloads side by side against the raw Spread client and spread-jms (on one embedded Spread
 * daemon), an embedded ActiveMQ Classic broker and an embedded ActiveMQ Artemis server, all in this JVM on
 * 127.0.0.1, one system at a time. Each system gets {@code --timeout} seconds per workload; a system that fails or
 * overruns is reported as failed and the run goes on with the others.
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

    /** Runs every selected system through every selected workload. */
    Report run() {
        Report report = new Report(options);
        if (options.systems().contains(BenchSystem.RAW) || options.systems().contains(BenchSystem.SPREADJMS)) {
            withHost(report, "Spread daemon", SpreadHost::start, h -> {
                for (BenchSystem s : new BenchSystem[] {BenchSystem.RAW, BenchSystem.SPREADJMS}) {
                    if (options.systems().contains(s)) {
                        runSystem(report, s, h);
                    }
                }
            }, BenchSystem.RAW, BenchSystem.SPREADJMS);
        }
        if (options.systems().contains(BenchSystem.CLASSIC)) {
            withHost(report, "ActiveMQ Classic", ClassicHost::start, h -> runSystem(report, BenchSystem.CLASSIC, h),
                    BenchSystem.CLASSIC);
        }
        if (options.systems().contains(BenchSystem.ARTEMIS)) {
            withHost(report, "ActiveMQ Artemis", ArtemisHost::start, h -> runSystem(report, BenchSystem.ARTEMIS, h),
                    BenchSystem.ARTEMIS);
        }
        return report;
    }

    private interface Starter<H extends Host> {
        H start() throws Exception;
    }

    private interface HostUse<H extends Host> {
        void accept(H host);
    }

    private <H extends Host> void withHost(Report report, String name, Starter<H> starter, HostUse<H> use,
            BenchSystem... systems) {
        H host;
        try {
            host = starter.start();
        } catch (Exception e) {
            String why = name + " did not start: " + e;
            progress.println(why);
            for (BenchSystem s : systems) {
                if (options.systems().contains(s)) {
                    recordAll(report, s, why);
                }
            }
            return;
        }
        try {
            report.host(host.describe());
            use.accept(host);
        } finally {
            host.close();
        }
    }

    private void recordAll(Report report, BenchSystem s, String why) {
        for (Workload w : options.workloads()) {
            switch (w) {
                case TOPIC -> report.topic(s, Outcome.failed(why));
                case RR -> report.requestReply(s, Outcome.failed(why));
                case QUEUE -> {
                    if (s.isJms()) {
                        options.consumers().forEach(n -> report.queue(s, n, Outcome.failed(why)));
                    }
                }
            }
        }
    }

    private void runSystem(Report report, BenchSystem s, Host host) {
        JmsWorkloads jms = s.isJms() ? new JmsWorkloads(host.connectionFactory(), options) : null;
        RawSpreadWorkloads raw = s.isJms() ? null : new RawSpreadWorkloads(((SpreadHost) host).port(), options);
        if (options.workloads().contains(Workload.TOPIC)) {
            int id = runIds.incrementAndGet();
            report.topic(s, guarded(s, "topic", d -> raw != null ? raw.topic("bench-topic-" + id, d)
                    : jms.topic("bench.topic." + id, d)));
        }
        if (options.workloads().contains(Workload.RR)) {
            String name = "bench.rr." + runIds.incrementAndGet();
            report.requestReply(s, guarded(s, "request/reply", d -> raw != null ? raw.requestReply(d)
                    : jms.requestReply(name, d)));
        }
        if (options.workloads().contains(Workload.QUEUE) && jms != null) {
            for (int n : options.consumers()) {
                String name = "bench.queue." + runIds.incrementAndGet();
                report.queue(s, n, guarded(s, "queue with " + n + " consumer(s)", d -> jms.queue(name, n, d)));
            }
        }
    }

    private interface Run<T> {
        T run(Deadline deadline) throws Exception;
    }

    /**
     * Runs one workload on its own thread with the time budget; a failure or an overrun becomes a failed outcome.
     * A run that does not even return within the grace period after its deadline is abandoned (its thread is a
     * daemon thread and cannot keep the JVM alive).
     */
    private <T> Outcome<T> guarded(BenchSystem s, String what, Run<T> run) {
        String label = s.label() + " " + what;
        progress.printf(Locale.ROOT, "running %s ...%n", label);
        System.gc();
        FutureTask<T> task = new FutureTask<>(() -> run.run(Deadline.in(options.timeout())));
        Thread t = new Thread(task, "bench-" + s.key() + "-" + what.replace(' ', '-'));
        t.setDaemon(true);
        t.start();
        try {
            T value = task.get(options.timeout().toSeconds() + GRACE_SECONDS, TimeUnit.SECONDS);
            progress.printf(Locale.ROOT, "  %s: %s%n", label, summary(value));
            return Outcome.of(value);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String why = cause instanceof Deadline.BenchTimeoutException ? cause.getMessage() : cause.toString();
            progress.printf(Locale.ROOT, "  %s FAILED: %s%n", label, why);
            if (!(cause instanceof Deadline.BenchTimeoutException)) {
                cause.printStackTrace(progress);
            }
            return Outcome.failed(why);
        } catch (TimeoutException e) {
            task.cancel(true);
            String why = "no result " + (options.timeout().toSeconds() + GRACE_SECONDS)
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
        if (value instanceof Latencies l) {
            return String.format(Locale.ROOT, "p50 %.1f us, p99 %.1f us, max %.1f us", l.percentileMicros(0.5),
                    l.percentileMicros(0.99), l.maxMicros());
        }
        return String.valueOf(value);
    }
}
