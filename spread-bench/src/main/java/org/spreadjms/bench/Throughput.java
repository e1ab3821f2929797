package org.spreadjms.bench;

/**
 * Messages consumed in a measured interval, and the CPU time the whole process (clients, daemon or broker, all in
 * this JVM) used meanwhile: a cost per message, a second view beside the rate (it varies with the machine's load
 * too).
 *
 * @param cpuNanos process CPU time over the interval; -1 when the JVM cannot tell
 */
record Throughput(long messages, long nanos, long cpuNanos) {
    Throughput(long messages, long nanos) {
        this(messages, nanos, -1);
    }

    double msgsPerSecond() {
        return messages * 1e9 / nanos;
    }

    /** Process CPU microseconds per message, or NaN when unknown. */
    double cpuMicrosPerMessage() {
        return cpuNanos < 0 ? Double.NaN : cpuNanos / 1e3 / messages;
    }

    /** MiB/s of a rate in msgs/s (a median of several runs, say) with {@code sizeBytes} per message. */
    static double mibPerSecond(double msgsPerSecond, int sizeBytes) {
        return msgsPerSecond * sizeBytes / (1024.0 * 1024.0);
    }

    /** Starts measuring an interval. */
    static Stopwatch start() {
        return new Stopwatch(System.nanoTime(), ProcessCpu.nanos());
    }

    /** The start of a measured interval. */
    record Stopwatch(long startNanos, long startCpuNanos) {
        Throughput stop(long messages) {
            long cpu = ProcessCpu.nanos();
            return new Throughput(messages, System.nanoTime() - startNanos,
                    cpu < 0 || startCpuNanos < 0 ? -1 : cpu - startCpuNanos);
        }
    }
}
