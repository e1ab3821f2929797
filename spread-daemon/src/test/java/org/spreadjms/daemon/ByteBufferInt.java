package org.spreadjms.daemon;

import java.nio.ByteBuffer;

/** Reads a big-endian int (test convenience). */
final class ByteBufferInt {
    private ByteBufferInt() {
    }

    static int be(byte[] b, int offset) {
        return ByteBuffer.wrap(b, offset, 4).getInt();
    }
}
