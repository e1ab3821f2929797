package org.spreadjms.bench;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

import org.apache.activemq.artemis.core.io.nio.NIOSequentialFileFactory;
import org.apache.activemq.artemis.core.journal.PreparedTransactionInfo;
import org.apache.activemq.artemis.core.journal.RecordInfo;
import org.apache.activemq.artemis.core.journal.impl.JournalImpl;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The three storage engines StoreEngineBench compares, each used the way a message store would use it: a batch of
 * appends (and the deletes of acknowledged records) made durable by one fsync, and an ordered scan after reopening.
 */
final class StoreEngines {
    private StoreEngines() {
    }

    /** One engine under test. Keys are message sequence numbers, values 1 KiB payloads. */
    interface Engine extends AutoCloseable {
        String name();

        /** Writes {@code keys}/{@code values}, removes {@code deletes}, and returns once the appends are durable. */
        void writeDurably(long[] keys, byte[][] values, int count, long[] deletes, int deleteCount) throws Exception;

        /** Reads every stored record in key order, giving the keys to {@code sink}. */
        void scan(LongConsumer sink) throws Exception;

        @Override
        void close() throws Exception;
    }

    static Engine open(String name, Path dir) throws Exception {
        return switch (name) {
            case "rocksdb" -> new Rocks(dir);
            case "mvstore" -> new Mv(dir);
            case "artemis" -> new ArtemisJournal(dir);
            default -> throw new IllegalArgumentException("unknown engine '" + name
                    + "' (rocksdb, mvstore, artemis)");
        };
    }

    private static byte[] key(long k) {
        return ByteBuffer.allocate(8).putLong(k).array();
    }

    /** RocksDB: one WriteBatch per group commit, written with sync=true (WAL fsync). */
    static final class Rocks implements Engine {
        private final Options options;
        private final RocksDB db;
        private final WriteOptions sync;

        Rocks(Path dir) throws Exception {
            RocksDB.loadLibrary();
            sync = new WriteOptions().setSync(true);
            options = new Options().setCreateIfMissing(true);
            db = RocksDB.open(options, dir.toString());
        }

        @Override
        public String name() {
            return "rocksdb";
        }

        @Override
        public void writeDurably(long[] keys, byte[][] values, int count, long[] deletes, int deleteCount)
                throws Exception {
            try (WriteBatch b = new WriteBatch()) {
                for (int i = 0; i < count; i++) {
                    b.put(key(keys[i]), values[i]);
                }
                for (int i = 0; i < deleteCount; i++) {
                    b.delete(key(deletes[i]));
                }
                db.write(sync, b);
            }
        }

        @Override
        public void scan(LongConsumer sink) {
            try (RocksIterator it = db.newIterator()) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    sink.accept(ByteBuffer.wrap(it.key()).getLong());
                    it.value();
                }
            }
        }

        @Override
        public void close() {
            sync.close();
            db.close();
            options.close();
        }
    }

    /** H2 MVStore: one MVMap, commit() then sync() per group commit (background writer off). */
    static final class Mv implements Engine {
        private final MVStore store;
        private final MVMap<Long, byte[]> map;

        Mv(Path dir) {
            store = new MVStore.Builder().fileName(dir.resolve("store.mv").toString()).autoCommitDisabled().open();
            map = store.openMap("messages");
        }

        @Override
        public String name() {
            return "mvstore";
        }

        @Override
        public void writeDurably(long[] keys, byte[][] values, int count, long[] deletes, int deleteCount) {
            for (int i = 0; i < count; i++) {
                map.put(keys[i], values[i]);
            }
            for (int i = 0; i < deleteCount; i++) {
                map.remove(deletes[i]);
            }
            store.commit();
            store.sync();
        }

        @Override
        public void scan(LongConsumer sink) {
            for (Map.Entry<Long, byte[]> e : map.entrySet()) {
                sink.accept(e.getKey());
            }
        }

        @Override
        public void close() {
            store.close();
        }
    }

    /**
     * Artemis journal (NIO, as on any JVM without libaio; its timed buffer off, since the bench batches itself): appends and deletes without sync, the last append of the
     * batch with sync=true, which waits for the fsync. Reopening loads every live record into memory (that is how
     * the journal works); the scan sorts them by id.
     */
    static final class ArtemisJournal implements Engine {
        private final JournalImpl journal;

        ArtemisJournal(Path dir) throws Exception {
            File d = dir.toFile();
            NIOSequentialFileFactory files = new NIOSequentialFileFactory(d, false, 490 * 1024, 0, 1, false);
            journal = new JournalImpl(10 * 1024 * 1024, 2, 10, 0, 30, files, "store", "jrn", 1);
            journal.start();
            List<RecordInfo> loaded = new ArrayList<>();
            journal.load(loaded, new ArrayList<PreparedTransactionInfo>(), null, false);
            this.loaded = loaded;
        }

        private List<RecordInfo> loaded;

        @Override
        public String name() {
            return "artemis";
        }

        @Override
        public void writeDurably(long[] keys, byte[][] values, int count, long[] deletes, int deleteCount)
                throws Exception {
            for (int i = 0; i < deleteCount; i++) {
                journal.appendDeleteRecord(deletes[i], false);
            }
            for (int i = 0; i < count; i++) {
                journal.appendAddRecord(keys[i], (byte) 1, values[i], i == count - 1);
            }
        }

        @Override
        public void scan(LongConsumer sink) {
            loaded.stream().mapToLong(r -> r.id).sorted().forEach(sink);
        }

        @Override
        public void close() throws Exception {
            journal.stop();
        }
    }
}
