package org.spreadjms.bench;

/**
 * One run of a persistent workload: the throughput of the measured messages (first measured send to last one
 * consumed), the time each measured {@code send()} took, and the messages sent and received in all (warm-up
 * included), each received exactly once (the run fails on a duplicate).
 */
record PersistentRun(Throughput throughput, Latencies sends, long sent, long received) {
}
