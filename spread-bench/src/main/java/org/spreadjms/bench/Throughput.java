package org.spreadjms.bench;

/** Messages consumed in a measured interval. */
record Throughput(long messages, long nanos) {
    double msgsPerSecond() {
        return messages * 1e9 / nanos;
    }

    double mibPerSecond(int sizeBytes) {
        return msgsPerSecond() * sizeBytes / (1024.0 * 1024.0);
    }
}
