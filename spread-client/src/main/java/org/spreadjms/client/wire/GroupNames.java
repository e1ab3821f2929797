package org.spreadjms.client.wire;

import java.nio.charset.StandardCharsets;

/**
 * The 32-byte wire slots of group names, and the name lengths and characters the protocol allows. The checks that
 * raise Spread errors live in the client package's {@code NameRules} (this package does not depend on the client's
 * exception types).
 */
public final class GroupNames {
    /** Longest group name in characters (the slot holds a NUL too). */
    public static final int MAX_GROUP_NAME_LENGTH = 31;
    /** Longest daemon name in characters. */
    public static final int MAX_DAEMON_NAME_LENGTH = 19;
    /** Longest private name in characters. */
    public static final int MAX_PRIVATE_NAME_LENGTH = 10;
    /** Bytes of a group-name slot including the terminating NUL. */
    public static final int SLOT_BYTES = MAX_GROUP_NAME_LENGTH + 1;

    private GroupNames() {
    }

    /** True for bytes Spread allows in names: {@code '$'} (36) through {@code '~'} (126). */
    public static boolean isLegalNameByte(int b) {
        return b >= 36 && b <= 126;
    }

    /** The 32-byte slot of a (checked) name: its bytes, NUL-padded. */
    public static byte[] toSlot(String name) {
        byte[] slot = new byte[SLOT_BYTES];
        byte[] b = name.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(b, 0, slot, 0, Math.min(b.length, SLOT_BYTES - 1));
        return slot;
    }

    /** Reads a name from a slot: up to the first NUL, or all 32 bytes if there is none. */
    public static String fromSlot(byte[] buf, int offset) {
        int end = offset;
        int limit = offset + SLOT_BYTES;
        while (end < limit && buf[end] != 0) {
            end++;
        }
        return new String(buf, offset, end - offset, StandardCharsets.ISO_8859_1);
    }

    /** Whether the slot at offset holds a NUL somewhere (a name of at most 31 bytes). */
    public static boolean slotTerminated(byte[] buf, int offset) {
        for (int i = offset; i < offset + SLOT_BYTES; i++) {
            if (buf[i] == 0) {
                return true;
            }
        }
        return false;
    }
}
