package org.spreadjms.client;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.transport.Transport;
import org.spreadjms.client.wire.FrameDecoder;
import org.spreadjms.client.wire.MalformedFrameException;
import org.spreadjms.client.wire.RawFrame;

/**
 * The connection's reader thread: reads the socket, decodes frames, updates group views, hands messages to the
 * inbound queue. It never runs application code. It wakes every {@link #TICK} to check that no write is stuck.
 */
final class MessageReader implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(MessageReader.class);
    static final Duration TICK = Duration.ofMillis(250);

    private final SpreadConnection connection;
    private final Transport transport;
    private final FrameDecoder decoder;
    private final FrameConverter converter;
    private final MembershipTracker tracker;
    private final InboundQueue queue;
    private final FrameWriter writer;
    private final long writeTimeoutNanos;

    MessageReader(SpreadConnection connection, Transport transport, int maxFrameBytes, MembershipTracker tracker,
                  InboundQueue queue, FrameWriter writer, Duration writeTimeout) {
        this.connection = connection;
        this.transport = transport;
        this.decoder = FrameDecoder.forClient(maxFrameBytes);
        this.converter = new FrameConverter(connection.privateGroup());
        this.tracker = tracker;
        this.queue = queue;
        this.writer = writer;
        this.writeTimeoutNanos = writeTimeout.toNanos();
    }

    @Override
    public void run() {
        byte[] buf = new byte[64 * 1024];
        ByteBuffer bb = ByteBuffer.wrap(buf);
        try {
            transport.readTimeout(TICK);
            while (true) {
                int n;
                try {
                    n = transport.read(buf, 0, buf.length);
                } catch (SocketTimeoutException tick) {
                    checkWriter();
                    if (!connection.isOpen() && !connection.closedByUser()) {
                        return;
                    }
                    continue; // during disconnect(): keep watching its writes until the socket is closed
                }
                if (n < 0) {
                    connection.lost(SpreadException.of(SpreadError.CONNECTION_CLOSED, decoder.midFrame()
                            ? "daemon closed the connection in the middle of a message (it cuts off clients that"
                            + " fall too far behind)" : "daemon closed the connection", null));
                    return;
                }
                checkWriter();
                if (!connection.isOpen()) {
                    if (connection.closedByUser()) {
                        continue; // disconnecting: deliver nothing more, but keep watching its writes
                    }
                    return; // declared lost meanwhile: deliver nothing more
                }
                bb.clear().limit(n);
                RawFrame f;
                while ((f = decoder.decode(bb)) != null) {
                    if (!deliver(f)) {
                        return;
                    }
                }
            }
        } catch (MalformedFrameException e) {
            connection.lost(new SpreadException.ConnectionClosedException(SpreadError.ILLEGAL_MESSAGE,
                    "malformed frame from the daemon: " + e.getMessage() + "; connection closed", e));
        } catch (IOException e) {
            connection.lost(SpreadException.of(SpreadError.CONNECTION_CLOSED, "connection to the daemon failed: "
                    + e, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connection.lost(SpreadException.of(SpreadError.CONNECTION_CLOSED, "reader interrupted", e));
        } catch (RuntimeException | Error e) {
            LOG.error("reader of {} failed", connection.privateGroup(), e);
            connection.lost(SpreadException.of(SpreadError.CONNECTION_CLOSED, "reader failed: " + e, e));
        }
    }

    private boolean deliver(RawFrame f) throws MalformedFrameException, InterruptedException {
        if (LOG.isTraceEnabled()) {
            LOG.trace("{} <- {}", connection.privateGroup(), f);
        }
        ReceivedMessage m = converter.convert(f);
        if (m instanceof MembershipMessage mm) {
            tracker.update(mm);
        } else if (m instanceof DataMessage d) {
            if (d.rejected()) {
                connection.refused(d);
            } else if (AccessChecks.isEcho(d, connection.privateGroup())) {
                connection.accessChecks().echoed(d);
                return true;
            }
        }
        return queue.put(m, TICK.toNanos(), this::checkWriter);
    }

    private void checkWriter() {
        long blocked = writer.blockedNanos();
        if (blocked > writeTimeoutNanos) {
            connection.writeStuck(SpreadException.of(SpreadError.CONNECTION_CLOSED, "a write to the daemon has been"
                    + " blocked for " + Duration.ofNanos(blocked).toMillis() + " ms (write timeout "
                    + Duration.ofNanos(writeTimeoutNanos).toMillis() + " ms): daemon taken as lost", null));
        }
    }
}
