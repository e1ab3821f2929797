package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;

import org.spreadjms.daemon.junit.SpreadDaemonExtension;

/** Small helpers shared by the end-to-end tests against the embedded daemon. */
final class JmsTestSupport {
    /** How long a message that should arrive may take. */
    static final long ARRIVES_MS = 5_000;
    /** How long to wait to be reasonably sure a message that should not arrive does not. */
    static final long ABSENT_MS = 300;
    private static final AtomicInteger NAMES = new AtomicInteger();

    private JmsTestSupport() {
    }

    static SpreadConnectionFactory factory(SpreadDaemonExtension daemon) {
        return new SpreadConnectionFactory(uri(daemon, ""));
    }

    static SpreadConnectionFactory factory(SpreadDaemonExtension daemon, String options) {
        return new SpreadConnectionFactory(uri(daemon, options));
    }

    /**
     * The daemon's URI with {@code options}. These tests run without a store member, so unless {@code options} say
     * otherwise they use the storeless mode ({@code storeAcks=0}: PERSISTENT messages are not kept, as before the
     * store existed); with the default ({@code all}) every PERSISTENT queue send would be refused for want of a store.
     */
    static String uri(SpreadDaemonExtension daemon, String options) {
        return storeless("spread://127.0.0.1:" + daemon.port() + (options.isEmpty() ? "" : "?" + options));
    }

    /** {@code uri} with {@code storeAcks=0} added unless it sets storeAcks itself. */
    static String storeless(String uri) {
        if (uri.contains("storeAcks=")) {
            return uri;
        }
        return uri + (uri.contains("?") ? "&" : "?") + "storeAcks=0";
    }

    /** A destination name not used by any other test of this run. */
    static String unique(String base) {
        return base + "." + NAMES.incrementAndGet();
    }

    static Connection started(SpreadConnectionFactory f) throws JMSException {
        Connection c = f.createConnection();
        c.start();
        return c;
    }

    static <M extends Message> M receive(MessageConsumer c, Class<M> type) throws JMSException {
        Message m = c.receive(ARRIVES_MS);
        assertNotNull(m, "no message within " + ARRIVES_MS + " ms");
        return type.cast(m);
    }
}
