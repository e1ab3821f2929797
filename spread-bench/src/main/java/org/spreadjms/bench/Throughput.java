package org.spreadjms.bench;

/** Messages consumed in a measured interval. */
record Throughput(long messages, long nanos) {
    double msgsPerSecond() {
        return messages * 1e9 / nanos;
    }

    /** MiB/s of a rate in msgs/s (a median of several runs, say) with {@code sizeBytes} per message. */
    static double mibPerSecond(double msgsPerSecond, int sizeBytes) {
        return msgsPerSecond * sizeBytes / (1024.0 * 1024.0);
    }
}
