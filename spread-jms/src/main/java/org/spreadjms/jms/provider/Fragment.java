package org.spreadjms.jms.provider;

import java.nio.ByteBuffer;

/**
 * One piece of a message too large for one Spread message, tagged with Spread message type {@link #MESS_TYPE}.
 *
 * <pre>
 *  offset size field
 *  0      1    magic 'F'
 *  1      1    version 1
 *  2      2    message type of the whole message
 *  4      8    message key: unique per sending connection
 *  12     4    fragment index, 0..count-1
 *  16     4    fragment count
 *  20     8    total length of the whole message
 *  28     ...  this fragment's bytes
 * </pre>
 * Big-endian. The fragments of one message are sent in order with the message's service type, so the message is
 * complete, at every receiver, when its last fragment arrives in that service type's order.
 *
 * <p>Public because store members (spread-store) send stored messages back out, and receive senders' messages, in
 * the same pieces ({@link #split}, {@link Reassembly}).
 */
public record Fragment(short messType, long key, int index, int count, long totalLength, byte[] bytes, int offset,
                       int length) {
    /** The Spread message type of a fragment ({@code 'SK'}). */
    public static final short MESS_TYPE = 0x534B;
    public static final int HEADER_BYTES = 28;
    private static final byte MAGIC = 'F';
    private static final byte VERSION = 1;

    /** Where the frames of {@link #split} go, in order. */
    @FunctionalInterface
    public interface FrameSink<E extends Exception> {
        void send(byte[] frame) throws E;
    }

    /**
     * Cuts the first {@code total} bytes of {@code payload} (the whole message, of Spread message type
     * {@code messType}) into encoded fragments of at most {@code maxFrameBytes} each and hands them to {@code sink}
     * in index order, one at a time (only one frame is in memory besides the payload).
     *
     * @param key unique per sending connection for as long as a receiver may hold a partial message
     * @return the number of fragments
     */
    public static <E extends Exception> int split(short messType, long key, byte[] payload, int total,
                                                  int maxFrameBytes, FrameSink<E> sink) throws E {
        int chunk = maxFrameBytes - HEADER_BYTES;
        if (chunk < 1) {
            throw new IllegalArgumentException("a frame of " + maxFrameBytes + " bytes cannot hold a fragment");
        }
        int count = Math.max(1, (total + chunk - 1) / chunk);
        for (int i = 0; i < count; i++) {
            int offset = i * chunk;
            int length = Math.min(chunk, total - offset);
            sink.send(new Fragment(messType, key, i, count, total, payload, offset, length).encode());
        }
        return count;
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + length);
        b.put(MAGIC).put(VERSION).putShort(messType).putLong(key).putInt(index).putInt(count).putLong(totalLength);
        b.put(bytes, offset, length);
        return b.array();
    }

    /** Reads a fragment, checking every field against the frame; throws IllegalArgumentException when malformed. */
    public static Fragment decode(byte[] data) {
        if (data.length < HEADER_BYTES) {
            throw new IllegalArgumentException("fragment of " + data.length + " bytes is shorter than its header");
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        if (b.get() != MAGIC || b.get() != VERSION) {
            throw new IllegalArgumentException("not a version 1 fragment");
        }
        short messType = b.getShort();
        long key = b.getLong();
        int index = b.getInt();
        int count = b.getInt();
        long total = b.getLong();
        if (count < 1 || index < 0 || index >= count || total < 0) {
            throw new IllegalArgumentException("fragment " + index + " of " + count + " with total " + total
                    + " is inconsistent");
        }
        return new Fragment(messType, key, index, count, total, data, HEADER_BYTES, data.length - HEADER_BYTES);
    }
}
