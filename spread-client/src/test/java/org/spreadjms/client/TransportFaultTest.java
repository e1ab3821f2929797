package org.spreadjms.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spreadjms.client.ScriptedDaemon.aliceHandshake;
import static org.spreadjms.client.ScriptedDaemon.expect;
import static org.spreadjms.client.ScriptedDaemon.expectEof;
import static org.spreadjms.client.ScriptedDaemon.stallUntil;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.client.transport.FaultyTransport;
import org.spreadjms.client.transport.TransportFactory;
import org.spreadjms.client.wire.CaptureVectors;

/** Faults injected at the transport seam end the connection cleanly, and every later call says so. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TransportFaultTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void failedWriteMakesMulticastAndLaterCallsThrowConnectionClosed() throws Exception {
        AtomicReference<FaultyTransport> transport = new AtomicReference<>();
        TransportFactory factory = (host, port, timeout) -> {
            FaultyTransport t = new FaultyTransport(TransportFactory.TCP.connect(host, port, timeout));
            transport.set(t);
            return t;
        };
        try (ScriptedDaemon d = ScriptedDaemon.start(aliceHandshake(), expectEof())) {
            SpreadConnection c = SpreadConnection.connect(d.options().build(), factory);
            transport.get().failWrites();

            SpreadException e = assertThrows(SpreadException.ConnectionClosedException.class,
                    () -> c.multicast(ServiceType.AGREED, "demo", (short) 0, new byte[] {1}));
            assertEquals(SpreadError.CONNECTION_CLOSED, e.error());
            assertTrue(e.getMessage().contains("injected write failure"), e.getMessage());
            assertFalse(c.isOpen());
            assertEquals(1, transport.get().failedWrites());

            assertThrows(SpreadException.ConnectionClosedException.class,
                    () -> c.multicast(ServiceType.AGREED, "demo", (short) 0, new byte[] {2}));
            assertThrows(SpreadException.ConnectionClosedException.class, () -> c.join("demo"));
            assertThrows(SpreadException.ConnectionClosedException.class, () -> c.receive(WAIT));
            assertEquals(1, transport.get().failedWrites(), "calls after the loss must not touch the transport");
            c.disconnect(); // no KILL can go out; must not throw or hang
            d.awaitScript(); // the client closed the socket
        }
    }

    @Test
    void failedReadEndsTheConnectionForReceivers() throws Exception {
        AtomicReference<FaultyTransport> transport = new AtomicReference<>();
        TransportFactory factory = (host, port, timeout) -> {
            FaultyTransport t = new FaultyTransport(TransportFactory.TCP.connect(host, port, timeout));
            transport.set(t);
            return t;
        };
        CountDownLatch lost = new CountDownLatch(1);
        try (ScriptedDaemon d = ScriptedDaemon.start(aliceHandshake(), expectEof())) {
            SpreadConnection c = SpreadConnection.connect(d.options().build(), factory);
            transport.get().failReads();
            c.addListener(new SpreadListener() {
                @Override
                public void onConnectionLost(SpreadException cause) {
                    lost.countDown();
                }
            });
            // the reader is parked in a read with a 250 ms tick; the next read after the tick fails
            assertTrue(lost.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "loss not reported");
            assertFalse(c.isOpen());
            assertThrows(SpreadException.ConnectionClosedException.class, () -> c.join("demo"));
            d.awaitScript();
        }
    }

    @Test
    void daemonThatStopsReadingIsTakenAsLostAfterTheWriteTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ScriptedDaemon d = ScriptedDaemon.start(aliceHandshake(), stallUntil(release))) {
            SpreadConnection c = SpreadConnection.connect(d.options().writeTimeout(Duration.ofMillis(500)).build());
            byte[] big = new byte[DaemonLimits.SPREAD_4.maxDataBytes(1)];
            long start = System.nanoTime();
            SpreadException e = assertThrows(SpreadException.ConnectionClosedException.class, () -> {
                while (true) { // fills the socket buffers, then blocks until the reader declares the daemon lost
                    c.multicast(ServiceType.RELIABLE, "demo", (short) 0, big);
                }
            });
            release.countDown();
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(SpreadError.CONNECTION_CLOSED, e.error());
            assertTrue(e.getMessage().contains("blocked"), e.getMessage());
            assertTrue(tookMillis < 5_000, "took " + tookMillis + " ms");
            assertFalse(c.isOpen());
            d.awaitScript();
        }
    }

    @Test
    void disconnectWhileAWriteIsStuckReturnsAfterTheWriteTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ScriptedDaemon d = ScriptedDaemon.start(aliceHandshake(), stallUntil(release))) {
            SpreadConnection c = SpreadConnection.connect(d.options().writeTimeout(Duration.ofMillis(500)).build());
            byte[] big = new byte[DaemonLimits.SPREAD_4.maxDataBytes(1)];
            Thread sender = new Thread(() -> {
                try {
                    while (true) { // fills the socket buffers, then blocks: the daemon reads nothing
                        c.multicast(ServiceType.RELIABLE, "demo", (short) 0, big);
                    }
                } catch (SpreadException end) {
                    // the connection was closed under it
                }
            }, "test-sender");
            sender.start();
            Thread.sleep(200); // the sender is stuck now, and not yet past the write timeout
            long start = System.nanoTime();
            c.disconnect(); // its KILL waits behind the stuck write: the watchdog must end both
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            release.countDown();
            assertTrue(tookMillis < 5_000, "disconnect took " + tookMillis + " ms");
            assertFalse(c.isOpen());
            sender.join(5_000);
            assertFalse(sender.isAlive(), "the stuck sender was never released");
        }
    }

    @Test
    void daemonThatStopsReadingButKeepsSendingIsTakenAsLostAfterTheWriteTimeout() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        try (ScriptedDaemon d = ScriptedDaemon.start(aliceHandshake(),
                ScriptedDaemon.floodUntil(CaptureVectors.bytes("bob: AGREED message"), stop))) {
            SpreadConnection c = SpreadConnection.connect(d.options().writeTimeout(Duration.ofMillis(500)).build());
            Thread receiver = new Thread(() -> {
                try {
                    while (c.receive(WAIT) != null) {
                        // drain: the application keeps up with the daemon
                    }
                } catch (SpreadException | InterruptedException end) {
                    // the connection ended; the assertions below tell why
                }
            }, "test-receiver");
            receiver.start();
            byte[] big = new byte[DaemonLimits.SPREAD_4.maxDataBytes(1)];
            AtomicReference<SpreadException> failure = new AtomicReference<>();
            CountDownLatch failed = new CountDownLatch(1);
            Thread sender = new Thread(() -> {
                try {
                    while (true) {
                        c.multicast(ServiceType.RELIABLE, "demo", (short) 0, big);
                    }
                } catch (SpreadException e) {
                    failure.set(e);
                    failed.countDown();
                }
            }, "test-sender");
            sender.start();
            boolean detected = failed.await(3, TimeUnit.SECONDS);
            stop.countDown(); // ends the flood; the fake then hangs up, which frees a blocked sender anyway
            c.disconnect();
            sender.join(WAIT.toMillis());
            receiver.join(WAIT.toMillis());
            assertTrue(detected, "a write blocked for 3 s with a 500 ms write timeout was not detected");
            assertTrue(failure.get().getMessage().contains("blocked"), failure.get().getMessage());
        }
    }

    @Test
    void transportFactoryFailureIsCouldNotConnect() {
        TransportFactory refusing = (host, port, timeout) -> {
            throw new java.net.ConnectException("injected connect failure");
        };
        SpreadException e = assertThrows(SpreadException.class, () -> SpreadConnection.connect(
                SpreadOptions.builder().daemon("127.0.0.1", 4803).privateName("alice").build(), refusing));
        assertEquals(SpreadError.COULD_NOT_CONNECT, e.error());
        assertNotNull(e.getCause());
        assertTrue(e.getMessage().contains("injected connect failure"), e.getMessage());
    }

    @Test
    void handshakeBytesGoThroughTheTransportSeam() throws Exception {
        AtomicReference<FaultyTransport> transport = new AtomicReference<>();
        TransportFactory factory = (host, port, timeout) -> {
            FaultyTransport t = new FaultyTransport(TransportFactory.TCP.connect(host, port, timeout));
            transport.set(t);
            return t;
        };
        try (ScriptedDaemon d = ScriptedDaemon.start(aliceHandshake(),
                expect(CaptureVectors.bytes("alice: KILL (disconnect)")), expectEof())) {
            SpreadConnection c = SpreadConnection.connect(d.options().build(), factory);
            assertNotNull(transport.get());
            c.disconnect();
            d.awaitScript();
        }
    }
}
