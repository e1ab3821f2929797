package org.spreadjms.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import org.spreadjms.store.log.FsyncPolicy;

/**
 * Settings of the persistent workloads (pqueue, ptopic, pbacklog), which sync to disk on every send and so get
 * their own, smaller message counts and a longer time budget than the NON_PERSISTENT ones.
 *
 * @param messages   measured PERSISTENT messages per run
 * @param warmup     PERSISTENT messages through the same connections before measuring
 * @param timeout    time one system gets for one persistent run
 * @param storeFsync fsync policy of spread-jms's store member
 * @param storeAcks  spread-jms's {@code storeAcks} URI option: a count of store members or {@code all}
 * @param dataDir    the directory the brokers' and the store member's temporary data directories are made in
 *                   (null: the JVM's temporary directory), so that every system writes to the same disk
 * @param producers  producers of pqueue and ptopic, each on its own connection and thread, sending at once
 * @param artemisBufferMicros Artemis's journal buffer timeout (its group-commit window) in microseconds, or -1
 *                   for Artemis's built-in default (3333 us with NIO, 500 us with libaio); an instance made by
 *                   {@code artemis create} has it calibrated to the disk's sync time instead
 */
record PersistentOptions(int messages, int warmup, Duration timeout, FsyncPolicy storeFsync, String storeAcks,
                         Path dataDir, int artemisBufferMicros, int producers) {
    PersistentOptions {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(storeFsync, "storeFsync");
        Objects.requireNonNull(storeAcks, "storeAcks");
        if (artemisBufferMicros < -1 || artemisBufferMicros > 1_000_000) {
            throw new IllegalArgumentException("Artemis journal buffer timeout " + artemisBufferMicros
                    + " us is outside 0..1000000 us");
        }
        if (producers < 1 || producers > 64) {
            throw new IllegalArgumentException(producers + " producers is outside 1..64");
        }
    }

    static PersistentOptions defaults() {
        return new PersistentOptions(10_000, 1_000, Duration.ofSeconds(300), FsyncPolicy.defaultPolicy(), "1", null,
                -1, 1);
    }

    /** Where the temporary data directories go. */
    Path dataParent() {
        return dataDir != null ? dataDir : Path.of(System.getProperty("java.io.tmpdir"));
    }

    PersistentOptions withMessages(int n, int warm) {
        return new PersistentOptions(n, warm, timeout, storeFsync, storeAcks, dataDir, artemisBufferMicros,
                producers);
    }

    PersistentOptions withTimeout(Duration t) {
        return new PersistentOptions(messages, warmup, t, storeFsync, storeAcks, dataDir, artemisBufferMicros,
                producers);
    }

    PersistentOptions withStoreFsync(FsyncPolicy p) {
        return new PersistentOptions(messages, warmup, timeout, p, storeAcks, dataDir, artemisBufferMicros,
                producers);
    }

    PersistentOptions withStoreAcks(String acks) {
        return new PersistentOptions(messages, warmup, timeout, storeFsync, acks, dataDir, artemisBufferMicros,
                producers);
    }

    PersistentOptions withArtemisBufferMicros(int micros) {
        return new PersistentOptions(messages, warmup, timeout, storeFsync, storeAcks, dataDir, micros, producers);
    }

    PersistentOptions withProducers(int n) {
        return new PersistentOptions(messages, warmup, timeout, storeFsync, storeAcks, dataDir, artemisBufferMicros,
                n);
    }

    PersistentOptions withDataDir(Path dir) {
        return new PersistentOptions(messages, warmup, timeout, storeFsync, storeAcks, dir, artemisBufferMicros,
                producers);
    }
}
