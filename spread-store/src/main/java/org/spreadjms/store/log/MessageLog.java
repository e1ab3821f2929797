package org.spreadjms.store.log;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WALRecoveryMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.jms.store.MessageKey;
import org.spreadjms.jms.store.StoredMessage;

/**
 * A persistent, ordered message log per destination on RocksDB: append with a sequence number, delete by key, read
 * in order from a position, a page at a time (never the whole log in memory).
 *
 * <h2>Durability</h2>
 * Appends and deletes are queued to one writer thread, which writes them in groups as one RocksDB write batch and
 * forces the write-ahead log to disk as the {@link FsyncPolicy} says (group commit). The future an operation returns
 * completes only after the write that holds it succeeded, so nothing is acknowledged that was not written. If a write
 * fails (disk full, I/O error, corruption) that group and every later operation fail with a {@link StoreException}
 * of the matching {@link StoreException.Kind}, and the log stays failed until reopened.
 *
 * <h2>Threads</h2>
 * Any thread may call any method. Operations are applied in the order their calls returned; sequence numbers are
 * given in that order. Futures complete on the log's single callback thread ({@code store-log-callbacks}), in
 * operation order; dependent actions run there and must not block for long. Reads run on the caller's thread and
 * see every operation whose future has completed.
 *
 * <h2>Duplicates</h2>
 * A second append with the key of a stored message writes nothing and completes with the stored message's sequence
 * and {@link Appended#duplicate()} set: a sender that re-sends after a failover is stored once.
 */
public final class MessageLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MessageLog.class);

    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final FsyncPolicy policy;
    private final Options options;
    private final RocksDB db;
    private final LinkedBlockingQueue<LogOp> queue = new LinkedBlockingQueue<>();
    private final Map<String, Long> lastSequences;
    private final ExecutorService callbacks;
    private final LogWriter writer;
    private final Thread writerThread;
    private final CompletableFuture<StoreException> failure = new CompletableFuture<>();
    private volatile boolean closed;

    /**
     * The log's callback thread as an executor: a task given to it runs after every completion already handed to
     * that thread (so after the rest of the write group whose completion gave it), in order with them.
     */
    public Executor callbackExecutor() {
        return callbacks;
    }

    private MessageLog(Path dir, FsyncPolicy policy, Options options, RocksDB db, Map<String, Long> lastSequences,
                       long applied) {
        this.dir = dir;
        this.policy = policy;
        this.options = options;
        this.db = db;
        this.lastSequences = lastSequences;
        String name = dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
        this.callbacks = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "store-log-callbacks-" + name);
            t.setDaemon(true);
            return t;
        });
        Consumer<StoreException> onFailure = failure::complete;
        this.writer = new LogWriter(db, queue, policy, callbacks, lastSequences, applied, onFailure);
        this.writerThread = new Thread(writer, "store-log-writer-" + name);
        this.writerThread.setDaemon(true);
    }

    /**
     * Opens (creating if needed) the log in {@code dir}.
     *
     * @throws StoreException CORRUPT if a data file does not hold what was written, DISK_FULL or IO otherwise (for
     *                        example when another process has the directory open)
     */
    public static MessageLog open(Path dir, FsyncPolicy policy) throws StoreException {
        Options options = new Options().setCreateIfMissing(true).setParanoidChecks(true)
                // a torn last record (a write cut by a crash, never acknowledged) is dropped; damage anywhere
                // else in the write-ahead log fails the open instead of silently dropping what follows it
                .setWalRecoveryMode(WALRecoveryMode.TolerateCorruptedTailRecords)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL).setKeepLogFileNum(2)
                .setWriteBufferSize(16L << 20).setMaxTotalWalSize(64L << 20)
                // every append first looks its id up (a second copy is kept once): a Bloom filter per table file
                // answers "not there" without reading that file's blocks
                .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(new BloomFilter(10)));
        RocksDB db;
        try {
            Files.createDirectories(dir);
            db = RocksDB.open(options, dir.toString());
        } catch (RocksDBException e) {
            release(options);
            throw LogWriter.classify("opening the message log in " + dir, e);
        } catch (java.io.IOException e) {
            release(options);
            throw new StoreException(StoreException.Kind.IO, "cannot create the data directory " + dir + ": " + e,
                    e);
        }
        try {
            Map<String, Long> last = new ConcurrentHashMap<>();
            try (RocksIterator it = db.newIterator()) {
                byte[] prefix = {LogKeys.LAST_SEQUENCE};
                for (it.seek(prefix); it.isValid() && it.key()[0] == LogKeys.LAST_SEQUENCE; it.next()) {
                    byte[] k = it.key();
                    last.put(new String(k, 1, k.length - 1, java.nio.charset.StandardCharsets.UTF_8),
                            LogKeys.u64(it.value()));
                }
                it.status();
            }
            byte[] a = db.get(LogKeys.APPLIED);
            MessageLog log = new MessageLog(dir, policy, options, db, last, a == null ? 0 : LogKeys.u64(a));
            log.writerThread.start();
            LOG.info("message log {} open ({} destinations, fsync {})", dir, last.size(), policy);
            return log;
        } catch (RocksDBException | RuntimeException e) {
            db.close();
            release(options);
            if (e instanceof RocksDBException re) {
                throw LogWriter.classify("reading the message log in " + dir, re);
            }
            throw new StoreException(StoreException.Kind.CORRUPT, "the message log in " + dir + " holds a counter"
                    + " that does not decode: " + e.getMessage(), e);
        }
    }

    public Path directory() {
        return dir;
    }

    public FsyncPolicy policy() {
        return policy;
    }

    /**
     * Appends a message to {@code destination} with the next sequence number. The future completes with the
     * sequence once the message is durable (as the policy says), or exceptionally with a {@link StoreException}.
     */
    public CompletableFuture<Appended> append(String destination, MessageKey key, short messType, byte[] payload) {
        return enqueue(new LogOp.Append(destination, LogKeys.destination(destination), 0, key, messType,
                payload.clone(), true, new CompletableFuture<>()));
    }

    /**
     * Stores a message at a given sequence (state transfer: the sequence another member gave it). Not counted in
     * {@link #appliedIndex()}, which the transfer sets with {@link #reset}.
     */
    public CompletableFuture<Appended> put(String destination, long sequence, MessageKey key, short messType,
                                          byte[] payload) {
        if (sequence <= 0) {
            throw new IllegalArgumentException("sequence " + sequence + " of '" + destination + "' must be >= 1");
        }
        return enqueue(new LogOp.Append(destination, LogKeys.destination(destination), sequence, key, messType,
                payload.clone(), false, new CompletableFuture<>()));
    }

    /** Deletes the message with {@code key} from {@code destination}; completes with whether it was stored. */
    public CompletableFuture<Boolean> delete(String destination, MessageKey key) {
        return enqueue(new LogOp.Delete(destination, LogKeys.destination(destination), key,
                new CompletableFuture<>()));
    }

    /**
     * Drops every message of {@code destination} (an operation of the ordered stream: a deleted durable
     * subscription); its sequences are not reused.
     */
    public CompletableFuture<Void> purge(String destination) {
        return enqueue(new LogOp.Purge(destination, LogKeys.destination(destination), new CompletableFuture<>()));
    }

    /**
     * Completes, with the log's position at this point of the operation order, once every operation queued before
     * it is written.
     */
    public CompletableFuture<LogPosition> barrier() {
        return enqueue(new LogOp.Barrier(new CompletableFuture<>()));
    }

    /**
     * Sets the last sequences of the given destinations and the applied index, first dropping every message of
     * those destinations if {@code drop}. A state transfer drops, then {@link #put}s the transferred messages, then
     * sets the donor's position without dropping.
     */
    public CompletableFuture<Void> reset(Map<String, Long> lastSequences, long applied, boolean drop) {
        lastSequences.keySet().forEach(LogKeys::destination);
        return enqueue(new LogOp.Reset(Map.copyOf(lastSequences), applied, drop, new CompletableFuture<>()));
    }

    private <T> CompletableFuture<T> enqueue(LogOp op) {
        @SuppressWarnings("unchecked")
        CompletableFuture<T> f = (CompletableFuture<T>) op.done();
        StoreException refused = refusal();
        if (refused != null) {
            f.completeExceptionally(refused);
            return f;
        }
        queue.add(op);
        refused = refusal();
        if (refused != null && queue.remove(op)) {
            f.completeExceptionally(refused);
        }
        return f;
    }

    private StoreException refusal() {
        StoreException failed = failure.getNow(null);
        if (failed != null) {
            return failed;
        }
        return closed ? new StoreException(StoreException.Kind.CLOSED, "the message log in " + dir + " is closed",
                null) : null;
    }

    /**
     * Reads up to {@code maxMessages} messages of {@code destination} in sequence order, starting at sequence
     * {@code from}, stopping early once {@code maxBytes} of payload are read (at least one message is returned if
     * any is there). Pass the last sequence read + 1 to read the next page. Reads go on after a write failed
     * because the disk is full or on an I/O error; after a corruption or close they fail.
     */
    public List<StoredMessage> read(String destination, long from, int maxMessages, long maxBytes)
            throws StoreException {
        StoreException refused = refusal();
        if (refused != null && (closed || refused.kind() == StoreException.Kind.CORRUPT)) {
            // a full disk or an I/O error on write leaves what was written readable; a corrupt log does not
            throw refused;
        }
        byte[] dest = LogKeys.destination(destination);
        byte[] prefix = LogKeys.messagePrefix(dest);
        List<StoredMessage> page = new ArrayList<>();
        long bytes = 0;
        try (Slice upper = new Slice(LogWriter.successor(prefix));
             ReadOptions ro = new ReadOptions().setIterateUpperBound(upper);
             RocksIterator it = db.newIterator(ro)) {
            for (it.seek(LogKeys.message(dest, Math.max(0, from))); it.isValid() && page.size() < maxMessages
                    && bytes < maxBytes; it.next()) {
                byte[] k = it.key();
                StoredMessage m = LogKeys.decode(destination, LogKeys.sequenceOf(k), it.value());
                page.add(m);
                bytes += m.payload().length;
            }
            it.status();
        } catch (RocksDBException e) {
            StoreException failed = LogWriter.classify("reading '" + destination + "'", e);
            if (failed.kind() != StoreException.Kind.IO) {
                // a corrupt table: stop writing too, so the member leaves instead of serving a damaged log
                failure.complete(failed);
            }
            throw failed;
        } catch (StoreException e) {
            failure.complete(e);
            throw e;
        }
        return page;
    }

    /** The last sequence given in {@code destination} (0 if none); sequences never go back, even after deletes. */
    public long lastSequence(String destination) {
        return lastSequences.getOrDefault(destination, 0L);
    }

    /** Every destination the log has held a message of, sorted. */
    public Set<String> destinations() {
        return new TreeSet<>(lastSequences.keySet());
    }

    /** The last sequence of every destination. */
    public Map<String, Long> lastSequences() {
        return Map.copyOf(lastSequences);
    }

    /** Group writes of appends and deletes so far, for monitoring. */
    public long groupWrites() {
        return writer.writes();
    }

    /**
     * Of {@link #groupWrites()}, those forced to disk: under batch, only groups with an append are (deletes alone
     * are written unforced); under always all are; under never none.
     */
    public long forcedGroupWrites() {
        return writer.forcedWrites();
    }

    /**
     * Appends and deletes of the ordered stream applied so far (written or queued). Members that applied the same
     * stream have the same index; a state transfer carries it.
     */
    public long appliedIndex() {
        return writer.applied();
    }

    /** Completes with the cause once the log has failed; the log refuses writes from then on. */
    public CompletableFuture<StoreException> failure() {
        return failure;
    }

    /**
     * Writes everything queued, then closes the engine. Operations after close fail with {@link
     * StoreException.Kind#CLOSED}. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(new LogOp.Stop(new CompletableFuture<>()));
        try {
            writerThread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writerThread.isAlive()) {
            LOG.warn("the writer of {} did not stop within 30 s; interrupting it", dir);
            writerThread.interrupt();
        }
        List<LogOp> left = new ArrayList<>();
        queue.drainTo(left);
        StoreException closedError = new StoreException(StoreException.Kind.CLOSED, "the message log in " + dir
                + " was closed before this operation was written", null);
        callbacks.execute(() -> left.forEach(op -> op.done().completeExceptionally(closedError)));
        callbacks.shutdown();
        try {
            callbacks.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        db.close();
        release(options);
        LOG.info("message log {} closed", dir);
    }

    /** Closes the options and the Bloom filter of their table format (not closed with them). */
    private static void release(Options options) {
        if (options.tableFormatConfig() instanceof BlockBasedTableConfig t && t.filterPolicy() != null) {
            t.filterPolicy().close();
        }
        options.close();
    }

    @Override
    public String toString() {
        return "MessageLog[" + dir + ", " + policy + ", destinations " + Arrays.toString(lastSequences.keySet()
                .toArray()) + "]";
    }
}
