package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;

import org.spreadjms.client.DataMessage;
import org.spreadjms.client.ReceivedMessage;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadOptions;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

/** A plain (non-JMS) Spread program for interop tests: the spread-client API only. */
final class RawSpreadClient implements AutoCloseable {
    private final SpreadConnection connection;

    RawSpreadClient(SpreadDaemonExtension daemon) throws Exception {
        connection = SpreadConnection.connect(SpreadOptions.builder().daemon("127.0.0.1", daemon.port()).build());
    }

    SpreadConnection connection() {
        return connection;
    }

    /** Joins and waits for the daemon's confirmation. */
    RawSpreadClient join(String group) throws Exception {
        connection.join(group, Duration.ofSeconds(5));
        return this;
    }

    /** The next data message, skipping membership messages. */
    DataMessage nextData() throws Exception {
        long deadline = System.nanoTime() + Duration.ofMillis(JmsTestSupport.ARRIVES_MS).toNanos();
        while (System.nanoTime() < deadline) {
            ReceivedMessage m = connection.receive(Duration.ofNanos(deadline - System.nanoTime()));
            if (m instanceof DataMessage d) {
                return d;
            }
        }
        assertNotNull(null, "no data message within " + JmsTestSupport.ARRIVES_MS + " ms");
        return null;
    }

    @Override
    public void close() {
        connection.close();
    }
}
