package org.spreadjms.bench;

import java.io.IOException;

import jakarta.jms.ConnectionFactory;

import org.spreadjms.daemon.EmbeddedSpreadDaemon;
import org.spreadjms.jms.SpreadConnectionFactory;

/** The embedded Spread daemon with its defaults (1000 queued frames per session), shared by raw and spread-jms. */
final class SpreadHost implements Host {
    private final EmbeddedSpreadDaemon daemon;

    private SpreadHost(EmbeddedSpreadDaemon daemon) {
        this.daemon = daemon;
    }

    static SpreadHost start() throws IOException {
        return new SpreadHost(EmbeddedSpreadDaemon.builder().bindAddress("127.0.0.1").port(0).start());
    }

    int port() {
        return daemon.port();
    }

    @Override
    public ConnectionFactory connectionFactory() {
        return new SpreadConnectionFactory("spread://127.0.0.1:" + daemon.port());
    }

    @Override
    public String describe() {
        return "embedded Spread daemon on 127.0.0.1:" + daemon.port() + " (defaults; NON_PERSISTENT = FIFO)";
    }

    @Override
    public void close() {
        daemon.stop();
    }
}
