package org.spreadjms.jms.message;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Appends envelope fields (big-endian) to a growing byte array. */
final class EnvelopeWriter {
    private byte[] buf;
    private int size;

    EnvelopeWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int more) {
        if (buf.length - size < more) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, Math.addExact(size, more)));
        }
    }

    void u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
    }

    void i16(int v) {
        ensure(2);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    void i32(int v) {
        ensure(4);
        buf[size++] = (byte) (v >>> 24);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    void i64(long v) {
        i32((int) (v >>> 32));
        i32((int) v);
    }

    void raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    /** A length-prefixed byte array; length -1 for null. */
    void bytes(byte[] b) {
        if (b == null) {
            i32(-1);
        } else {
            bytes(b, 0, b.length);
        }
    }

    /** {@code length} bytes of {@code b} from {@code offset}, length-prefixed. */
    void bytes(byte[] b, int offset, int length) {
        i32(length);
        ensure(length);
        System.arraycopy(b, offset, buf, size, length);
        size += length;
    }

    /** A length-prefixed byte array written straight from a stream's buffer (no intermediate copy). */
    void bytes(java.io.ByteArrayOutputStream out) {
        int n = out.size();
        i32(n);
        ensure(n);
        try {
            out.writeTo(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                buf[size++] = (byte) b;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                System.arraycopy(b, off, buf, size, len);
                size += len;
            }
            });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("in-memory copy failed", e); // cannot happen: no I/O here
        }
    }

    /**
     * A length-prefixed UTF-8 string; length -1 for null. ASCII (the usual ids, names and destinations) is written
     * straight into the buffer; anything else goes through the UTF-8 encoder.
     */
    void string(String s) {
        if (s == null) {
            i32(-1);
            return;
        }
        int n = s.length();
        ensure(4 + n);
        int p = size + 4;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                bytes(s.getBytes(StandardCharsets.UTF_8));
                return;
            }
            buf[p++] = (byte) c;
        }
        i32(n);
        size = p;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /** The buffer itself: the encoded bytes are its first {@link #size()}. */
    byte[] array() {
        return buf;
    }

    int size() {
        return size;
    }
}
