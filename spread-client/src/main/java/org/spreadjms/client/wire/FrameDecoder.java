package org.spreadjms.client.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.spreadjms.client.protocol.TypeBits;

/**
 * Incremental frame decoder: feed it whatever bytes arrived, get complete frames back. A small state machine
 * (header, then body); {@link #decode} returns {@code null} when it needs more bytes.
 *
 * <p>Lengths from the network are checked before any buffer is allocated: negative counts, and frames larger than
 * the configured bound, are {@link MalformedFrameException}s.
 */
public final class FrameDecoder {
    private enum State { HEADER, BODY }

    private final boolean expectRejectOldType;
    private final long maxFrameBytes;
    private final byte[] header = new byte[FrameHeader.LENGTH];

    private State state = State.HEADER;
    private int filled;
    private byte[] frame;
    private ByteOrder order;
    private int type;
    private int numGroups;
    private int dataLength;
    private int groupsOffset;

    private FrameDecoder(boolean expectRejectOldType, long maxFrameBytes) {
        this.expectRejectOldType = expectRejectOldType;
        this.maxFrameBytes = maxFrameBytes;
    }

    /** A decoder for frames a daemon sends (REJECT_MESS frames carry the extra {@code old_type} word). */
    public static FrameDecoder forClient(long maxFrameBytes) {
        return new FrameDecoder(true, maxFrameBytes);
    }

    /** A decoder for frames a client sends. */
    public static FrameDecoder forDaemon(long maxFrameBytes) {
        return new FrameDecoder(false, maxFrameBytes);
    }

    /** Whether a frame has been started but not finished (a connection ending now ends mid-frame). */
    public boolean midFrame() {
        return state == State.BODY || filled > 0;
    }

    /**
     * Consumes bytes from {@code in} until one frame is complete or the input is used up.
     *
     * @return the next complete frame, or {@code null} if more bytes are needed
     */
    public RawFrame decode(ByteBuffer in) throws MalformedFrameException {
        if (state == State.HEADER) {
            int n = Math.min(in.remaining(), FrameHeader.LENGTH - filled);
            in.get(header, filled, n);
            filled += n;
            if (filled < FrameHeader.LENGTH) {
                return null;
            }
            startBody();
        }
        int n = Math.min(in.remaining(), frame.length - filled);
        in.get(frame, filled, n);
        filled += n;
        if (filled < frame.length) {
            return null;
        }
        int oldType = groupsOffset > FrameHeader.LENGTH ? Ints.get(frame, FrameHeader.LENGTH, order) : 0;
        RawFrame done = new RawFrame(frame, order, type, numGroups, dataLength, groupsOffset, oldType);
        state = State.HEADER;
        filled = 0;
        frame = null;
        return done;
    }

    private void startBody() throws MalformedFrameException {
        order = FrameHeader.littleEndianMarked(Ints.getLE(header, FrameHeader.TYPE_OFFSET))
                ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        type = Ints.get(header, FrameHeader.TYPE_OFFSET, order) & ~FrameHeader.ENDIAN_MARKER;
        numGroups = Ints.get(header, FrameHeader.NUM_GROUPS_OFFSET, order);
        dataLength = Ints.get(header, FrameHeader.DATA_LEN_OFFSET, order);
        if (numGroups < 0 || dataLength < 0) {
            throw new MalformedFrameException("negative length in header: num_groups=" + numGroups + ", data_len="
                    + dataLength);
        }
        boolean reject = expectRejectOldType && (type & TypeBits.REJECT_MESS) != 0;
        groupsOffset = FrameHeader.LENGTH + (reject ? FrameHeader.OLD_TYPE_LENGTH : 0);
        long total = groupsOffset + (long) numGroups * GroupNames.SLOT_BYTES + dataLength;
        if (total > maxFrameBytes) {
            throw new MalformedFrameException("frame of " + total + " bytes (num_groups=" + numGroups + ", data_len="
                    + dataLength + ") exceeds the limit of " + maxFrameBytes + " bytes");
        }
        frame = new byte[(int) total];
        System.arraycopy(header, 0, frame, 0, FrameHeader.LENGTH);
        state = State.BODY;
    }
}
