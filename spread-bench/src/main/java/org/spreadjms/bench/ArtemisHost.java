package org.spreadjms.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import jakarta.jms.ConnectionFactory;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * An embedded ActiveMQ Artemis server with a CORE TCP acceptor on 127.0.0.1 and a free port. Turned off: security,
 * JMX management, the critical analyzer; persistence too, except for the persistent workloads, which get the journal
 * in a temporary directory with Artemis's default sync settings. Queues and addresses are auto-created, clients keep
 * their defaults (non-blocking NON_PERSISTENT sends, blocking durable sends, 1 MiB consumer window, TCP_NODELAY).
 */
final class ArtemisHost implements Host {
    private final EmbeddedActiveMQ server;
    private final Path dataDir;
    private final int port;

    private ArtemisHost(EmbeddedActiveMQ server, Path dataDir, int port) {
        this.server = server;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** A server without persistence (the NON_PERSISTENT workloads). */
    static ArtemisHost start() throws Exception {
        return start(false, Path.of(System.getProperty("java.io.tmpdir")), -1);
    }

    /**
     * @param persistent whether durable messages go to the journal (Artemis's defaults: journal type ASYNCIO,
     *                   NIO where libaio is missing; every non-transactional durable send synced before the
     *                   client's blocking send returns, syncs grouped by the journal buffer timeout)
     * @param parent     where its temporary data directory is made
     * @param bufferMicros the journal buffer timeout in microseconds (both journal types), or -1 for the default
     */
    static ArtemisHost start(boolean persistent, Path parent, int bufferMicros) throws Exception {
        Path dir = Files.createTempDirectory(parent, "bench-artemis");
        int port = freePort();
        Configuration cfg = new ConfigurationImpl()
                .setName("bench-artemis")
                .setPersistenceEnabled(persistent)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .setCriticalAnalyzer(false)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                .setLargeMessagesDirectory(dir.resolve("large").toString())
                .addAcceptorConfiguration("bench", "tcp://127.0.0.1:" + port + "?protocols=CORE")
                // as the broker.xml of a created instance: without them every auto-created queue logs two WARNs
                .addAddressSetting("#", new AddressSettings()
                        .setDeadLetterAddress(SimpleString.of("DLQ"))
                        .setExpiryAddress(SimpleString.of("ExpiryQueue")));
        if (bufferMicros >= 0) {
            cfg.setJournalBufferTimeout_NIO(bufferMicros * 1000).setJournalBufferTimeout_AIO(bufferMicros * 1000);
        }
        EmbeddedActiveMQ server = new EmbeddedActiveMQ();
        server.setConfiguration(cfg);
        try {
            server.start();
            if (!server.getActiveMQServer().isActive()) {
                throw new IOException("ActiveMQ Artemis is not active after start()");
            }
            return new ArtemisHost(server, dir, port);
        } catch (Exception e) {
            server.stop();
            TempDirs.delete(dir);
            throw e;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Override
    public ConnectionFactory connectionFactory() {
        return new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port);
    }

    @Override
    public String describe() {
        Configuration c = server.getActiveMQServer().getConfiguration();
        String head = "ActiveMQ Artemis " + server.getActiveMQServer().getVersion().getFullVersion()
                + " on tcp://127.0.0.1:" + port;
        String common = "security off, no JMX, no critical analyzer";
        if (!c.isPersistenceEnabled()) {
            return head + " (persistence off, " + common + ")";
        }
        int bufferNanos = c.getJournalType() == JournalType.ASYNCIO ? c.getJournalBufferTimeout_AIO()
                : c.getJournalBufferTimeout_NIO();
        return head + " (journal " + c.getJournalType() + " in " + c.getJournalLocation() + ", journal-datasync="
                + c.isJournalDatasync() + ", journal-sync-non-transactional=" + c.isJournalSyncNonTransactional()
                + ": a durable send is answered after the journal is synced; journal-buffer-timeout "
                + String.format(Locale.ROOT, "%.0f", bufferNanos / 1000.0) + " us (group commit: syncs at most"
                + " once per timeout, so a lone sender may wait for it); blocking durable sends (client default); "
                + common + ")";
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            System.err.println("stopping ActiveMQ Artemis failed: " + e);
        }
        TempDirs.delete(dataDir);
    }
}
