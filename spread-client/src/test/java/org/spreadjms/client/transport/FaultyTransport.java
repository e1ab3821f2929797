package org.spreadjms.client.transport;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real socket transport that can be told to fail: every write, or every read, then throws IOException as a broken
 * socket would. The switches are per instance (no static fault flags), flipped by the test after the handshake.
 */
public final class FaultyTransport implements Transport {
    private final Transport delegate;
    private volatile boolean failWrites;
    private volatile boolean failReads;
    private final AtomicInteger failedWrites = new AtomicInteger();

    public FaultyTransport(Transport delegate) {
        this.delegate = delegate;
    }

    public void failWrites() {
        failWrites = true;
    }

    public void failReads() {
        failReads = true;
    }

    /** Writes refused so far. */
    public int failedWrites() {
        return failedWrites.get();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (failReads) {
            throw new IOException("injected read failure");
        }
        return delegate.read(buffer, offset, length);
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        if (failWrites) {
            failedWrites.incrementAndGet();
            throw new IOException("injected write failure");
        }
        delegate.write(buffer, offset, length);
    }

    @Override
    public void readTimeout(Duration timeout) throws IOException {
        delegate.readTimeout(timeout);
    }

    @Override
    public String remoteAddress() {
        return delegate.remoteAddress();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
