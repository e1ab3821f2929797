package org.spreadjms.cli;

import java.util.Arrays;
import java.util.Locale;

/** Figures of one measured run. */
record BenchResult(long messages, long payloadBytes, long nanos, long[] latenciesNanos) {
    double msgsPerSecond() {
        return messages * 1e9 / nanos;
    }

    double megabytesPerSecond() {
        return payloadBytes * 1e9 / nanos / 1e6;
    }

    long percentileMicros(double p) {
        if (latenciesNanos.length == 0) {
            return 0;
        }
        long[] sorted = latenciesNanos.clone();
        Arrays.sort(sorted);
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1000;
    }

    long p50Micros() {
        return percentileMicros(50);
    }

    long p99Micros() {
        return percentileMicros(99);
    }

    long maxMicros() {
        return percentileMicros(100);
    }

    /** The last line of a bench run: figures as key=value. */
    String keyValues(String scenario, int size) {
        return String.format(Locale.ROOT, "scenario=%s size=%d count=%d msgs_per_s=%.0f mb_per_s=%.1f p50_us=%d "
                        + "p99_us=%d max_us=%d", scenario, size, messages, msgsPerSecond(), megabytesPerSecond(),
                p50Micros(), p99Micros(), maxMicros());
    }
}
