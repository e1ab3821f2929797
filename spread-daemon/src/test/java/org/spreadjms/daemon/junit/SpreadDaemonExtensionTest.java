package org.spreadjms.daemon.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.client.wire.Handshake;
import org.spreadjms.daemon.EmbeddedSpreadDaemon;

@Timeout(30)
class SpreadDaemonExtensionTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension(b -> b.name("ext"));

    @Test
    void runsADaemonOnAFreeLoopbackPort(EmbeddedSpreadDaemon injected) throws IOException {
        assertSame(daemon.daemon(), injected);
        assertTrue(injected.isRunning());
        assertEquals("127.0.0.1", injected.bindAddress().getHostAddress());
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), daemon.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(Handshake.connectRequest(4, 0, 0, false, false, "x"));
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] list = new byte[in.readUnsignedByte()];
            in.readFully(list);
            assertEquals("NULL SPREADJMS-LIMITS ", new String(list, "ISO-8859-1"));
        }
    }

    @Nested
    class Inner {
        @Test
        void sharesTheOuterDaemon(EmbeddedSpreadDaemon injected) {
            assertSame(daemon.daemon(), injected);
            assertEquals("ext", injected.name());
        }
    }
}
