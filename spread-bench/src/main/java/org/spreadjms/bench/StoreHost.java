package org.spreadjms.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.spreadjms.store.StoreMember;
import org.spreadjms.store.StoreMemberOptions;
import org.spreadjms.store.log.FsyncPolicy;

/**
 * One spread-store member for spread-jms's persistent workloads, in this JVM (like the embedded daemon and the
 * brokers), with its RocksDB log in a temporary directory that is deleted afterwards. It joins the default control
 * group and stores the Spread groups it is given (store members learn their destinations when they start), and
 * serves its own log at once (a lone member, no state transfer).
 */
final class StoreHost implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final StoreMember member;
    private final Path dataDir;

    private StoreHost(StoreMember member, Path dataDir) {
        this.member = member;
        this.dataDir = dataDir;
    }

    /**
     * @param daemon Spread daemon as {@code port@host}
     * @param groups the Spread groups whose PERSISTENT messages it stores
     * @param parent where its temporary data directory is made
     */
    static StoreHost start(String daemon, List<String> groups, FsyncPolicy fsync, Path parent) throws Exception {
        Path dir = Files.createTempDirectory(parent, "bench-spread-store");
        StoreMember m = null;
        try {
            m = StoreMember.start(new StoreMemberOptions(daemon, "", dir.resolve("log"), fsync, groups,
                    StoreMemberOptions.CONTROL_GROUP, 1, WAIT, 256L << 20));
            m.awaitServing(WAIT);
            return new StoreHost(m, dir);
        } catch (Exception e) {
            if (m != null) {
                m.close();
            }
            TempDirs.delete(dir);
            throw e;
        }
    }

    /** For the report: where it writes and when it forces its writes. */
    String describe() {
        FsyncPolicy p = member.options().fsync();
        String sync = switch (p.mode()) {
            case BATCH -> "fsync batch:" + p.bound().toMillis() + " ms (group commit: appends arriving within "
                    + p.bound().toMillis() + " ms share one write and one force of the RocksDB WAL, then STORED)";
            case ALWAYS -> "fsync always (the WAL is forced before each STORED; appends arriving during a force "
                    + "share the next)";
            case NEVER -> "fsync never (written to the OS, not forced: survives a killed process, not a power loss)";
        };
        return "spread-store member " + member.privateGroup() + " in this JVM, RocksDB in " + dataDir + ", " + sync;
    }

    /** Closes the member (it leaves its groups) and deletes its data; never throws. */
    @Override
    public void close() {
        try {
            member.close();
        } catch (RuntimeException e) {
            System.err.println("closing the store member failed: " + e);
        }
        TempDirs.delete(dataDir);
    }
}
