package org.spreadjms.jms.message;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import jakarta.jms.MessageFormatException;

import org.spreadjms.jms.errors.JmsErrors;


/**
 * Reads envelope fields from a byte array, checking every length against what remains, so that a truncated or
 * corrupt envelope fails with {@link MessageFormatException} and never allocates more than the input holds.
 */
final class EnvelopeReader {
    private final byte[] data;
    private int pos;

    EnvelopeReader(byte[] data) {
        this.data = data;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return data.length - pos;
    }

    private int need(int n, String field) throws MessageFormatException {
        return need(n, field, "");
    }

    /**
     * As {@link #need(int, String)} for the field named {@code field + part}; the name is only put together for an
     * error (not on every read of a length or count).
     */
    private int need(int n, String field, String part) throws MessageFormatException {
        if (remaining() < n) {
            throw new MessageFormatException("envelope truncated: " + field + part + " at offset " + pos + " needs "
                    + n + " bytes, " + remaining() + " remain");
        }
        int p = pos;
        pos += n;
        return p;
    }

    int u8(String field) throws MessageFormatException {
        return data[need(1, field)] & 0xFF;
    }

    short i16(String field) throws MessageFormatException {
        int p = need(2, field);
        return (short) (((data[p] & 0xFF) << 8) | (data[p + 1] & 0xFF));
    }

    int i32(String field) throws MessageFormatException {
        return i32(field, "");
    }

    private int i32(String field, String part) throws MessageFormatException {
        int p = need(4, field, part);
        return ((data[p] & 0xFF) << 24) | ((data[p + 1] & 0xFF) << 16) | ((data[p + 2] & 0xFF) << 8)
                | (data[p + 3] & 0xFF);
    }

    long i64(String field) throws MessageFormatException {
        long hi = i32(field) & 0xFFFFFFFFL;
        return (hi << 32) | (i32(field) & 0xFFFFFFFFL);
    }

    /**
     * A count of entries, each taking at least {@code minEntryBytes}: checked against the bytes that remain, so a
     * corrupt count cannot make the caller loop or allocate beyond the input.
     */
    int count(String field, int minEntryBytes) throws MessageFormatException {
        int at = pos;
        int n = i32(field, " count");
        if (n < 0 || (long) n * minEntryBytes > remaining()) {
            throw new MessageFormatException("envelope corrupt: " + field + " count " + n + " at offset " + at
                    + " does not fit in the " + remaining() + " bytes that remain");
        }
        return n;
    }

    /** A length-prefixed byte array (null for length -1). */
    byte[] bytes(String field) throws MessageFormatException {
        int at = pos;
        int n = i32(field, " length");
        if (n == -1) {
            return null;
        }
        if (n < 0 || n > remaining()) {
            throw new MessageFormatException("envelope " + (n < 0 ? "corrupt" : "truncated") + ": " + field
                    + " length " + n + " at offset " + at + " but " + remaining() + " bytes remain");
        }
        return Arrays.copyOfRange(data, pos, pos += n);
    }

    /**
     * Skips a length-prefixed byte array, checked like {@link #bytes}, and returns its length (-1 for null); its
     * bytes are the {@code length} bytes of {@link #array()} that end at {@link #position()}.
     */
    int skipBytes(String field) throws MessageFormatException {
        int at = pos;
        int n = i32(field, " length");
        if (n == -1) {
            return -1;
        }
        if (n < 0 || n > remaining()) {
            throw new MessageFormatException("envelope " + (n < 0 ? "corrupt" : "truncated") + ": " + field
                    + " length " + n + " at offset " + at + " but " + remaining() + " bytes remain");
        }
        pos += n;
        return n;
    }

    /** The array being read (not a copy). */
    byte[] array() {
        return data;
    }

    /** A length-prefixed UTF-8 string (null for length -1); malformed UTF-8 is refused. */
    String string(String field) throws MessageFormatException {
        int at = pos;
        int n = i32(field, " length");
        if (n == -1) {
            return null;
        }
        if (n < 0 || n > remaining()) {
            throw new MessageFormatException("envelope " + (n < 0 ? "corrupt" : "truncated") + ": " + field
                    + " length " + n + " at offset " + at + " but " + remaining() + " bytes remain");
        }
        int start = need(n, field);
        if (isAscii(start, n)) {
            // the common case, decoded without a strict decoder: ASCII is always valid UTF-8
            return new String(data, start, n, StandardCharsets.ISO_8859_1); // same chars for ASCII, plain copy
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data, start, n))
                    .toString();
        } catch (CharacterCodingException e) {
            throw JmsErrors.withCause(new MessageFormatException("envelope corrupt: " + field + " at offset " + at
                    + " is not valid UTF-8"), e);
        }
    }

    private boolean isAscii(int start, int n) {
        for (int i = start; i < start + n; i++) {
            if (data[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** Like {@link #string(String)} but null is refused. */
    String requiredString(String field) throws MessageFormatException {
        int at = pos;
        String s = string(field);
        if (s == null) {
            throw new MessageFormatException("envelope corrupt: " + field + " at offset " + at + " is null");
        }
        return s;
    }
}
