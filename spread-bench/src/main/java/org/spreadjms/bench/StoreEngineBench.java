package org.spreadjms.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Compares the storage engines a message store could sit on (RocksDB, H2 MVStore, the Artemis journal), side by side
 * in one run on the same disk, with the workload of spread-store:
 * <ol>
 *   <li>{@code producers} threads append 1 KiB messages, each with at most {@code window} appends waiting to be
 *       durable (as PERSISTENT senders waiting for their store acknowledgements);</li>
 *   <li>one committer thread takes what is waiting, up to {@code batch} records or what arrived within
 *       {@code batchMs}, writes it with the deletes of the messages acknowledged meanwhile and one fsync (group
 *       commit), then completes those appends: the latency measured is append-to-durable;</li>
 *   <li>every message but one in {@code keepEvery} is acknowledged (deleted) once durable;</li>
 *   <li>the engine is closed and reopened and the pending messages scanned in order (checked complete and ordered).</li>
 * </ol>
 *
 * <pre>
 * mvn -q -pl spread-bench -am install -DskipTests
 * mvn -q -pl spread-bench exec:java -Dexec.mainClass=org.spreadjms.bench.StoreEngineBench \
 *     -Dexec.args="--messages 100000"
 * </pre>
 * Options: --messages, --producers, --window, --batch, --batch-ms, --keep-every, --dir (default: a new temporary
 * directory, removed afterwards), --engines (comma-separated, in run order).
 */
public final class StoreEngineBench {
    private static final int PAYLOAD_BYTES = 1024;

    private record Settings(int messages, int producers, int window, int batch, long batchMs, int keepEvery,
                            Path dir, boolean ownDir, List<String> engines) {
    }

    private record Result(String engine, double msgsPerSecond, Latencies latencies, long pending,
                          double scanMillis, double reopenMillis, double avgBatch) {
    }

    private StoreEngineBench() {
    }

    public static void main(String[] args) throws Exception {
        Settings s = parse(args);
        System.out.printf("%d messages of %d bytes, %d producers x window %d, group commit at %d records or %d ms,"
                        + " 1 in %d kept pending, dir %s%n", s.messages(), PAYLOAD_BYTES, s.producers(), s.window(),
                s.batch(), s.batchMs(), s.keepEvery(), s.dir());
        List<Result> results = new ArrayList<>();
        try {
            for (String engine : s.engines()) {
                results.add(run(engine, s));
            }
        } finally {
            if (s.ownDir()) {
                TempDirs.delete(s.dir());
            }
        }
        System.out.printf("%n%-8s %10s %9s %9s %9s %8s %9s %10s %10s%n", "engine", "msgs/s", "p50 us", "p99 us",
                "max us", "batch", "pending", "reopen ms", "scan ms");
        for (Result r : results) {
            System.out.printf("%-8s %10.0f %9.0f %9.0f %9.0f %8.1f %9d %10.1f %10.1f%n", r.engine(),
                    r.msgsPerSecond(), r.latencies().percentileMicros(0.50), r.latencies().percentileMicros(0.99),
                    r.latencies().maxMicros(), r.avgBatch(), r.pending(), r.reopenMillis(), r.scanMillis());
        }
    }

    private static Settings parse(String[] args) throws Exception {
        int messages = 40_000;
        int producers = 4;
        int window = 64;
        int batch = 256;
        long batchMs = 2;
        int keepEvery = 10;
        Path dir = null;
        List<String> engines = List.of("rocksdb", "mvstore", "artemis");
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--messages" -> messages = Integer.parseInt(v);
                case "--producers" -> producers = Integer.parseInt(v);
                case "--window" -> window = Integer.parseInt(v);
                case "--batch" -> batch = Integer.parseInt(v);
                case "--batch-ms" -> batchMs = Long.parseLong(v);
                case "--keep-every" -> keepEvery = Integer.parseInt(v);
                case "--dir" -> dir = Path.of(v);
                case "--engines" -> engines = List.of(v.split(","));
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--messages,"
                        + " --producers, --window, --batch, --batch-ms, --keep-every, --dir, --engines)");
            }
            i++;
        }
        for (String e : engines) {
            if (!List.of("rocksdb", "mvstore", "artemis").contains(e)) {
                throw new IllegalArgumentException("unknown engine '" + e + "' (rocksdb, mvstore, artemis)");
            }
        }
        if (messages < 1 || messages > 10_000_000 || producers < 1 || window < 1 || batch < 1 || keepEvery < 1) {
            throw new IllegalArgumentException("counts must be positive (messages at most 10,000,000)");
        }
        boolean ownDir = dir == null;
        if (ownDir) {
            dir = Files.createTempDirectory("store-engine-bench");
        }
        return new Settings(messages, producers, window, batch, batchMs, keepEvery, dir, ownDir, engines);
    }

    /** One append waiting for durability. */
    private static final class Pending {
        final long key;
        final long startNanos;
        final CountDownLatch done = new CountDownLatch(1);

        Pending(long key, long startNanos) {
            this.key = key;
            this.startNanos = startNanos;
        }
    }

    private static Result run(String name, Settings s) throws Exception {
        Path dir = s.dir().resolve(name);
        TempDirs.delete(dir);
        Files.createDirectories(dir);
        byte[] payload = new byte[PAYLOAD_BYTES];
        long[] latencies = new long[s.messages()];
        AtomicLong nextKey = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        BlockingQueue<Pending> waiting = new ArrayBlockingQueue<>(s.producers() * s.window() + 1);
        long batches;
        long start;
        long elapsed;
        try (StoreEngines.Engine engine = StoreEngines.open(name, dir)) {
            Committer committer = new Committer(engine, waiting, s, payload, latencies, failure);
            Thread ct = new Thread(committer, "bench-committer");
            ct.start();
            List<Thread> producers = new ArrayList<>();
            start = System.nanoTime();
            for (int p = 0; p < s.producers(); p++) {
                Thread t = new Thread(() -> produce(s, nextKey, waiting, failure), "bench-producer-" + p);
                producers.add(t);
                t.start();
            }
            for (Thread t : producers) {
                t.join(TimeUnit.MINUTES.toMillis(10));
            }
            committer.stop();
            ct.join(TimeUnit.MINUTES.toMillis(1));
            elapsed = System.nanoTime() - start;
            batches = committer.batches;
        }
        if (failure.get() != null) {
            throw new IllegalStateException(name + " failed", failure.get());
        }
        long reopenStart = System.nanoTime();
        long[] count = new long[1];
        long[] last = {-1};
        double reopenMillis;
        double scanMillis;
        try (StoreEngines.Engine engine = StoreEngines.open(name, dir)) {
            reopenMillis = (System.nanoTime() - reopenStart) / 1e6;
            long scanStart = System.nanoTime();
            engine.scan(k -> {
                if (k <= last[0] || k % s.keepEvery() != 0) {
                    throw new IllegalStateException(name + ": scan gave key " + k + " after " + last[0]);
                }
                last[0] = k;
                count[0]++;
            });
            scanMillis = (System.nanoTime() - scanStart) / 1e6;
        }
        long expected = (s.messages() + s.keepEvery() - 1) / s.keepEvery();
        if (count[0] != expected) {
            throw new IllegalStateException(name + ": " + count[0] + " pending after reopen, expected " + expected);
        }
        TempDirs.delete(dir);
        System.out.printf("%s done: %d batches%n", name, batches);
        return new Result(name, s.messages() / (elapsed / 1e9), new Latencies(latencies), count[0], scanMillis,
                reopenMillis, (double) s.messages() / batches);
    }

    private static void produce(Settings s, AtomicLong nextKey, BlockingQueue<Pending> waiting,
                                AtomicReference<Throwable> failure) {
        Semaphore window = new Semaphore(s.window());
        List<Pending> mine = new ArrayList<>();
        try {
            long k;
            while ((k = nextKey.getAndIncrement()) < s.messages() && failure.get() == null) {
                if (!window.tryAcquire(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no append became durable within 30 s");
                }
                Pending p = new Pending(k, System.nanoTime());
                waiting.put(p);
                mine.add(p);
                // release window slots of appends that are durable
                mine.removeIf(x -> {
                    if (x.done.getCount() == 0) {
                        window.release();
                        return true;
                    }
                    return false;
                });
                while (window.availablePermits() == 0 && !mine.isEmpty()) {
                    if (!mine.get(0).done.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("no append became durable within 30 s");
                    }
                    mine.removeIf(x -> {
                        if (x.done.getCount() == 0) {
                            window.release();
                            return true;
                        }
                        return false;
                    });
                }
            }
            for (Pending p : mine) {
                if (!p.done.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no append became durable within 30 s");
                }
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    /** The group-commit thread: one engine write and fsync per batch; completes the batch's appends after it. */
    private static final class Committer implements Runnable {
        private final StoreEngines.Engine engine;
        private final BlockingQueue<Pending> waiting;
        private final Settings s;
        private final byte[] payload;
        private final long[] latencies;
        private final AtomicReference<Throwable> failure;
        private volatile boolean stopping;
        long batches;

        Committer(StoreEngines.Engine engine, BlockingQueue<Pending> waiting, Settings s, byte[] payload,
                  long[] latencies, AtomicReference<Throwable> failure) {
            this.engine = engine;
            this.waiting = waiting;
            this.s = s;
            this.payload = payload;
            this.latencies = latencies;
            this.failure = failure;
        }

        void stop() {
            stopping = true;
        }

        @Override
        public void run() {
            List<Pending> batch = new ArrayList<>(s.batch());
            long[] keys = new long[s.batch()];
            byte[][] values = new byte[s.batch()][];
            long[] deletes = new long[s.batch()];
            int deleteCount = 0;
            try {
                while (failure.get() == null) {
                    Pending first = waiting.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        if (stopping && waiting.isEmpty()) {
                            return;
                        }
                        continue;
                    }
                    batch.add(first);
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(s.batchMs());
                    while (batch.size() < s.batch()) {
                        Pending p = waiting.poll(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                        if (p == null) {
                            break;
                        }
                        batch.add(p);
                    }
                    for (int i = 0; i < batch.size(); i++) {
                        keys[i] = batch.get(i).key;
                        values[i] = payload;
                    }
                    engine.writeDurably(keys, values, batch.size(), deletes, deleteCount);
                    batches++;
                    long now = System.nanoTime();
                    deleteCount = 0;
                    for (Pending p : batch) {
                        latencies[(int) p.key] = now - p.startNanos;
                        if (p.key % s.keepEvery() != 0) {
                            deletes[deleteCount++] = p.key; // acknowledged by a consumer: deleted with the next batch
                        }
                        p.done.countDown();
                    }
                    batch.clear();
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            } finally {
                if (deleteCount > 0 && failure.get() == null) {
                    try {
                        engine.writeDurably(keys, values, 0, deletes, deleteCount);
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                    }
                }
            }
        }
    }
}
