package org.spreadjms.client.transport;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A UNIX-domain stream socket to a local daemon. Spread daemons also listen on {@code /tmp/<port>} with the same
 * byte protocol, and the C library uses that socket when the daemon is given as a bare port ({@code "4803"}); it
 * avoids the TCP stack on both sides. Reads honour the read timeout through a selector.
 */
public final class UnixSocketTransport implements Transport {
    private final SocketChannel channel;
    private final Selector readSelector;
    private final Path path;
    private volatile long readTimeoutMillis;
    /** Guards {@link #writeSelector} against close(): none is opened after close, none is left open by it. */
    private final Object writeSelectorLock = new Object();
    private Selector writeSelector;
    private boolean closed;

    private UnixSocketTransport(SocketChannel channel, Selector readSelector, Path path) {
        this.channel = channel;
        this.readSelector = readSelector;
        this.path = path;
    }

    /** Connects to the socket file of a daemon's port: {@code /tmp/<port>}. */
    public static Path socketPath(int port) {
        return Path.of("/tmp", Integer.toString(port));
    }

    public static UnixSocketTransport connect(Path path) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(path));
            ch.configureBlocking(false);
            Selector sel = Selector.open();
            ch.register(sel, SelectionKey.OP_READ);
            return new UnixSocketTransport(ch, sel, path);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buffer, offset, length);
        synchronized (readSelector) {
            while (true) {
                int n = channel.read(bb);
                if (n != 0) {
                    return n;
                }
                long timeout = readTimeoutMillis;
                int ready;
                try {
                    ready = timeout > 0 ? readSelector.select(timeout) : readSelector.select();
                } catch (ClosedSelectorException e) {
                    throw new IOException("socket closed", e);
                }
                readSelector.selectedKeys().clear();
                if (!channel.isOpen()) {
                    throw new IOException("socket closed");
                }
                if (ready == 0 && timeout > 0) {
                    throw new SocketTimeoutException("no data within " + timeout + " ms");
                }
            }
        }
    }

    /**
     * Writes everything, waiting for room in the socket as long as it takes. An interrupt does not cut a frame short
     * (that would corrupt the stream): the write goes on and the thread's interrupt status is restored afterwards.
     * Only one thread writes at a time (the connection's frame writer sees to that).
     */
    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buffer, offset, length);
        boolean interrupted = false;
        try {
            while (bb.hasRemaining()) {
                if (channel.write(bb) == 0) {
                    // an interrupted thread's select returns at once: clear the status so the wait is a wait
                    interrupted |= Thread.interrupted();
                    Selector sel = writeSelector();
                    sel.select(100);
                    sel.selectedKeys().clear();
                    if (!channel.isOpen()) {
                        throw new IOException("socket closed");
                    }
                }
            }
        } catch (ClosedSelectorException e) {
            throw new IOException("socket closed", e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The selector a blocked write waits on, opened by the first write that has to wait and kept until close. */
    private Selector writeSelector() throws IOException {
        synchronized (writeSelectorLock) {
            if (closed) {
                throw new IOException("socket closed");
            }
            if (writeSelector == null) {
                Selector sel = Selector.open();
                try {
                    channel.register(sel, SelectionKey.OP_WRITE);
                } catch (IOException | RuntimeException e) {
                    sel.close();
                    throw e;
                }
                writeSelector = sel;
            }
            return writeSelector;
        }
    }

    @Override
    public void readTimeout(Duration timeout) {
        readTimeoutMillis = Math.max(1, timeout.toMillis());
    }

    @Override
    public String remoteAddress() {
        return path.toString();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing left to tell the caller
        }
        readSelector.wakeup();
        try {
            readSelector.close();
        } catch (IOException ignored) {
            // closing
        }
        Selector w;
        synchronized (writeSelectorLock) {
            closed = true;
            w = writeSelector;
        }
        if (w != null) {
            w.wakeup();
            try {
                w.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
