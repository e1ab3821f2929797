package org.spreadjms.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.spreadjms.client.wire.Handshake;

/**
 * A fake daemon that plays a fixed script on the first connection it accepts: expect exact bytes, send bytes, close,
 * or wait for the client to go away. Each read is bounded, so a broken script fails instead of hanging. Failures of
 * the script (wrong bytes, early EOF) are kept and rethrown by {@link #awaitScript}.
 */
final class ScriptedDaemon implements AutoCloseable {
    /** Bound on any single read by the fake: far above anything a passing test waits for. */
    private static final int READ_TIMEOUT_MILLIS = 10_000;

    /** One step of the script. */
    @FunctionalInterface
    interface Step {
        void play(Peer peer) throws Exception;
    }

    /** The accepted connection, as the steps see it. */
    static final class Peer {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Peer(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        byte[] readExactly(int n) throws IOException {
            byte[] b = new byte[n];
            int got = 0;
            while (got < n) {
                int r = in.read(b, got, n - got);
                if (r < 0) {
                    throw new EOFException("client closed after " + got + " of " + n + " expected bytes: "
                            + HexFormat.of().formatHex(b, 0, got));
                }
                got += r;
            }
            return b;
        }
    }

    private final ServerSocket server;
    private final Thread thread;
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile Socket accepted;

    private ScriptedDaemon(List<Step> steps) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> run(steps), "scripted-daemon-" + server.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    static ScriptedDaemon start(Step... steps) throws IOException {
        return new ScriptedDaemon(List.of(steps));
    }

    int port() {
        return server.getLocalPort();
    }

    /** Options for a client of this fake: private name "alice", a 5 s connect bound. */
    SpreadOptions.Builder options() {
        return SpreadOptions.builder().daemon("127.0.0.1", port()).privateName("alice")
                .connectTimeout(Duration.ofSeconds(5));
    }

    /** Waits for the script to finish and rethrows its failure, if any. */
    void awaitScript() throws Exception {
        if (!done.await(READ_TIMEOUT_MILLIS + 5_000L, TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the fake daemon's script did not finish");
        }
        Throwable t = failure.get();
        if (t instanceof Exception e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    private void run(List<Step> steps) {
        try (Socket s = server.accept()) {
            accepted = s;
            s.setSoTimeout(READ_TIMEOUT_MILLIS);
            s.setTcpNoDelay(true);
            Peer peer = new Peer(s);
            for (Step step : steps) {
                step.play(peer);
            }
        } catch (Throwable t) {
            failure.set(t);
        } finally {
            done.countDown();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Socket s = accepted;
        if (s != null) {
            s.close();
        }
        try {
            thread.join(READ_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- steps

    /** Reads exactly these bytes. */
    static Step expect(byte[] expected) {
        return p -> assertArrayEquals(expected, p.readExactly(expected.length),
                "bytes from the client (" + expected.length + " expected)");
    }

    /** Reads {@code n} bytes and hands them to {@code check}. */
    static Step expect(int n, Consumer<byte[]> check) {
        return p -> check.accept(p.readExactly(n));
    }

    /** One read call must return exactly these bytes (the client sent them in one write). */
    static Step expectInOneRead(byte[] expected) {
        return p -> {
            byte[] b = new byte[expected.length + 256];
            int n = p.in.read(b);
            assertArrayEquals(expected, n < 0 ? new byte[0] : Arrays.copyOf(b, n),
                    "bytes of the first read (expected all " + expected.length + " at once)");
        };
    }

    static Step send(byte[] bytes) {
        return p -> {
            p.out.write(bytes);
            p.out.flush();
        };
    }

    static Step send(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return send(b);
    }

    /** Closes the connection (the script ends here). */
    static Step hangUp() {
        return p -> p.socket.close();
    }

    /**
     * Waits, sending nothing, until the client closes; fails if the client sends anything first. A reset counts as
     * the client going away.
     */
    static Step expectEof() {
        return p -> {
            int r;
            try {
                r = p.in.read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the client neither sent nor closed within " + READ_TIMEOUT_MILLIS + " ms");
            } catch (SocketException reset) {
                return;
            }
            if (r >= 0) {
                byte[] more = new byte[4096];
                int n = Math.max(0, p.in.available() > 0 ? p.in.read(more) : 0);
                throw new AssertionError("expected the client to close, but it sent "
                        + HexFormat.of().formatHex(new byte[] {(byte) r}) + HexFormat.of().formatHex(more, 0, n));
            }
        };
    }

    /** Stops reading and sending until the test releases the latch (a daemon that stopped reading). */
    static Step stallUntil(CountDownLatch release) {
        return p -> {
            if (!release.await(READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the test never released the stalled fake daemon");
            }
        };
    }

    /** Sends {@code frame} over and over, never reading, until the test releases the latch. */
    static Step floodUntil(byte[] frame, CountDownLatch stop) {
        return p -> {
            byte[] batch = new byte[frame.length * 64];
            for (int i = 0; i < 64; i++) {
                System.arraycopy(frame, 0, batch, i * frame.length, frame.length);
            }
            while (stop.getCount() > 0) {
                p.out.write(batch);
            }
        };
    }

    /** Plays the daemon side of a normal 4.0.0 handshake with NULL authentication. */
    static Step handshake(String privateName, String privateGroup, String authList) {
        byte[] request = Handshake.connectRequest(4, 0, 0, true, false, privateName);
        byte[] list = Handshake.authList(List.of(authList.trim().split(" +")));
        byte[] accept = Handshake.accept(4, 0, 0, true, privateGroup);
        return p -> {
            expectInOneRead(request).play(p);
            send(list).play(p);
            expect(Handshake.authChoice("NULL")).play(p);
            send(accept).play(p);
        };
    }

    /** The handshake of a client "alice" that is given {@code #alice#localhost}. */
    static Step aliceHandshake() {
        return handshake("alice", "#alice#localhost", "NULL");
    }
}
