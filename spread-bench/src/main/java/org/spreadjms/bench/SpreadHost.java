package org.spreadjms.bench;

import java.io.IOException;
import java.util.List;

import jakarta.jms.ConnectionFactory;

import org.spreadjms.client.SpreadOptions;
import org.spreadjms.daemon.EmbeddedSpreadDaemon;
import org.spreadjms.jms.SpreadConnectionFactory;

/**
 * The Spread daemon shared by raw and spread-jms: the embedded one with its defaults (1000 queued frames per session),
 * or an external daemon (a real Spread 4 daemon, say) given by {@code --spread-daemon host:port}. For the persistent
 * workloads it also runs a store member ({@link StoreHost}) and spread-jms connects with {@code storeAcks}.
 */
final class SpreadHost implements Host {
    private final EmbeddedSpreadDaemon daemon;
    private final String host;
    private final int port;
    private final String jmsOptions;
    private StoreHost store;

    private SpreadHost(EmbeddedSpreadDaemon daemon, String host, int port, String jmsOptions) {
        this.daemon = daemon;
        this.host = host;
        this.port = port;
        this.jmsOptions = jmsOptions;
    }

    /**
     * This host with a store member on the same daemon that stores {@code groups}, and spread-jms connecting with
     * {@code storeAcks} (so a PERSISTENT send returns once that many store members have it on disk). The store
     * member is closed with the host; if it does not start, the daemon is stopped and the failure thrown.
     */
    SpreadHost withStore(List<String> groups, PersistentOptions p) throws Exception {
        String options = jmsOptions.isEmpty() ? "storeAcks=" + p.storeAcks()
                : jmsOptions.contains("storeAcks=") ? jmsOptions : jmsOptions + "&storeAcks=" + p.storeAcks();
        SpreadHost h = new SpreadHost(daemon, host, port, options);
        try {
            h.store = StoreHost.start(port + "@" + host, groups, p.storeFsync(), p.dataParent());
        } catch (Exception e) {
            close();
            throw e;
        }
        return h;
    }

    /** @param jmsOptions URI options of spread-jms's connection factory ("" for none) */
    static SpreadHost start(String jmsOptions) throws IOException {
        EmbeddedSpreadDaemon d = EmbeddedSpreadDaemon.builder().bindAddress("127.0.0.1").port(0).start();
        return new SpreadHost(d, "127.0.0.1", d.port(), jmsOptions);
    }

    /** An external daemon, which this run neither starts nor stops. */
    static SpreadHost external(String host, int port, String jmsOptions) {
        return new SpreadHost(null, host, port, jmsOptions);
    }

    /** How the raw client reaches the daemon (TCP, like spread-jms). */
    SpreadOptions clientOptions() {
        return SpreadOptions.builder().daemon(host, port).build();
    }

    @Override
    public ConnectionFactory connectionFactory() {
        return new SpreadConnectionFactory("spread://" + host + ":" + port
                + (jmsOptions.isEmpty() ? "" : "?" + jmsOptions));
    }

    @Override
    public String describe() {
        String where = daemon != null ? "embedded Spread daemon on 127.0.0.1:" + port + " (defaults; NON_PERSISTENT = FIFO)"
                : "external Spread daemon at " + host + ":" + port + " over TCP (NON_PERSISTENT = FIFO)";
        String described = jmsOptions.isEmpty() ? where : where + "; spread-jms options: " + jmsOptions;
        return store == null ? described : described + "; PERSISTENT to a queue: SAFE, send() returns after the "
                + "store members' STORED; " + store.describe();
    }

    @Override
    public void close() {
        if (store != null) {
            store.close();
        }
        if (daemon != null) {
            daemon.stop();
        }
    }
}
