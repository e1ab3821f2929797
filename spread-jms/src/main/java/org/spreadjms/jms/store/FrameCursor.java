package org.spreadjms.jms.store;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/** Reads big-endian fields of a frame, checking every length against the bytes that remain before using it. */
final class FrameCursor {
    private final byte[] data;
    private final int end;
    private int pos;

    FrameCursor(byte[] data, int offset, int length) {
        this.data = data;
        this.pos = offset;
        this.end = offset + length;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return end - pos;
    }

    private void need(int n, String what) throws MalformedStoreFrameException {
        if (n < 0 || n > end - pos) {
            throw new MalformedStoreFrameException(what + " needs " + n + " bytes at offset " + pos + " but "
                    + (end - pos) + " remain");
        }
    }

    int u8(String what) throws MalformedStoreFrameException {
        need(1, what);
        return data[pos++] & 0xFF;
    }

    int u16(String what) throws MalformedStoreFrameException {
        need(2, what);
        int v = (data[pos] & 0xFF) << 8 | data[pos + 1] & 0xFF;
        pos += 2;
        return v;
    }

    int i32(String what) throws MalformedStoreFrameException {
        need(4, what);
        int v = (data[pos] & 0xFF) << 24 | (data[pos + 1] & 0xFF) << 16 | (data[pos + 2] & 0xFF) << 8
                | data[pos + 3] & 0xFF;
        pos += 4;
        return v;
    }

    long u64(String what) throws MalformedStoreFrameException {
        need(8, what);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | data[pos + i] & 0xFF;
        }
        pos += 8;
        return v;
    }

    /** A u16-length-prefixed UTF-8 string of 1..{@code max} bytes. */
    String string(String what, int max) throws MalformedStoreFrameException {
        int n = u16(what + " length");
        if (n == 0 || n > max) {
            throw new MalformedStoreFrameException(what + " of " + n + " bytes at offset " + (pos - 2)
                    + " (1.." + max + " allowed)");
        }
        return utf8(what, n);
    }

    /** The next {@code n} bytes as UTF-8. */
    String utf8(String what, int n) throws MalformedStoreFrameException {
        need(n, what);
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data, pos, n)).toString();
            pos += n;
            return s;
        } catch (CharacterCodingException e) {
            throw new MalformedStoreFrameException(what + " at offset " + pos + " is not valid UTF-8");
        }
    }

    byte[] bytes(String what, int n) throws MalformedStoreFrameException {
        need(n, what);
        byte[] b = java.util.Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return b;
    }

    void end(String what) throws MalformedStoreFrameException {
        if (pos != end) {
            throw new MalformedStoreFrameException((end - pos) + " bytes follow the end of " + what + " at offset "
                    + pos);
        }
    }
}
