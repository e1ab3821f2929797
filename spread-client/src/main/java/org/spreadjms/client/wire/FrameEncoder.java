package org.spreadjms.client.wire;

import java.nio.ByteOrder;

import org.spreadjms.client.protocol.TypeBits;

/**
 * Writes frames. Clients write little-endian with the marker in {@code type} and {@code hint} (as the C library
 * does on x86); the daemon writes its generated frames the same way.
 */
public final class FrameEncoder {
    private FrameEncoder() {
    }

    /** Bytes of a frame with these counts (no REJECT_MESS extra word). */
    public static int frameLength(int numGroups, int dataLength) {
        return FrameHeader.LENGTH + numGroups * GroupNames.SLOT_BYTES + dataLength;
    }

    /**
     * Writes a little-endian header at {@code offset}.
     *
     * @param type        type word without the marker
     * @param senderSlot  32-byte sender slot
     * @param hintWord    the complete hint word as it must appear when read little-endian
     */
    public static void writeHeader(byte[] out, int offset, int type, byte[] senderSlot, int numGroups, int hintWord,
                                   int dataLength) {
        Ints.putLE(out, offset + FrameHeader.TYPE_OFFSET, type | FrameHeader.ENDIAN_MARKER);
        System.arraycopy(senderSlot, 0, out, offset + FrameHeader.SENDER_OFFSET, GroupNames.SLOT_BYTES);
        Ints.putLE(out, offset + FrameHeader.NUM_GROUPS_OFFSET, numGroups);
        Ints.putLE(out, offset + FrameHeader.HINT_OFFSET, hintWord);
        Ints.putLE(out, offset + FrameHeader.DATA_LEN_OFFSET, dataLength);
    }

    /** Writes a header in an explicit byte order (big-endian leaves the markers clear, as the official Java client). */
    public static void writeHeader(byte[] out, int offset, ByteOrder order, int type, byte[] senderSlot,
                                   int numGroups, int messType, int dataLength) {
        boolean le = order == ByteOrder.LITTLE_ENDIAN;
        int marker = le ? FrameHeader.ENDIAN_MARKER : 0;
        Ints.put(out, offset + FrameHeader.TYPE_OFFSET, type | marker, order);
        System.arraycopy(senderSlot, 0, out, offset + FrameHeader.SENDER_OFFSET, GroupNames.SLOT_BYTES);
        Ints.put(out, offset + FrameHeader.NUM_GROUPS_OFFSET, numGroups, order);
        Ints.put(out, offset + FrameHeader.HINT_OFFSET, ((messType & 0xFFFF) << 8) | marker, order);
        Ints.put(out, offset + FrameHeader.DATA_LEN_OFFSET, dataLength, order);
    }

    /** Copies a 32-byte slot to {@code out} at {@code offset}. */
    public static void writeSlot(byte[] out, int offset, byte[] slot) {
        System.arraycopy(slot, 0, out, offset, GroupNames.SLOT_BYTES);
    }

    /**
     * Rewrites the header integers of a received frame into little-endian daemon order, leaving sender, hint, group
     * slots and data as they came. Used by the daemon to relay a message.
     */
    public static byte[] relayCopy(RawFrame in) {
        byte[] b = in.bytes().clone();
        Ints.putLE(b, FrameHeader.TYPE_OFFSET, in.type() | FrameHeader.ENDIAN_MARKER);
        Ints.putLE(b, FrameHeader.NUM_GROUPS_OFFSET, in.numGroups());
        Ints.putLE(b, FrameHeader.DATA_LEN_OFFSET, in.dataLength());
        b[FrameHeader.SENDER_OFFSET + GroupNames.SLOT_BYTES - 1] = 0;
        return b;
    }

    /**
     * The REJECT_MESS a daemon returns to the sender of a refused frame (Spread 4's {@code Sess_create_reject_message}):
     * type REJECT_MESS (with SELF_DISCARD if the original had it), the original type in the extra {@code old_type}
     * word, the original groups with the sender's own private group appended (replacing the last one at 100 groups),
     * sender, hint and data as sent.
     *
     * <pre>
     * header(48) | old_type(4) | groups (n+1) x 32 | data
     * </pre>
     *
     * @param oldType the original type word (for a refused join: JOIN_MESS replaced by CAUSED_BY_JOIN)
     */
    public static byte[] rejectCopy(RawFrame in, int oldType, byte[] ownSlot, int maxGroups) {
        int n = in.numGroups();
        int out = n >= maxGroups ? n : n + 1;
        byte[] src = in.bytes();
        byte[] b = new byte[FrameHeader.LENGTH + FrameHeader.OLD_TYPE_LENGTH + out * GroupNames.SLOT_BYTES
                + in.dataLength()];
        int type = TypeBits.REJECT_MESS | (in.type() & TypeBits.SELF_DISCARD);
        Ints.putLE(b, FrameHeader.TYPE_OFFSET, type | FrameHeader.ENDIAN_MARKER);
        System.arraycopy(src, FrameHeader.SENDER_OFFSET, b, FrameHeader.SENDER_OFFSET, GroupNames.SLOT_BYTES);
        b[FrameHeader.SENDER_OFFSET + GroupNames.SLOT_BYTES - 1] = 0;
        Ints.putLE(b, FrameHeader.NUM_GROUPS_OFFSET, out);
        System.arraycopy(src, FrameHeader.HINT_OFFSET, b, FrameHeader.HINT_OFFSET, 4);
        Ints.putLE(b, FrameHeader.DATA_LEN_OFFSET, in.dataLength());
        Ints.putLE(b, FrameHeader.LENGTH, oldType | FrameHeader.ENDIAN_MARKER);
        int groupsAt = FrameHeader.LENGTH + FrameHeader.OLD_TYPE_LENGTH;
        int kept = out == n ? n - 1 : n;
        System.arraycopy(src, in.groupsOffset(), b, groupsAt, kept * GroupNames.SLOT_BYTES);
        writeSlot(b, groupsAt + kept * GroupNames.SLOT_BYTES, ownSlot);
        System.arraycopy(src, in.dataOffset(), b, groupsAt + out * GroupNames.SLOT_BYTES, in.dataLength());
        return b;
    }
}
