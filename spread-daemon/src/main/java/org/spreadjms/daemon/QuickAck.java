package org.spreadjms.daemon;

import java.io.IOException;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;

import jdk.net.ExtendedSocketOptions;

/**
 * Acknowledges received TCP data at once instead of after the delayed-ACK timer (Linux TCP_QUICKACK).
 *
 * <p>Why: the official Spread Java client writes each message as two segments (header, then data) without
 * TCP_NODELAY, so Nagle holds the data until the header is acknowledged. A daemon that delays its ACK (40 ms on Linux)
 * then caps such a client at about one window per 40 ms. The kernel clears quick-ack mode by itself, so it is asked
 * for again after every read. Where the option is unknown (not Linux) this does nothing.
 */
final class QuickAck {
    private static final SocketOption<Boolean> OPTION = lookup();

    private QuickAck() {
    }

    private static SocketOption<Boolean> lookup() {
        try {
            return ExtendedSocketOptions.TCP_QUICKACK;
        } catch (LinkageError e) {
            return null;
        }
    }

    static void request(SocketChannel ch) {
        if (OPTION == null) {
            return;
        }
        try {
            ch.setOption(OPTION, true);
        } catch (IOException | UnsupportedOperationException e) {
            // not available on this platform or socket: delayed ACKs only cost latency with Nagle-bound clients
        }
    }
}
