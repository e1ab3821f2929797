package org.spreadjms.store.log;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.jms.store.MessageKey;

/**
 * The log's one writer thread: takes queued operations in order, writes a group of them as one RocksDB write batch
 * (forced to disk or not, as the {@link FsyncPolicy} says), and only then completes their futures, on the log's
 * callback executor, in order. A failed write fails its group and everything after it: the log is then failed.
 */
final class LogWriter implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);
    /** At most this many operations share one write. */
    static final int MAX_GROUP = 4096;
    /** Under batch, the writer stops waiting for company once no append came for this long. */
    static final java.time.Duration LINGER_GAP = java.time.Duration.ofNanos(200_000);

    private final RocksDB db;
    private final BlockingQueue<LogOp> queue;
    private final FsyncPolicy policy;
    private final Executor callbacks;
    private final Map<String, Long> lastSequences;
    private final Consumer<StoreException> onFailure;
    private final WriteOptions writeOptions;
    /** For groups nobody waits for (deletes only) under batch and never: written to the OS, not forced. */
    private final WriteOptions unforcedOptions = new WriteOptions().setSync(false);
    private final ReadOptions readOptions = new ReadOptions();
    private long applied;
    private volatile long writes;
    private volatile long forcedWrites;

    LogWriter(RocksDB db, BlockingQueue<LogOp> queue, FsyncPolicy policy, Executor callbacks,
              Map<String, Long> lastSequences, long applied, Consumer<StoreException> onFailure) {
        this.db = db;
        this.queue = queue;
        this.policy = policy;
        this.callbacks = callbacks;
        this.lastSequences = lastSequences;
        this.applied = applied;
        this.onFailure = onFailure;
        this.writeOptions = new WriteOptions().setSync(policy.mode() != FsyncPolicy.Mode.NEVER);
    }

    /** Appends in the last group written (writer thread only). */
    private int lastGroupAppends;

    private static int appends(List<LogOp> group) {
        int n = 0;
        for (LogOp op : group) {
            if (op instanceof LogOp.Append) {
                n++;
            }
        }
        return n;
    }

    long applied() {
        return applied;
    }

    /** Group writes so far (Stop, Reset and Purge not counted). */
    long writes() {
        return writes;
    }

    /** Of {@link #writes()}, those forced to disk. */
    long forcedWrites() {
        return forcedWrites;
    }

    @Override
    public void run() {
        List<LogOp> group = new ArrayList<>();
        LogOp carried = null;
        try {
            while (true) {
                LogOp first = carried != null ? carried : queue.take();
                carried = null;
                if (first instanceof LogOp.Stop || first instanceof LogOp.Reset || first instanceof LogOp.Purge) {
                    if (!runAlone(first)) {
                        return;
                    }
                    continue;
                }
                group.add(first);
                carried = collect(group);
                if (!write(group)) {
                    return;
                }
                group.clear();
            }
        } catch (InterruptedException e) {
            fail(group, new StoreException(StoreException.Kind.CLOSED, "the log writer was interrupted", e));
        } finally {
            writeOptions.close();
            unforcedOptions.close();
            readOptions.close();
        }
    }

    /**
     * Adds what waits to {@code group}; returns a breaker met. For BATCH it also waits for what arrives, but only
     * while appends come from several writers at once (the previous group had more than one append, or an append
     * waits now): a lone synchronous sender has no company to wait for, and waiting would only add the whole window
     * to each of its sends. Deletes do not count: nobody waits for them. It waits while appends keep coming, at
     * most {@link #LINGER_GAP} apart and up to the bound after the first: synchronous senders can only send again
     * once this write acknowledged them, so once they have all arrived, waiting out the rest of the bound would
     * hold every one of them for nothing.
     */
    private LogOp collect(List<LogOp> group) throws InterruptedException {
        boolean company = lastGroupAppends > 1 || queue.peek() instanceof LogOp.Append;
        long deadline = System.nanoTime() + policy.bound().toNanos();
        while (group.size() < MAX_GROUP) {
            LogOp op = queue.poll();
            if (op == null && policy.mode() == FsyncPolicy.Mode.BATCH && company) {
                long wait = Math.min(deadline - System.nanoTime(), LINGER_GAP.toNanos());
                op = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : null;
            }
            if (op == null) {
                lastGroupAppends = appends(group);
                return null;
            }
            if (op instanceof LogOp.Stop || op instanceof LogOp.Reset || op instanceof LogOp.Purge) {
                lastGroupAppends = appends(group);
                return op;
            }
            group.add(op);
        }
        lastGroupAppends = appends(group);
        return null;
    }

    /** Writes one group; false if the log failed. */
    private boolean write(List<LogOp> group) {
        Object[] results = new Object[group.size()];
        long appliedBefore = applied;
        Map<String, Long> sequencesBefore = Map.copyOf(lastSequences);
        try (WriteBatchWithIndex batch = new WriteBatchWithIndex(true)) {
            for (int i = 0; i < group.size(); i++) {
                results[i] = apply(batch, group.get(i));
            }
            boolean force = forced(group);
            db.write(force ? writeOptions : unforcedOptions, batch);
            writes++;
            if (force && policy.mode() != FsyncPolicy.Mode.NEVER) {
                forcedWrites++;
            }
        } catch (RocksDBException e) {
            applied = appliedBefore;
            lastSequences.clear();
            lastSequences.putAll(sequencesBefore);
            fail(group, classify("writing " + group.size() + " operation(s)", e));
            return false;
        }
        List<LogOp> done = List.copyOf(group);
        callbacks.execute(() -> {
            for (int i = 0; i < done.size(); i++) {
                complete(done.get(i), results[i]);
            }
        });
        return true;
    }

    /**
     * Whether {@code group} is forced to disk. Under always, every group is. Under batch, a group is forced only if
     * it has an append (someone waits for its STORED): deletes alone go to the operating system unforced, so a
     * process kill keeps them and a power loss may undo the last of them, which brings those messages back,
     * marked redelivered, never loses one. A forced write forces every earlier write of the write-ahead log with
     * it. A consumer acknowledging every message so no longer costs each send a second force.
     */
    private boolean forced(List<LogOp> group) {
        if (policy.mode() != FsyncPolicy.Mode.BATCH) {
            return true; // always: forced; never: writeOptions does not force anyway
        }
        for (LogOp op : group) {
            if (op instanceof LogOp.Append) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static void complete(LogOp op, Object result) {
        ((CompletableFuture<Object>) op.done()).complete(result);
    }

    private Object apply(WriteBatchWithIndex batch, LogOp op) throws RocksDBException {
        if (op instanceof LogOp.Append a) {
            byte[] index = LogKeys.index(a.dest(), a.key());
            if (a.counts()) {
                applied++;
                batch.put(LogKeys.APPLIED, LogKeys.u64(applied));
            }
            byte[] existing = batch.getFromBatchAndDB(db, readOptions, index);
            if (existing != null) {
                return new Appended(LogKeys.u64(existing), true);
            }
            long last = lastSequences.getOrDefault(a.destination(), 0L);
            long seq = a.sequence() > 0 ? a.sequence() : last + 1;
            lastSequences.put(a.destination(), Math.max(last, seq));
            batch.put(LogKeys.message(a.dest(), seq), LogKeys.messageValue(a.key(), a.messType(), a.payload()));
            batch.put(index, LogKeys.u64(seq));
            batch.put(LogKeys.lastSequence(a.dest()), LogKeys.u64(Math.max(last, seq)));
            return new Appended(seq, false);
        }
        if (op instanceof LogOp.Delete d) {
            applied++;
            batch.put(LogKeys.APPLIED, LogKeys.u64(applied));
            byte[] index = LogKeys.index(d.dest(), d.key());
            byte[] seq = batch.getFromBatchAndDB(db, readOptions, index);
            if (seq == null) {
                return Boolean.FALSE;
            }
            batch.delete(LogKeys.message(d.dest(), LogKeys.u64(seq)));
            batch.delete(index);
            return Boolean.TRUE;
        }
        if (op instanceof LogOp.Barrier) {
            return new LogPosition(applied, lastSequences);
        }
        throw new IllegalStateException("not a group operation: " + op);
    }

    /** Runs a Stop or Reset on its own; false when the writer must end. */
    private boolean runAlone(LogOp op) {
        if (op instanceof LogOp.Stop s) {
            callbacks.execute(() -> s.done().complete(null));
            return false;
        }
        if (op instanceof LogOp.Purge p) {
            return purge(p);
        }
        LogOp.Reset r = (LogOp.Reset) op;
        try (WriteBatch batch = new WriteBatch()) {
            for (Map.Entry<String, Long> e : r.lastSequences().entrySet()) {
                byte[] dest = LogKeys.destination(e.getKey());
                if (r.drop()) {
                    dropMessages(batch, dest);
                }
                batch.put(LogKeys.lastSequence(dest), LogKeys.u64(e.getValue()));
            }
            batch.put(LogKeys.APPLIED, LogKeys.u64(r.applied()));
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            fail(List.of(op), classify("resetting " + r.lastSequences().keySet(), e));
            return false;
        }
        lastSequences.putAll(r.lastSequences());
        applied = r.applied();
        callbacks.execute(() -> r.done().complete(null));
        return true;
    }

    private boolean purge(LogOp.Purge p) {
        try (WriteBatch batch = new WriteBatch()) {
            dropMessages(batch, p.dest());
            batch.put(LogKeys.APPLIED, LogKeys.u64(applied + 1));
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            fail(List.of(p), classify("dropping the messages of '" + p.destination() + "'", e));
            return false;
        }
        applied++;
        callbacks.execute(() -> p.done().complete(null));
        return true;
    }

    private static void dropMessages(WriteBatch batch, byte[] dest) throws RocksDBException {
        byte[] messages = LogKeys.messagePrefix(dest);
        batch.deleteRange(messages, successor(messages));
        byte[] index = LogKeys.index(dest, new MessageKey("-", "-"));
        byte[] indexPrefix = java.util.Arrays.copyOf(index, 2 + dest.length);
        batch.deleteRange(indexPrefix, successor(indexPrefix));
    }

    /** The smallest key greater than every key starting with {@code prefix}. */
    static byte[] successor(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] s = java.util.Arrays.copyOf(prefix, i + 1);
                s[i]++;
                return s;
            }
        }
        throw new IllegalArgumentException("a prefix of 0xFF bytes has no successor");
    }

    /** Fails {@code group} and everything still queued, and marks the log failed. */
    private void fail(List<LogOp> group, StoreException cause) {
        LOG.error("message log failed: {}", cause.getMessage());
        onFailure.accept(cause);
        List<LogOp> all = new ArrayList<>(group);
        queue.drainTo(all);
        callbacks.execute(() -> all.forEach(op -> op.done().completeExceptionally(cause)));
    }

    static StoreException classify(String what, RocksDBException e) {
        Status s = e.getStatus();
        String text = String.valueOf(e.getMessage());
        StoreException.Kind kind = StoreException.Kind.IO;
        if ((s != null && s.getSubCode() == Status.SubCode.NoSpace) || text.contains("No space left")) {
            kind = StoreException.Kind.DISK_FULL;
        } else if (s != null && s.getCode() == Status.Code.Corruption) {
            kind = StoreException.Kind.CORRUPT;
        }
        String why = switch (kind) {
            case DISK_FULL -> "the disk is full";
            case CORRUPT -> "a data file is corrupt";
            default -> "an I/O error";
        };
        return new StoreException(kind, why + " while " + what + ": " + text, e);
    }
}
