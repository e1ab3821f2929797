package org.spreadjms.daemon.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.ReceivedMessage;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadOptions;
import org.spreadjms.daemon.DaemonCounters;
import org.spreadjms.daemon.EmbeddedSpreadDaemon;

/**
 * 1,000 concurrent client sessions and 10,000 groups on one embedded daemon: every join confirmed, one message to
 * every group delivered to its member. Prints the time and the heap used (clients and daemon share the JVM).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ScaleTest {
    private static final int CONNECTIONS = 1000;
    private static final int GROUPS_PER_CONNECTION = 10;

    @Test
    void thousandSessionsAndTenThousandGroups() throws Exception {
        long t0 = System.nanoTime();
        EmbeddedSpreadDaemon d = EmbeddedSpreadDaemon.builder().port(0).maxSessions(CONNECTIONS + 10).start();
        List<SpreadConnection> cs = new ArrayList<>();
        try {
            for (int i = 0; i < CONNECTIONS; i++) {
                cs.add(SpreadConnection.connect(SpreadOptions.builder().daemon("127.0.0.1", d.port())
                        .privateName("s" + i).receiveBufferBytes(64 * 1024).build()));
            }
            long connected = System.nanoTime();
            for (int i = 0; i < CONNECTIONS; i++) {
                for (int g = 0; g < GROUPS_PER_CONNECTION; g++) {
                    cs.get(i).join("g" + i + "x" + g);
                }
            }
            SpreadConnection sender = cs.get(0);
            for (int i = 0; i < CONNECTIONS; i++) {
                for (int g = 0; g < GROUPS_PER_CONNECTION; g++) {
                    sender.multicast(ServiceType.AGREED, "g" + i + "x" + g, (short) g, new byte[16]);
                }
            }
            for (int i = 0; i < CONNECTIONS; i++) {
                int data = 0;
                int membership = 0;
                while (data < GROUPS_PER_CONNECTION) {
                    ReceivedMessage m = cs.get(i).receive(Duration.ofSeconds(10));
                    assertTrue(m != null, "connection " + i + " got " + data + " data messages");
                    if (m instanceof DataMessage) {
                        data++;
                    } else {
                        membership++;
                    }
                }
                if (i != 0) {
                    assertEquals(GROUPS_PER_CONNECTION, membership, "one join notice per group before its message");
                }
            }
            long delivered = System.nanoTime();
            DaemonCounters c = d.counters();
            assertEquals(CONNECTIONS, c.sessions());
            assertEquals(CONNECTIONS * GROUPS_PER_CONNECTION, c.groups());
            Runtime rt = Runtime.getRuntime();
            System.gc();
            long heapMb = (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
            System.out.printf("scale: %d sessions connected in %d ms; %d groups joined and one message each"
                            + " delivered in %d ms; heap used after GC %d MiB (daemon and all clients); daemon %s%n",
                    CONNECTIONS, TimeUnit.NANOSECONDS.toMillis(connected - t0), c.groups(),
                    TimeUnit.NANOSECONDS.toMillis(delivered - connected), heapMb, c);
        } finally {
            cs.forEach(SpreadConnection::disconnect);
            d.stop();
        }
    }
}
