package org.spreadjms.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;

import org.spreadjms.bench.Report.Outcome;

/**
 * The throughput of one system in one workload over the rounds of a run ({@code --rounds}), by round number from 1.
 * A failed round keeps its reason and adds no figure: medians and ratios are over the rounds that succeeded.
 */
final class Rounds {
    /** Median, least and greatest of some values; the median of an even count is the mean of the middle two. */
    record Summary(double median, double min, double max) {
        /** The summary of {@code values}, or null when there are none. */
        static Summary of(Collection<Double> values) {
            if (values.isEmpty()) {
                return null;
            }
            double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int mid = v.length / 2;
            double median = v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
            return new Summary(median, v[0], v[v.length - 1]);
        }
    }

    private final int total;
    private final SortedMap<Integer, Outcome<Throughput>> byRound = new TreeMap<>();

    /** @param total rounds the run has, for the "round i/N" of failure reasons */
    Rounds(int total) {
        this.total = total;
    }

    void put(int round, Outcome<Throughput> o) {
        byRound.put(round, o);
    }

    /** msgs/s of each round that succeeded, by round number. */
    SortedMap<Integer, Double> rates() {
        SortedMap<Integer, Double> out = new TreeMap<>();
        byRound.forEach((r, o) -> {
            if (o.value() != null) {
                out.put(r, o.value().msgsPerSecond());
            }
        });
        return out;
    }

    /** Process CPU microseconds per message of each round that succeeded and measured it, by round number. */
    SortedMap<Integer, Double> cpuCosts() {
        SortedMap<Integer, Double> out = new TreeMap<>();
        byRound.forEach((r, o) -> {
            if (o.value() != null && o.value().cpuNanos() >= 0) {
                out.put(r, o.value().cpuMicrosPerMessage());
            }
        });
        return out;
    }

    /** Median, min and max msgs/s over the rounds that succeeded; null when none did. */
    Summary summary() {
        return Summary.of(rates().values());
    }

    /** The reason of each failed round, as {@code round i/N: reason} when the run has more than one round. */
    List<String> failures() {
        List<String> out = new ArrayList<>();
        byRound.forEach((r, o) -> {
            if (o.value() == null) {
                out.add(total == 1 ? o.error() : String.format(Locale.ROOT, "round %d/%d: %s", r, total, o.error()));
            }
        });
        return out;
    }

    /**
     * {@code a}'s msgs/s over {@code b}'s, round by round, for the rounds where both succeeded (the systems of a
     * round run back to back, so they shared its conditions); empty when either is null.
     */
    static SortedMap<Integer, Double> pairedRatios(Rounds a, Rounds b) {
        SortedMap<Integer, Double> out = new TreeMap<>();
        if (a == null || b == null) {
            return out;
        }
        SortedMap<Integer, Double> theirs = b.rates();
        a.rates().forEach((r, mine) -> {
            Double other = theirs.get(r);
            if (other != null) {
                out.put(r, mine / other);
            }
        });
        return out;
    }

    /** The ratio of {@code a}'s median msgs/s to {@code b}'s; null when either has no successful round. */
    static Double medianRatio(Rounds a, Rounds b) {
        Summary mine = a == null ? null : a.summary();
        Summary theirs = b == null ? null : b.summary();
        return mine == null || theirs == null ? null : mine.median() / theirs.median();
    }
}
