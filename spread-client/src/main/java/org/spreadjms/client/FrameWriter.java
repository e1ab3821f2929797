package org.spreadjms.client;

import java.io.IOException;

import org.spreadjms.client.transport.Transport;
import org.spreadjms.client.wire.FrameEncoder;
import org.spreadjms.client.wire.FrameHeader;
import org.spreadjms.client.wire.GroupNames;

/**
 * Writes frames from many threads: one lock, one reused buffer, one write call per frame (header, group slots and
 * data together). Records when a write started so the reader can detect a daemon that stopped reading.
 */
final class FrameWriter {
    private final Transport transport;
    private final byte[] senderSlot;
    private byte[] buffer = new byte[16 * 1024];
    private volatile long writeStartedNanos;

    FrameWriter(Transport transport, String privateGroup) {
        this.transport = transport;
        this.senderSlot = GroupNames.toSlot(privateGroup);
    }

    /**
     * Writes one frame.
     *
     * @param type  type word without the marker
     * @param slots 32-byte destination slots
     */
    void write(int type, byte[][] slots, short messType, byte[] data, int offset, int length) throws IOException {
        int total = FrameEncoder.frameLength(slots.length, length);
        synchronized (this) {
            if (buffer.length < total) {
                buffer = new byte[Math.max(total, buffer.length * 2)];
            }
            byte[] b = buffer;
            FrameEncoder.writeHeader(b, 0, type, senderSlot, slots.length, FrameHeader.hintLittleEndian(messType),
                    length);
            int p = FrameHeader.LENGTH;
            for (byte[] slot : slots) {
                FrameEncoder.writeSlot(b, p, slot);
                p += GroupNames.SLOT_BYTES;
            }
            System.arraycopy(data, offset, b, p, length);
            writeStartedNanos = System.nanoTime();
            try {
                transport.write(b, 0, total);
            } finally {
                writeStartedNanos = 0;
            }
            if (buffer.length > 1024 * 1024) {
                buffer = new byte[16 * 1024]; // do not pin a large buffer after one large message
            }
        }
    }

    /** Nanos a write has been blocked, or 0 if none is under way. */
    long blockedNanos() {
        long started = writeStartedNanos;
        return started == 0 ? 0 : System.nanoTime() - started;
    }
}
