package org.spreadjms.daemon;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Builds golden byte strings the way the protocol reference writes them: hex, names, 32-byte slots, LE ints. */
final class Bytes {
    private Bytes() {
    }

    /** Hex digits, spaces ignored: {@code "80 11 00 80"}. */
    static byte[] hex(String digits) {
        return HexFormat.of().parseHex(digits.replace(" ", ""));
    }

    static String hex(byte[] b) {
        return HexFormat.ofDelimiter(" ").formatHex(b);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A 32-byte NUL-padded slot. */
    static byte[] slot(String name) {
        byte[] slot = new byte[32];
        byte[] b = ascii(name);
        System.arraycopy(b, 0, slot, 0, b.length);
        return slot;
    }

    static byte[] le(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >>> 24)};
    }

    static byte[] be(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v};
    }

    /** Concatenates byte arrays and hex strings. */
    static byte[] concat(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            byte[] b = p instanceof byte[] a ? a : hex((String) p);
            out.writeBytes(b);
        }
        return out.toByteArray();
    }
}
