package org.spreadjms.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

import org.spreadjms.bench.Rounds.Summary;

/**
 * Results of one run: a table per workload and a block of {@code key=value} lines. Throughput runs are kept round by
 * round ({@link Rounds}); a system's figure is its median over the rounds that succeeded.
 */
final class Report {
    /** A result or the reason there is none; {@code unsupported}: the system refused the workload, not failed. */
    record Outcome<T>(T value, String error, boolean unsupported) {
        static <T> Outcome<T> of(T value) {
            return new Outcome<>(value, null, false);
        }

        static <T> Outcome<T> failed(String error) {
            return new Outcome<>(null, error, false);
        }

        static <T> Outcome<T> unsupported(String reason) {
            return new Outcome<>(null, reason, true);
        }
    }

    private final BenchOptions options;
    private final List<String> hosts = new ArrayList<>();
    private final Map<BenchSystem, Rounds> topic = new EnumMap<>(BenchSystem.class);
    private final Map<BenchSystem, Outcome<Latencies>> rr = new EnumMap<>(BenchSystem.class);
    private final Map<BenchSystem, Map<Integer, Rounds>> queue = new EnumMap<>(BenchSystem.class);
    private final PersistentReport persistent;

    Report(BenchOptions options) {
        this.options = options;
        this.persistent = new PersistentReport(options);
    }

    void host(String description) {
        hosts.add(description);
    }

    void topic(BenchSystem s, int round, Outcome<Throughput> o) {
        topic.computeIfAbsent(s, k -> new Rounds(options.rounds())).put(round, o);
    }

    void requestReply(BenchSystem s, Outcome<Latencies> o) {
        rr.put(s, o);
    }

    void queue(BenchSystem s, int consumers, int round, Outcome<Throughput> o) {
        queue.computeIfAbsent(s, k -> new TreeMap<>()).computeIfAbsent(consumers, k -> new Rounds(options.rounds()))
                .put(round, o);
    }

    /** A round of a persistent workload (pqueue, ptopic, pbacklog). */
    void persistent(Workload w, BenchSystem s, int round, Outcome<PersistentRun> o) {
        persistent.put(w, s, round, o);
    }

    /** The runs of a persistent workload by round (empty if it did not run). */
    SortedMap<Integer, Outcome<PersistentRun>> persistentRuns(Workload w, BenchSystem s) {
        return persistent.runs(w, s);
    }

    /** Every figure as {@code key=value}, in a stable order. */
    Map<String, String> keyValues() {
        Map<String, String> kv = new LinkedHashMap<>();
        kv.put("bench.messages", Integer.toString(options.messages()));
        kv.put("bench.warmup", Integer.toString(options.warmup()));
        kv.put("bench.size_bytes", Integer.toString(options.sizeBytes()));
        kv.put("bench.round_trips", Integer.toString(options.roundTrips()));
        kv.put("bench.window", Integer.toString(options.window()));
        kv.put("bench.rounds", Integer.toString(options.rounds()));
        topic.forEach((s, r) -> putRounds(kv, "topic." + s.key(), r, options.rounds()));
        SortedMap<Integer, Double> paired = pairedTopicRatios();
        Summary p = Summary.of(paired.values());
        if (p != null) {
            String key = "topic.ratio.spreadjms_vs_" + BenchSystem.RAW.key();
            kv.put(key, fmt3(p.median()));
            kv.put(key + ".rounds", roundList(paired, Report::fmt3, options.rounds()));
            kv.put(key + ".min", fmt3(p.min()));
            kv.put(key + ".max", fmt3(p.max()));
        }
        Summary jmsCpu = cpuSummary(topic.get(BenchSystem.SPREADJMS));
        Summary rawCpu = cpuSummary(topic.get(BenchSystem.RAW));
        if (jmsCpu != null && rawCpu != null) {
            // raw's cost over spread-jms's: like the throughput ratio, 1.0 means as cheap as the plain client
            kv.put("topic.cpu_ratio.spreadjms_vs_raw", fmt3(rawCpu.median() / jmsCpu.median()));
        }
        for (BenchSystem other : List.of(BenchSystem.CLASSIC, BenchSystem.ARTEMIS)) {
            Double r = topicRatio(other);
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
        queue.forEach((s, byCount) -> byCount.forEach((n, r) -> putRounds(kv, "queue." + s.key() + ".c" + n, r,
                options.rounds())));
        Map<Integer, Rounds> mine = queue.getOrDefault(BenchSystem.SPREADJMS, Map.of());
        for (BenchSystem other : List.of(BenchSystem.CLASSIC, BenchSystem.ARTEMIS)) {
            Map<Integer, Rounds> theirs = queue.getOrDefault(other, Map.of());
            mine.forEach((n, rounds) -> {
                Double r = Rounds.medianRatio(rounds, theirs.get(n));
                if (r != null) {
                    kv.put("queue.ratio.c" + n + ".spreadjms_vs_" + other.key(), fmt3(r));
                }
            });
        }
        persistent.putKeyValues(kv);
        return kv;
    }

    private static Summary cpuSummary(Rounds r) {
        return r == null ? null : Summary.of(r.cpuCosts().values());
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
            kv.put(prefix + ".error", quoted(o.error()));
            return;
        }
        keys.apply(o.value()).forEach((k, v) -> kv.put(prefix + "." + k, v));
    }

    /** {@code <prefix>.msgs_per_s} (the median), {@code .rounds} and, if any round failed, {@code .error}. */
    static void putRounds(Map<String, String> kv, String prefix, Rounds r, int totalRounds) {
        Summary s = r.summary();
        if (s != null) {
            kv.put(prefix + ".msgs_per_s", fmt0(s.median()));
        }
        kv.put(prefix + ".rounds", roundList(r.rates(), Report::fmt0, totalRounds));
        Summary cpu = Summary.of(r.cpuCosts().values());
        if (cpu != null) {
            kv.put(prefix + ".cpu_us_per_msg", fmt2(cpu.median()));
        }
        List<String> failures = r.failures();
        if (!failures.isEmpty()) {
            kv.put(prefix + ".error", quoted(String.join("; ", failures)));
        }
    }

    /** One entry per round, in order: the formatted value or {@code failed}, comma-separated. */
    static String roundList(Map<Integer, Double> byRound, Function<Double, String> format, int totalRounds) {
        List<String> out = new ArrayList<>();
        for (int round = 1; round <= totalRounds; round++) {
            Double v = byRound.get(round);
            out.add(v == null ? "failed" : format.apply(v));
        }
        return String.join(",", out);
    }

    /** spread-jms over raw on the topic, round by round: they ran back to back on the same daemon. */
    private SortedMap<Integer, Double> pairedTopicRatios() {
        return Rounds.pairedRatios(topic.get(BenchSystem.SPREADJMS), topic.get(BenchSystem.RAW));
    }

    /** spread-jms over {@code other} on the topic: the median of the paired ratios against raw, else of medians. */
    private Double topicRatio(BenchSystem other) {
        if (other == BenchSystem.RAW) {
            Summary s = Summary.of(pairedTopicRatios().values());
            return s == null ? null : s.median();
        }
        return Rounds.medianRatio(topic.get(BenchSystem.SPREADJMS), topic.get(other));
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
            if (options.rounds() > 1) {
                out.printf(Locale.ROOT, "(median of %d rounds; the systems of one host alternate within a round, "
                        + "spread-jms vs raw is the median of the per-round ratios)%n", options.rounds());
            }
            out.printf(Locale.ROOT, "%-20s %12s%s %10s %14s%n", "system", "msgs/s", rangeHead(), "MiB/s",
                    "spread-jms is");
            topic.forEach((s, r) -> {
                Summary m = r.summary();
                if (m == null) {
                    out.println(row(s, String.join("; ", r.failures())));
                    return;
                }
                out.printf(Locale.ROOT, "%-20s %12.0f%s %10.1f %14s%n", s.label(), m.median(), rangeCell(m),
                        Throughput.mibPerSecond(m.median(), options.sizeBytes()), ratioText(topicRatio(s)));
                r.failures().forEach(f -> out.println("    FAILED " + f));
            });
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
                    + (n == 1 ? "" : "s"))).append(rangeHead()));
            out.println(head);
            queue.forEach((s, byCount) -> {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-20s", s.label()));
                List<String> errors = new ArrayList<>();
                byCount.forEach((n, r) -> {
                    Summary m = r.summary();
                    line.append(String.format(Locale.ROOT, " %12s", m == null ? "failed" : fmt0(m.median())))
                            .append(rangeCell(m));
                    r.failures().forEach(f -> errors.add(n + ": " + f));
                });
                out.println(line);
                errors.forEach(e -> out.println("    " + e));
            });
        }
        persistent.print(out);
        out.println();
        keyValues().forEach((k, v) -> out.println(k + "=" + v));
    }

    static String row(BenchSystem s, String error) {
        return String.format(Locale.ROOT, "%-20s FAILED: %s", s.label(), error);
    }

    /** The min-max column, shown only when there are several rounds. */
    private String rangeHead() {
        return options.rounds() > 1 ? String.format(Locale.ROOT, " %17s", "min-max") : "";
    }

    /** {@code min-max} of {@code s} (blank for null) in that column. */
    private String rangeCell(Summary s) {
        if (options.rounds() == 1) {
            return "";
        }
        return String.format(Locale.ROOT, " %17s", s == null ? "" : fmt0(s.min()) + "-" + fmt0(s.max()));
    }

    static String quoted(String error) {
        return '"' + error.replace('"', '\'') + '"';
    }

    static String ratioText(Double r) {
        return r == null ? "" : String.format(Locale.ROOT, "%.2fx", r);
    }

    static String fmt0(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    static String fmt1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String fmt2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String fmt3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
