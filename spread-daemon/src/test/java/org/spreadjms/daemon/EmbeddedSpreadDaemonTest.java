package org.spreadjms.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.client.SpreadConstants;

@Timeout(30)
class EmbeddedSpreadDaemonTest {
    @Test
    void refusesIllegalDaemonNames() {
        EmbeddedSpreadDaemon.Builder b = EmbeddedSpreadDaemon.builder();
        assertThrows(IllegalArgumentException.class, () -> b.name("twenty-characters-xx"));
        assertThrows(IllegalArgumentException.class, () -> b.name("a#b"));
        assertThrows(IllegalArgumentException.class, () -> b.name(""));
        assertThrows(IllegalArgumentException.class, () -> b.port(65536));
        assertThrows(IllegalArgumentException.class, () -> b.maxSessions(0));
        assertThrows(IllegalArgumentException.class, () -> b.handshakeTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> DaemonLimits.defaults().withMessageLimits(101, 1000, 1000));
        b.name("nineteen-characters");
    }

    @Test
    void stopClosesClientsAndThePort() throws IOException {
        EmbeddedSpreadDaemon d = EmbeddedSpreadDaemon.builder().start();
        int port = d.port();
        assertTrue(port > 0);
        assertEquals(port + "@127.0.0.1", d.spreadAddress());
        assertThrows(IllegalStateException.class, d::start);
        try (RawSpreadClient c = RawSpreadClient.connect(port, "stopme", true)) {
            d.stop();
            assertFalse(d.isRunning());
            assertEquals(0, c.readToEnd());
        }
        d.stop();
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
    }

    @Test
    void countsSessionsGroupsAndMessages() throws IOException {
        try (EmbeddedSpreadDaemon d = EmbeddedSpreadDaemon.builder().start();
             RawSpreadClient a = RawSpreadClient.connect(d.port(), "ca", true);
             RawSpreadClient b = RawSpreadClient.connect(d.port(), "cb", true)) {
            a.joinAndAwait("g1");
            b.joinAndAwait("g1");
            b.joinAndAwait("g2");
            a.multicast(SpreadConstants.AGREED_MESS, 0, "x", "g1");
            b.readUntil("x");
            DaemonCounters c = d.counters();
            assertEquals(2, c.sessions());
            assertEquals(2, c.groups());
            assertEquals(2, c.sessionsAccepted());
            assertEquals(1, c.messagesIn());
            // joins: 1 + 2 + 1 notices; the message: 2 copies
            assertEquals(6, c.messagesOut());
            assertEquals(0, c.slowClientDrops());
            assertEquals(0, c.malformedFrames());
        }
    }
}
