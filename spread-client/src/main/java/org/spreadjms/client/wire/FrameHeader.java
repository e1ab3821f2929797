package org.spreadjms.client.wire;

/**
 * Layout of the 48-byte header that starts every message in both directions.
 *
 * <pre>
 *  0               4                                      36              40              44              48
 *  +---------------+--------------------------------------+---------------+---------------+---------------+
 *  | type (int32)  | private_group_name[32] (sender)      | num_groups    | hint (int32)  | data_len      |
 *  +---------------+--------------------------------------+---------------+---------------+---------------+
 *  | [old_type int32, REJECT_MESS only, daemon to client]                                                  |
 *  | num_groups x 32-byte group names                                                                     |
 *  | data_len bytes of data                                                                               |
 *  +------------------------------------------------------------------------------------------------------+
 * </pre>
 *
 * <p>The integers are in the writer's byte order. A little-endian writer sets the marker {@link #ENDIAN_MARKER} in
 * {@code type} and in {@code hint}; a big-endian writer leaves both clear. {@code hint} carries the 16-bit message
 * type in bits 8..23.
 */
public final class FrameHeader {
    public static final int TYPE_OFFSET = 0;
    public static final int SENDER_OFFSET = 4;
    public static final int NUM_GROUPS_OFFSET = 36;
    public static final int HINT_OFFSET = 40;
    public static final int DATA_LEN_OFFSET = 44;
    public static final int LENGTH = 48;
    public static final int OLD_TYPE_LENGTH = 4;

    /** Set in {@code type} and {@code hint} by a little-endian writer. */
    public static final int ENDIAN_MARKER = 0x80000080;
    /** Bits a hint may carry: the marker and the message type. */
    public static final int HINT_ALLOWED_BITS = 0x80FFFF80;

    private FrameHeader() {
    }

    /** The hint word for a message type, in the little-endian writer's form. */
    public static int hintLittleEndian(int messType) {
        return ((messType & 0xFFFF) << 8) | ENDIAN_MARKER;
    }

    /** Whether a word read as little-endian carries the little-endian marker. */
    public static boolean littleEndianMarked(int wordReadAsLittleEndian) {
        return (wordReadAsLittleEndian & ENDIAN_MARKER) == ENDIAN_MARKER;
    }
}
