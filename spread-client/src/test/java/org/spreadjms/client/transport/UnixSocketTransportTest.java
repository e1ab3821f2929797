package org.spreadjms.client.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The UNIX-domain transport against a plain UNIX server socket that reads only when told to. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UnixSocketTransportTest {
    private Path dir;
    private Path socket;
    private ServerSocketChannel server;

    @BeforeEach
    void listen() throws IOException {
        dir = Files.createTempDirectory("spread-unix");
        socket = dir.resolve("4803");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
    }

    @AfterEach
    void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
        Files.deleteIfExists(dir);
    }

    @Test
    void anInterruptDuringABlockedWriteNeitherCutsTheFrameNorClosesTheSocketNorSpins() throws Exception {
        byte[] frame = new byte[8 * 1024 * 1024]; // far more than the socket buffers hold: the write must wait
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (byte) (i * 31);
        }
        try (UnixSocketTransport t = UnixSocketTransport.connect(socket); SocketChannel peer = server.accept()) {
            AtomicBoolean interruptedAfter = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                try {
                    t.write(frame, 0, frame.length);
                    interruptedAfter.set(Thread.currentThread().isInterrupted());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            Thread.sleep(200); // the writer is now waiting for room
            assertTrue(writer.isAlive(), "the write did not block");
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            writer.interrupt();
            long cpuBefore = threads.getThreadCpuTime(writer.getId());
            Thread.sleep(300);
            long cpuSpent = threads.getThreadCpuTime(writer.getId()) - cpuBefore;
            // an interrupted thread's select returns at once: without clearing the status the wait would spin
            assertTrue(cpuSpent < TimeUnit.MILLISECONDS.toNanos(100), "the waiting writer used "
                    + cpuSpent / 1_000_000 + " ms of CPU in 300 ms");
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            ByteBuffer bb = ByteBuffer.allocate(64 * 1024);
            while (got.size() < frame.length) {
                bb.clear();
                int n = peer.read(bb);
                assertTrue(n > 0, "socket closed after " + got.size() + " bytes");
                got.write(bb.array(), 0, n);
            }
            writer.join(10_000);
            assertArrayEquals(frame, got.toByteArray());
            assertTrue(interruptedAfter.get(), "the interrupt status was lost");
            // the transport still works both ways
            t.write(new byte[] {1, 2, 3}, 0, 3);
            bb.clear();
            assertEquals(3, peer.read(bb));
            peer.write(ByteBuffer.wrap(new byte[] {9}));
            byte[] one = new byte[1];
            assertEquals(1, t.read(one, 0, 1));
            assertEquals(9, one[0]);
        }
    }

    @Test
    void closingReleasesAWriterWaitingForRoomWithAnError() throws Exception {
        try (UnixSocketTransport t = UnixSocketTransport.connect(socket); SocketChannel peer = server.accept()) {
            CompletableFuture<Void> write = CompletableFuture.runAsync(() -> {
                try {
                    t.write(new byte[8 * 1024 * 1024], 0, 8 * 1024 * 1024);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Thread.sleep(200);
            t.close();
            Exception e = assertThrows(Exception.class, () -> write.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof java.io.UncheckedIOException, String.valueOf(e.getCause()));
            peer.close();
        }
    }
}
