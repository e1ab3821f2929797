package org.spreadjms.daemon.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadError;
import org.spreadjms.client.SpreadException;
import org.spreadjms.client.SpreadListener;
import org.spreadjms.client.SpreadOptions;
import org.spreadjms.daemon.EmbeddedSpreadDaemon;

/** A daemon that goes away: every blocked caller is released with an error, listeners are told once. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConnectionLossTest {
    private static SpreadConnection connect(EmbeddedSpreadDaemon d, String name) throws SpreadException {
        return SpreadConnection.connect(SpreadOptions.builder().daemon("127.0.0.1", d.port()).privateName(name)
                .build());
    }

    @Test
    void stoppingTheDaemonReleasesBlockedReceiversAndFailsLaterCalls() throws Exception {
        EmbeddedSpreadDaemon d = EmbeddedSpreadDaemon.builder().port(0).start();
        try {
            SpreadConnection receiver = connect(d, "rcv");
            receiver.join("loss", Duration.ofSeconds(5));
            receiver.receive(Duration.ofSeconds(5));
            CompletableFuture<Throwable> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    receiver.receive();
                    return null;
                } catch (Exception e) {
                    return e;
                }
            });
            d.stop();
            Throwable t = blocked.get(10, TimeUnit.SECONDS);
            SpreadException e = assertInstanceOf(SpreadException.ConnectionClosedException.class, t);
            assertEquals(SpreadError.CONNECTION_CLOSED, e.error());
            assertFalse(receiver.isOpen());
            assertThrows(SpreadException.ConnectionClosedException.class,
                    () -> receiver.multicast(ServiceType.AGREED, "loss", (short) 0, new byte[1]));
            assertThrows(SpreadException.ConnectionClosedException.class, () -> receiver.join("other"));
            receiver.disconnect();
        } finally {
            d.stop();
        }
    }

    @Test
    void listenersHearOfTheLossExactlyOnceAfterEarlierMessages() throws Exception {
        EmbeddedSpreadDaemon d = EmbeddedSpreadDaemon.builder().port(0).start();
        try {
            SpreadConnection c = connect(d, "lsn");
            AtomicInteger messages = new AtomicInteger();
            AtomicInteger losses = new AtomicInteger();
            CountDownLatch lost = new CountDownLatch(1);
            c.addListener(new SpreadListener() {
                @Override
                public void onMessage(org.spreadjms.client.DataMessage message) {
                    messages.incrementAndGet();
                }

                @Override
                public void onConnectionLost(SpreadException cause) {
                    losses.incrementAndGet();
                    lost.countDown();
                }
            });
            c.join("loss2", Duration.ofSeconds(5));
            for (int i = 0; i < 100; i++) {
                c.multicast(ServiceType.AGREED, "loss2", (short) 0, new byte[] {(byte) i});
            }
            // a marker round trip: all 100 are in the daemon's order before the stop
            c.join("loss3", Duration.ofSeconds(5));
            d.stop();
            assertTrue(lost.await(10, TimeUnit.SECONDS));
            assertEquals(1, losses.get());
            assertEquals(100, messages.get());
            c.disconnect();
            assertEquals(1, losses.get(), "disconnect after a loss reports nothing more");
        } finally {
            d.stop();
        }
    }
}
