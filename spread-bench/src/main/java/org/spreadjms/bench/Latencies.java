package org.spreadjms.bench;

import java.util.Arrays;

/** Round-trip times of a run, kept whole and sorted: percentiles are exact, not bucketed. */
final class Latencies {
    private final long[] sortedNanos;

    Latencies(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no round trips measured");
        }
        this.sortedNanos = nanos.clone();
        Arrays.sort(sortedNanos);
    }

    int count() {
        return sortedNanos.length;
    }

    /** The value at quantile {@code q} (0..1) in microseconds, nearest-rank. */
    double percentileMicros(double q) {
        int rank = (int) Math.ceil(q * sortedNanos.length);
        return sortedNanos[Math.min(sortedNanos.length - 1, Math.max(0, rank - 1))] / 1000.0;
    }

    double maxMicros() {
        return sortedNanos[sortedNanos.length - 1] / 1000.0;
    }

    double meanMicros() {
        double sum = 0;
        for (long n : sortedNanos) {
            sum += n;
        }
        return sum / sortedNanos.length / 1000.0;
    }
}
