package org.spreadjms.client.transport;

import java.io.IOException;
import java.time.Duration;

/**
 * The byte stream to a daemon. A seam: tests plug in faulty transports here.
 *
 * <p>{@link #read} may be called by one thread while another calls {@link #write}; writes are serialised by the
 * caller. {@link #close} may be called from any thread and releases blocked reads and writes with an exception.
 */
public interface Transport extends AutoCloseable {
    /**
     * Reads at least one byte.
     *
     * @return bytes read, or -1 at end of stream
     * @throws java.net.SocketTimeoutException if nothing arrived within the read timeout (the transport stays usable)
     */
    int read(byte[] buffer, int offset, int length) throws IOException;

    /** Writes all bytes, in one write call where the transport can. */
    void write(byte[] buffer, int offset, int length) throws IOException;

    /** Sets how long {@link #read} waits before throwing {@link java.net.SocketTimeoutException}. */
    void readTimeout(Duration timeout) throws IOException;

    String remoteAddress();

    /**
     * Ends the outgoing direction (TCP FIN after everything written) while reads go on, so the daemon reads every
     * byte written before it sees the end. Transports that cannot half-close do nothing.
     */
    default void shutdownOutput() {
    }

    @Override
    void close();
}
