package org.spreadjms.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import jakarta.jms.ConnectionFactory;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.TransportConnector;

/**
 * An embedded ActiveMQ Classic broker with an OpenWire TCP connector on 127.0.0.1 and a free port. Turned off:
 * persistence (no KahaDB), JMX, advisory topics (broker, and the client's watch of them), the scheduler and the
 * shutdown hook. TCP_NODELAY is set on both ends, as the Spread client and Artemis do by default. Everything else
 * (async send of NON_PERSISTENT messages, prefetch 1000 for queues and 32766 for topics, producer flow control) is
 * Classic's default.
 */
final class ClassicHost implements Host {
    private final BrokerService broker;
    private final Path dataDir;
    private final int port;

    private ClassicHost(BrokerService broker, Path dataDir, int port) {
        this.broker = broker;
        this.dataDir = dataDir;
        this.port = port;
    }

    static ClassicHost start() throws Exception {
        Path dir = Files.createTempDirectory("bench-classic");
        BrokerService b = new BrokerService();
        b.setBrokerName("bench-classic");
        b.setPersistent(false);
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
            return new ClassicHost(b, dir, c.getConnectUri().getPort());
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
        return "ActiveMQ Classic " + version()
                + " on tcp://127.0.0.1:" + port
                + " (non-persistent, no JMX, no advisories, no scheduler, tcpNoDelay)";
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
