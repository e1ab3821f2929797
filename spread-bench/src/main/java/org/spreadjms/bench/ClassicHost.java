package org.spreadjms.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

import jakarta.jms.ConnectionFactory;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.TransportConnector;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;
import org.apache.activemq.store.kahadb.disk.journal.Journal;

/**
 * An embedded ActiveMQ Classic broker with an OpenWire TCP connector on 127.0.0.1 and a free port. Turned off: JMX,
 * advisory topics (broker, and the client's watch of them), the scheduler and the shutdown hook; persistence too,
 * except for the persistent workloads, which get KahaDB in a temporary directory with Classic's default sync
 * settings. TCP_NODELAY is set on both ends, as the Spread client and Artemis do by default. Everything else (async
 * send of NON_PERSISTENT messages, synchronous send of PERSISTENT ones, prefetch 1000 for queues and 32766 for
 * topics, producer flow control) is Classic's default.
 */
final class ClassicHost implements Host {
    private final BrokerService broker;
    private final Path dataDir;
    private final int port;
    private final KahaDBPersistenceAdapter kahaDb;

    private ClassicHost(BrokerService broker, Path dataDir, int port, KahaDBPersistenceAdapter kahaDb) {
        this.broker = broker;
        this.dataDir = dataDir;
        this.port = port;
        this.kahaDb = kahaDb;
    }

    /** A non-persistent broker (the NON_PERSISTENT workloads), its scratch files in the temporary directory. */
    static ClassicHost start() throws Exception {
        return start(false, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * @param persistent whether it keeps PERSISTENT messages in KahaDB (journal forced on every write, Classic's
     *                   default {@code journalDiskSyncStrategy=always}, stated here rather than left implicit)
     * @param parent     where its temporary data directory is made
     */
    static ClassicHost start(boolean persistent, Path parent) throws Exception {
        Path dir = Files.createTempDirectory(parent, "bench-classic");
        BrokerService b = new BrokerService();
        b.setBrokerName("bench-classic");
        KahaDBPersistenceAdapter kaha = null;
        if (persistent) {
            kaha = new KahaDBPersistenceAdapter();
            kaha.setDirectory(dir.resolve("kahadb").toFile());
            kaha.setJournalDiskSyncStrategy(Journal.JournalDiskSyncStrategy.ALWAYS.name());
            b.setPersistenceAdapter(kaha);
            // the default limits (100 GB store, 50 GB temp) exceed what a scratch disk may have free: Classic then
            // warns and shrinks them; a run needs a few MB
            b.getSystemUsage().getStoreUsage().setLimit(4L << 30);
            b.getSystemUsage().getTempUsage().setLimit(1L << 30);
        }
        b.setPersistent(persistent);
        b.setUseJmx(false);
        b.setAdvisorySupport(false);
        b.setSchedulerSupport(false);
        b.setUseShutdownHook(false);
        b.setDataDirectoryFile(dir.toFile());
        b.setTmpDataDirectory(dir.resolve("tmp").toFile());
        TransportConnector c = b.addConnector("tcp://127.0.0.1:0?transport.tcpNoDelay=true");
        try {
            b.start();
            if (!b.waitUntilStarted(30_000)) {
                throw new IOException("ActiveMQ Classic did not start within 30 s");
            }
            return new ClassicHost(b, dir, c.getConnectUri().getPort(), kaha);
        } catch (Exception e) {
            b.stop();
            TempDirs.delete(dir);
            throw e;
        }
    }

    @Override
    public ConnectionFactory connectionFactory() {
        ActiveMQConnectionFactory f = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port + "?tcpNoDelay=true");
        f.setWatchTopicAdvisories(false);
        return f;
    }

    @Override
    public String describe() {
        String common = "no JMX, no advisories, no scheduler, tcpNoDelay";
        if (kahaDb == null) {
            return "ActiveMQ Classic " + version() + " on tcp://127.0.0.1:" + port + " (non-persistent, " + common
                    + ")";
        }
        return "ActiveMQ Classic " + version() + " on tcp://127.0.0.1:" + port + " (KahaDB in " + kahaDb.getDirectory()
                + ", journalDiskSyncStrategy=" + kahaDb.getJournalDiskSyncStrategy().toLowerCase(Locale.ROOT)
                + ": the journal is forced before a PERSISTENT send is answered, concurrent writes share a force;"
                + " PERSISTENT sends synchronous (client default); concurrentStoreAndDispatchQueues="
                + kahaDb.isConcurrentStoreAndDispatchQueues() + " (default: a queue message acknowledged before its"
                + " journal write began is never written, and its send is answered without a force); " + common + ")";
    }

    /** The broker's version from its Maven metadata (the manifest it is normally read from is gone in a shaded jar). */
    private static String version() {
        try (InputStream in = BrokerService.class.getResourceAsStream(
                "/META-INF/maven/org.apache.activemq/activemq-broker/pom.properties")) {
            if (in == null) {
                return "(version unknown)";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "(version unknown)");
        } catch (IOException e) {
            return "(version unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        try {
            broker.stop();
            broker.waitUntilStopped();
        } catch (Exception e) {
            System.err.println("stopping ActiveMQ Classic failed: " + e);
        }
        TempDirs.delete(dataDir);
    }
}
