package org.spreadjms.store.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.spreadjms.jms.store.MessageKey;
import org.spreadjms.jms.store.StoredMessage;

/**
 * The key and value layout of the log in its one RocksDB key space. Integers are big-endian, so that RocksDB's
 * bytewise order is sequence order.
 * <pre>
 * message   'm' u8 destLen, dest, u64 sequence       -> u16 messType, u8 senderLen, sender, u16 idLen, id, payload
 * index     'i' u8 destLen, dest, u8 senderLen, sender, id   -> u64 sequence
 * last seq  's' dest                                   -> u64 last sequence given in dest (never goes back)
 * applied   'a'                                        -> u64 operations applied (appends and deletes)
 * </pre>
 * Destinations are Spread group names (at most 255 bytes here; Spread allows 31).
 */
final class LogKeys {
    static final byte MESSAGE = 'm';
    static final byte INDEX = 'i';
    static final byte LAST_SEQUENCE = 's';
    static final byte[] APPLIED = {'a'};

    private LogKeys() {
    }

    static byte[] destination(String destination) {
        byte[] d = destination.getBytes(StandardCharsets.UTF_8);
        if (d.length == 0 || d.length > 255) {
            throw new IllegalArgumentException("destination '" + destination + "' is " + d.length
                    + " bytes (1..255 allowed)");
        }
        return d;
    }

    /** The key of message {@code sequence} of a destination (already encoded by {@link #destination}). */
    static byte[] message(byte[] dest, long sequence) {
        return ByteBuffer.allocate(2 + dest.length + 8).put(MESSAGE).put((byte) dest.length).put(dest)
                .putLong(sequence).array();
    }

    /** The prefix every message key of a destination starts with. */
    static byte[] messagePrefix(byte[] dest) {
        return ByteBuffer.allocate(2 + dest.length).put(MESSAGE).put((byte) dest.length).put(dest).array();
    }

    static long sequenceOf(byte[] messageKey) {
        return ByteBuffer.wrap(messageKey, messageKey.length - 8, 8).getLong();
    }

    static byte[] index(byte[] dest, MessageKey key) {
        byte[] s = key.sender().getBytes(StandardCharsets.UTF_8);
        byte[] i = key.id().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(3 + dest.length + s.length + i.length).put(INDEX).put((byte) dest.length).put(dest)
                .put((byte) s.length).put(s).put(i).array();
    }

    static byte[] lastSequence(byte[] dest) {
        return ByteBuffer.allocate(1 + dest.length).put(LAST_SEQUENCE).put(dest).array();
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    static long u64(byte[] v) {
        if (v.length != 8) {
            throw new IllegalStateException("a stored counter has " + v.length + " bytes instead of 8");
        }
        return ByteBuffer.wrap(v).getLong();
    }

    static byte[] messageValue(MessageKey key, short messType, byte[] payload) {
        byte[] s = key.sender().getBytes(StandardCharsets.UTF_8);
        byte[] i = key.id().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + 1 + s.length + 2 + i.length + payload.length).putShort(messType)
                .put((byte) s.length).put(s).putShort((short) i.length).put(i).put(payload).array();
    }

    /**
     * Decodes a message value; a value that does not parse is a corrupt file.
     *
     * @throws StoreException of kind CORRUPT
     */
    static StoredMessage decode(String destination, long sequence, byte[] value) throws StoreException {
        try {
            ByteBuffer b = ByteBuffer.wrap(value);
            short messType = b.getShort();
            byte[] s = new byte[b.get() & 0xFF];
            b.get(s);
            byte[] i = new byte[b.getShort() & 0xFFFF];
            b.get(i);
            byte[] payload = new byte[b.remaining()];
            b.get(payload);
            return new StoredMessage(destination, sequence, new MessageKey(new String(s, StandardCharsets.UTF_8),
                    new String(i, StandardCharsets.UTF_8)), messType, payload);
        } catch (RuntimeException e) {
            throw new StoreException(StoreException.Kind.CORRUPT, "stored message " + sequence + " of '"
                    + destination + "' does not decode (" + value.length + " bytes): " + e, e);
        }
    }
}
