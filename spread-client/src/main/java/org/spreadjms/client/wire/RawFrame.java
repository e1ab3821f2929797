package org.spreadjms.client.wire;

import java.nio.ByteOrder;

import org.spreadjms.client.protocol.TypeBits;

/**
 * One complete frame as received: the exact bytes plus its decoded header integers. The daemon relays these bytes
 * (sender slot, hint and group slots must pass unchanged); the client turns them into messages.
 */
public final class RawFrame {
    private final byte[] bytes;
    private final ByteOrder order;
    private final int type;
    private final int numGroups;
    private final int dataLength;
    private final int groupsOffset;
    private final int oldType;

    RawFrame(byte[] bytes, ByteOrder order, int type, int numGroups, int dataLength, int groupsOffset, int oldType) {
        this.bytes = bytes;
        this.order = order;
        this.type = type;
        this.numGroups = numGroups;
        this.dataLength = dataLength;
        this.groupsOffset = groupsOffset;
        this.oldType = oldType;
    }

    /** The complete frame; not copied, do not modify. */
    public byte[] bytes() {
        return bytes;
    }

    /** Byte order of the header integers (the writer's order). */
    public ByteOrder order() {
        return order;
    }

    /** The type word without the endian marker. */
    public int type() {
        return type;
    }

    public int numGroups() {
        return numGroups;
    }

    public int dataLength() {
        return dataLength;
    }

    public int groupsOffset() {
        return groupsOffset;
    }

    public int dataOffset() {
        return groupsOffset + numGroups * GroupNames.SLOT_BYTES;
    }

    /** The original type of a REJECT_MESS (0 otherwise). */
    public int oldType() {
        return oldType;
    }

    /** The sender slot as a string (for membership messages: the group name). */
    public String sender() {
        return GroupNames.fromSlot(bytes, FrameHeader.SENDER_OFFSET);
    }

    public String group(int index) {
        return GroupNames.fromSlot(bytes, groupsOffset + index * GroupNames.SLOT_BYTES);
    }

    public String[] groups() {
        String[] g = new String[numGroups];
        for (int i = 0; i < numGroups; i++) {
            g[i] = group(i);
        }
        return g;
    }

    /** The hint word's own byte order, told by its marker. */
    public ByteOrder hintOrder() {
        return FrameHeader.littleEndianMarked(Ints.getLE(bytes, FrameHeader.HINT_OFFSET))
                ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    }

    /** The 16-bit message type from the hint, decoded in the hint's own order. */
    public short messType() {
        int hint = Ints.get(bytes, FrameHeader.HINT_OFFSET, hintOrder());
        return (short) ((hint >> 8) & 0xFFFF);
    }

    /** The raw hint word as read in little-endian order (for validation). */
    public int hintWordLE() {
        return Ints.getLE(bytes, FrameHeader.HINT_OFFSET);
    }

    public byte[] copyData() {
        byte[] d = new byte[dataLength];
        System.arraycopy(bytes, dataOffset(), d, 0, dataLength);
        return d;
    }

    public boolean isRegular() {
        return (type & TypeBits.REGULAR_MESS) != 0 && (type & TypeBits.REJECT_MESS) == 0;
    }

    public boolean isMembership() {
        return (type & TypeBits.MEMBERSHIP_MESS) != 0 && (type & TypeBits.REJECT_MESS) == 0;
    }

    public boolean isReject() {
        return (type & TypeBits.REJECT_MESS) != 0;
    }

    @Override
    public String toString() {
        return "RawFrame[type=0x" + Integer.toHexString(type) + ", sender=" + sender() + ", groups=" + numGroups
                + ", data=" + dataLength + ", " + order + "]";
    }
}
