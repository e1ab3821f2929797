package org.spreadjms.bench;

import java.io.PrintStream;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

import org.spreadjms.bench.Report.Outcome;
import org.spreadjms.bench.Rounds.Summary;

/**
 * The persistent workloads' part of a {@link Report}: per workload and system, each round's throughput and send
 * latencies. A system's figures are medians over the rounds that succeeded: msgs/s, and the p50 and p99 of the
 * time a {@code send()} took (each round's percentile, then the median of those). A system that refused the
 * workload (spread-jms without durable subscriptions) is shown as not supported.
 */
final class PersistentReport {
    private final BenchOptions options;
    private final Map<Workload, Map<BenchSystem, SortedMap<Integer, Outcome<PersistentRun>>>> runs =
            new EnumMap<>(Workload.class);

    PersistentReport(BenchOptions options) {
        this.options = options;
    }

    void put(Workload w, BenchSystem s, int round, Outcome<PersistentRun> o) {
        runs.computeIfAbsent(w, k -> new EnumMap<>(BenchSystem.class)).computeIfAbsent(s, k -> new TreeMap<>())
                .put(round, o);
    }

    SortedMap<Integer, Outcome<PersistentRun>> runs(Workload w, BenchSystem s) {
        return runs.getOrDefault(w, Map.of()).getOrDefault(s, new TreeMap<>());
    }

    /** The reason the system refused the workload, or null if it did not. */
    private static String unsupported(SortedMap<Integer, Outcome<PersistentRun>> byRound) {
        return byRound.values().stream().filter(Outcome::unsupported).map(Outcome::error).findFirst().orElse(null);
    }

    /** The throughput rounds (failed rounds with their reasons), for medians, ranges and ratios. */
    private Rounds throughput(SortedMap<Integer, Outcome<PersistentRun>> byRound) {
        Rounds r = new Rounds(options.rounds());
        byRound.forEach((round, o) -> r.put(round, o.value() == null ? Outcome.failed(o.error())
                : Outcome.of(o.value().throughput())));
        return r;
    }

    /** A send-latency figure (microseconds) of each round that succeeded, by round. */
    private static SortedMap<Integer, Double> perRound(SortedMap<Integer, Outcome<PersistentRun>> byRound,
            ToDoubleFunction<Latencies> f) {
        SortedMap<Integer, Double> out = new TreeMap<>();
        byRound.forEach((round, o) -> {
            if (o.value() != null) {
                out.put(round, f.applyAsDouble(o.value().sends()));
            }
        });
        return out;
    }

    private static Summary p50(SortedMap<Integer, Outcome<PersistentRun>> byRound) {
        return Summary.of(perRound(byRound, l -> l.percentileMicros(0.5)).values());
    }

    private static Summary p99(SortedMap<Integer, Outcome<PersistentRun>> byRound) {
        return Summary.of(perRound(byRound, l -> l.percentileMicros(0.99)).values());
    }

    private static Summary p999(SortedMap<Integer, Outcome<PersistentRun>> byRound) {
        return Summary.of(perRound(byRound, l -> l.percentileMicros(0.999)).values());
    }

    /** spread-jms's median msgs/s over {@code other}'s, or null. */
    private Double throughputRatio(Map<BenchSystem, SortedMap<Integer, Outcome<PersistentRun>>> bySystem,
            BenchSystem other) {
        SortedMap<Integer, Outcome<PersistentRun>> mine = bySystem.get(BenchSystem.SPREADJMS);
        SortedMap<Integer, Outcome<PersistentRun>> theirs = bySystem.get(other);
        return mine == null || theirs == null ? null : Rounds.medianRatio(throughput(mine), throughput(theirs));
    }

    /** spread-jms's median send p99 over {@code other}'s (below 1: spread-jms's sends are faster), or null. */
    private static Double p99Ratio(Map<BenchSystem, SortedMap<Integer, Outcome<PersistentRun>>> bySystem,
            BenchSystem other) {
        SortedMap<Integer, Outcome<PersistentRun>> mine = bySystem.get(BenchSystem.SPREADJMS);
        SortedMap<Integer, Outcome<PersistentRun>> theirs = bySystem.get(other);
        Summary a = mine == null ? null : p99(mine);
        Summary b = theirs == null ? null : p99(theirs);
        return a == null || b == null ? null : a.median() / b.median();
    }

    void putKeyValues(Map<String, String> kv) {
        if (runs.isEmpty()) {
            return;
        }
        kv.put("bench.persistent_messages", Integer.toString(options.persistent().messages()));
        kv.put("bench.persistent_warmup", Integer.toString(options.persistent().warmup()));
        runs.forEach((w, bySystem) -> {
            bySystem.forEach((s, byRound) -> {
                String prefix = w.key() + "." + s.key();
                String refused = unsupported(byRound);
                if (refused != null) {
                    kv.put(prefix + ".unsupported", Report.quoted(refused));
                    return;
                }
                Report.putRounds(kv, prefix, throughput(byRound), options.rounds());
                putLatency(kv, prefix + ".send_p50_us", byRound, l -> l.percentileMicros(0.5));
                putLatency(kv, prefix + ".send_p99_us", byRound, l -> l.percentileMicros(0.99));
                putLatency(kv, prefix + ".send_p999_us", byRound, l -> l.percentileMicros(0.999));
                putLatency(kv, prefix + ".send_max_us", byRound, Latencies::maxMicros);
            });
            for (BenchSystem other : List.of(BenchSystem.CLASSIC, BenchSystem.ARTEMIS)) {
                Double r = throughputRatio(bySystem, other);
                if (r != null) {
                    kv.put(w.key() + ".ratio.spreadjms_vs_" + other.key(), Report.fmt3(r));
                }
                Double p = p99Ratio(bySystem, other);
                if (p != null) {
                    kv.put(w.key() + ".ratio.send_p99.spreadjms_vs_" + other.key(), Report.fmt3(p));
                }
            }
        });
    }

    /** {@code key} = the median over rounds, {@code key.rounds} = each round's figure. */
    private void putLatency(Map<String, String> kv, String key, SortedMap<Integer, Outcome<PersistentRun>> byRound,
            ToDoubleFunction<Latencies> f) {
        SortedMap<Integer, Double> values = perRound(byRound, f);
        Summary s = Summary.of(values.values());
        if (s != null) {
            kv.put(key, Report.fmt1(s.median()));
            if (options.rounds() > 1) {
                kv.put(key + ".rounds", Report.roundList(values, Report::fmt1, options.rounds()));
            }
        }
    }

    void print(PrintStream out) {
        runs.forEach((w, bySystem) -> {
            out.printf(Locale.ROOT, "%n== %s: %d producer(s), 1 %s, %d-byte BytesMessage, PERSISTENT,"
                    + " AUTO_ACKNOWLEDGE, %d messages after %d warmup ==%n", w.key(),
                    w == Workload.PBACKLOG ? 1 : options.persistent().producers(), switch (w) {
                        case PTOPIC -> "durable subscriber on a topic";
                        case PBACKLOG -> "consumer started once all were sent to the queue";
                        default -> "consumer on a queue";
                    }, options.sizeBytes(), options.persistent().messages(), options.persistent().warmup());
            out.printf(Locale.ROOT, "(msgs/s %s; send: time of each measured send() call in microseconds%s)%n",
                    w == Workload.PBACKLOG ? "of the drain, from the consumer's start to the last message consumed"
                    : "from the first measured send to the last message consumed", options.rounds() > 1
                    ? String.format(Locale.ROOT, "; medians of %d rounds (each round's percentile)", options.rounds())
                    : "");
            out.printf(Locale.ROOT, "%-20s %10s%s %10s %10s %10s %16s %16s%n", "system", "msgs/s", rangeHead(),
                    "send p50", "send p99", "send p99.9", "spread-jms msgs/s", "spread-jms p99");
            bySystem.forEach((s, byRound) -> {
                String refused = unsupported(byRound);
                if (refused != null) {
                    out.printf(Locale.ROOT, "%-20s not supported: %s%n", s.label(), refused);
                    return;
                }
                Rounds t = throughput(byRound);
                Summary m = t.summary();
                if (m == null) {
                    out.println(Report.row(s, String.join("; ", t.failures())));
                    return;
                }
                out.printf(Locale.ROOT, "%-20s %10.0f%s %10.1f %10.1f %10.1f %16s %16s%n", s.label(), m.median(),
                        rangeCell(m), p50(byRound).median(), p99(byRound).median(), p999(byRound).median(),
                        s == BenchSystem.SPREADJMS ? "" : Report.ratioText(throughputRatio(bySystem, s)),
                        s == BenchSystem.SPREADJMS ? "" : Report.ratioText(p99Ratio(bySystem, s)));
                t.failures().forEach(f -> out.println("    FAILED " + f));
            });
        });
    }

    private String rangeHead() {
        return options.rounds() > 1 ? String.format(Locale.ROOT, " %13s", "min-max") : "";
    }

    private String rangeCell(Summary s) {
        return options.rounds() > 1 ? String.format(Locale.ROOT, " %13s", Report.fmt0(s.min()) + "-"
                + Report.fmt0(s.max())) : "";
    }
}
