package org.spreadjms.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Results of one run: a table per workload and a block of {@code key=value} lines. */
final class Report {
    /** A result or the reason there is none. */
    record Outcome<T>(T value, String error) {
        static <T> Outcome<T> of(T value) {
            return new Outcome<>(value, null);
        }

        static <T> Outcome<T> failed(String error) {
            return new Outcome<>(null, error);
        }
    }

    private final BenchOptions options;
    private final List<String> hosts = new ArrayList<>();
    private final Map<BenchSystem, Outcome<Throughput>> topic = new EnumMap<>(BenchSystem.class);
    private final Map<BenchSystem, Outcome<Latencies>> rr = new EnumMap<>(BenchSystem.class);
    private final Map<BenchSystem, Map<Integer, Outcome<Throughput>>> queue = new EnumMap<>(BenchSystem.class);

    Report(BenchOptions options) {
        this.options = options;
    }

    void host(String description) {
        hosts.add(description);
    }

    void topic(BenchSystem s, Outcome<Throughput> o) {
        topic.put(s, o);
    }

    void requestReply(BenchSystem s, Outcome<Latencies> o) {
        rr.put(s, o);
    }

    void queue(BenchSystem s, int consumers, Outcome<Throughput> o) {
        queue.computeIfAbsent(s, k -> new TreeMap<>()).put(consumers, o);
    }

    /** Every figure as {@code key=value}, in a stable order. */
    Map<String, String> keyValues() {
        Map<String, String> kv = new LinkedHashMap<>();
        kv.put("bench.messages", Integer.toString(options.messages()));
        kv.put("bench.warmup", Integer.toString(options.warmup()));
        kv.put("bench.size_bytes", Integer.toString(options.sizeBytes()));
        kv.put("bench.round_trips", Integer.toString(options.roundTrips()));
        kv.put("bench.window", Integer.toString(options.window()));
        topic.forEach((s, o) -> put(kv, "topic." + s.key(), o, t -> Map.of("msgs_per_s", fmt0(t.msgsPerSecond()))));
        for (BenchSystem other : List.of(BenchSystem.RAW, BenchSystem.CLASSIC, BenchSystem.ARTEMIS)) {
            Double r = ratio(value(topic.get(BenchSystem.SPREADJMS)), value(topic.get(other)));
            if (r != null) {
                kv.put("topic.ratio.spreadjms_vs_" + other.key(), fmt3(r));
            }
        }
        rr.forEach((s, o) -> put(kv, "rr." + s.key(), o, l -> latencyKeys(l)));
        for (BenchSystem other : List.of(BenchSystem.RAW, BenchSystem.CLASSIC, BenchSystem.ARTEMIS)) {
            Outcome<Latencies> mine = rr.get(BenchSystem.SPREADJMS);
            Outcome<Latencies> theirs = rr.get(other);
            if (mine != null && mine.value() != null && theirs != null && theirs.value() != null) {
                kv.put("rr.ratio.p99.spreadjms_vs_" + other.key(), fmt3(mine.value().percentileMicros(0.99)
                        / theirs.value().percentileMicros(0.99)));
            }
        }
        queue.forEach((s, byCount) -> byCount.forEach((n, o) -> put(kv, "queue." + s.key() + ".c" + n, o,
                t -> Map.of("msgs_per_s", fmt0(t.msgsPerSecond())))));
        Map<Integer, Outcome<Throughput>> mine = queue.getOrDefault(BenchSystem.SPREADJMS, Map.of());
        for (BenchSystem other : List.of(BenchSystem.CLASSIC, BenchSystem.ARTEMIS)) {
            Map<Integer, Outcome<Throughput>> theirs = queue.getOrDefault(other, Map.of());
            mine.forEach((n, o) -> {
                Double r = ratio(value(o), value(theirs.get(n)));
                if (r != null) {
                    kv.put("queue.ratio.c" + n + ".spreadjms_vs_" + other.key(), fmt3(r));
                }
            });
        }
        return kv;
    }

    private static Map<String, String> latencyKeys(Latencies l) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("p50_us", fmt1(l.percentileMicros(0.50)));
        m.put("p99_us", fmt1(l.percentileMicros(0.99)));
        m.put("p999_us", fmt1(l.percentileMicros(0.999)));
        m.put("max_us", fmt1(l.maxMicros()));
        m.put("mean_us", fmt1(l.meanMicros()));
        return m;
    }

    private static <T> void put(Map<String, String> kv, String prefix, Outcome<T> o,
            Function<T, Map<String, String>> keys) {
        if (o.value() == null) {
            kv.put(prefix + ".error", '"' + o.error().replace('"', '\'') + '"');
            return;
        }
        keys.apply(o.value()).forEach((k, v) -> kv.put(prefix + "." + k, v));
    }

    private static Throughput value(Outcome<Throughput> o) {
        return o == null ? null : o.value();
    }

    private static Double ratio(Throughput a, Throughput b) {
        return a == null || b == null ? null : a.msgsPerSecond() / b.msgsPerSecond();
    }

    void print(PrintStream out) {
        out.println();
        out.println("Systems:");
        hosts.forEach(h -> out.println("  " + h));
        out.printf(Locale.ROOT, "Fairness: the producer keeps at most %s messages sent and not yet consumed "
                + "(resumes at half a window); the same scheme for every system.%n",
                options.window() == 0 ? "unbounded" : Integer.toString(options.window()));
        if (!topic.isEmpty()) {
            out.printf(Locale.ROOT, "%n== topic: 1 producer, 1 consumer, %d-byte BytesMessage, NON_PERSISTENT, "
                    + "AUTO_ACKNOWLEDGE, %d messages after %d warmup ==%n", options.sizeBytes(), options.messages(),
                    options.warmup());
            out.printf(Locale.ROOT, "%-20s %12s %10s %14s%n", "system", "msgs/s", "MiB/s", "spread-jms is");
            Throughput mine = value(topic.get(BenchSystem.SPREADJMS));
            topic.forEach((s, o) -> out.println(o.value() == null ? row(s, o.error())
                    : String.format(Locale.ROOT, "%-20s %12.0f %10.1f %14s", s.label(), o.value().msgsPerSecond(),
                            o.value().mibPerSecond(options.sizeBytes()), ratioText(ratio(mine, o.value())))));
        }
        if (!rr.isEmpty()) {
            out.printf(Locale.ROOT, "%n== request/reply: %d-byte request and reply, one at a time, %d round trips "
                    + "after %d warmup (microseconds) ==%n", options.sizeBytes(), options.roundTrips(),
                    options.rrWarmup());
            out.printf(Locale.ROOT, "%-20s %9s %9s %9s %9s %9s%n", "system", "p50", "p99", "p99.9", "max", "mean");
            rr.forEach((s, o) -> out.println(o.value() == null ? row(s, o.error())
                    : String.format(Locale.ROOT, "%-20s %9.1f %9.1f %9.1f %9.1f %9.1f", s.label(),
                            o.value().percentileMicros(0.5), o.value().percentileMicros(0.99),
                            o.value().percentileMicros(0.999), o.value().maxMicros(), o.value().meanMicros())));
        }
        if (!queue.isEmpty()) {
            out.printf(Locale.ROOT, "%n== queue: 1 producer, n competing consumers, %d-byte BytesMessage, "
                    + "NON_PERSISTENT, %d messages after %d warmup (msgs/s) ==%n", options.sizeBytes(),
                    options.messages(), options.warmup());
            StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-20s", "system"));
            options.consumers().forEach(n -> head.append(String.format(Locale.ROOT, " %12s", n + " consumer"
                    + (n == 1 ? "" : "s"))));
            out.println(head);
            queue.forEach((s, byCount) -> {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-20s", s.label()));
                List<String> errors = new ArrayList<>();
                byCount.forEach((n, o) -> {
                    line.append(String.format(Locale.ROOT, " %12s", o.value() == null ? "failed"
                            : String.format(Locale.ROOT, "%.0f", o.value().msgsPerSecond())));
                    if (o.value() == null) {
                        errors.add(n + ": " + o.error());
                    }
                });
                out.println(line);
                errors.forEach(e -> out.println("    " + e));
            });
        }
        out.println();
        keyValues().forEach((k, v) -> out.println(k + "=" + v));
    }

    private static String row(BenchSystem s, String error) {
        return String.format(Locale.ROOT, "%-20s FAILED: %s", s.label(), error);
    }

    private static String ratioText(Double r) {
        return r == null ? "" : String.format(Locale.ROOT, "%.2fx", r);
    }

    private static String fmt0(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    private static String fmt1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String fmt3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
