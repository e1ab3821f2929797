package org.spreadjms.jms.store;

import java.nio.charset.StandardCharsets;


/**
 * Which data messages a store member keeps, and the id it keeps them by.
 *
 * <ul>
 *   <li>Spread message type {@link #JMS_ENVELOPE} ({@code 'SJ'}): a spread-jms envelope (version 1, see
 *       spread-jms's {@code MessageEnvelope}). Kept when its JMSDeliveryMode is PERSISTENT (2), by its JMSMessageID.
 *       Only the fields in front of the delivery mode are read:
 *       <pre>
 *       0  1  magic 'S'       1  1  version 1       2  1  body type      3  1  flags
 *       4  S  JMSMessageID (int32 length, -1 for null, UTF-8)
 *       .  8  JMSTimestamp
 *       .  S  JMSCorrelationID (string or bytes: the same int32-length shape)
 *       .  S  JMSReplyTo      .  S  JMSDestination
 *       .  1  JMSDeliveryMode (1 NON_PERSISTENT, 2 PERSISTENT)
 *       </pre></li>
 *   <li>Spread message type {@link #KEYED} ({@code 'SM'}), for programs that are not JMS clients: u8 id length
 *       (1..255), the id in UTF-8, then the application's payload. Always kept.</li>
 *   <li>A message larger than one Spread message arrives in fragments (spread-jms {@code Fragment}, type
 *       {@code 'SK'}); a store member puts them together and judges the whole message by the rules above, at the
 *       point of its last fragment. At most {@link #MAX_MESSAGE_BYTES} are kept.</li>
 *   <li>Anything else (store control messages, spread-jms queue control messages, other types) is not kept.</li>
 * </ul>
 */
public final class PersistentMessages {
    public static final short JMS_ENVELOPE = 0x534A;
    /** {@code 'SM'}; not {@code 'SK'}, which is spread-jms's fragment type. */
    public static final short KEYED = 0x534D;
    /**
     * The largest message (encoded) a store member puts together from fragments and keeps: spread-jms's default
     * {@code maxMessageBytes}. A PERSISTENT send that waits for the store refuses a larger one at once.
     */
    public static final long MAX_MESSAGE_BYTES = 128L << 20;
    /**
     * The sender part of the key of every JMS envelope. JMSMessageIDs are unique ({@code ID:<uuid>:<n>}), so the id
     * alone names a JMS message: a queue's ACK (which names only ids) finds it, and a message re-sent from a new
     * connection after a failover is stored once. Private groups start with {@code #}, so this never clashes with
     * the sender of a {@link #KEYED} message.
     */
    public static final String JMS_SENDER = "jms:";
    private static final int PERSISTENT = 2;

    private PersistentMessages() {
    }

    /**
     * The id to keep a message by, or null if the store does not keep it.
     *
     * @throws MalformedStoreFrameException if the message has a kept type but its header does not parse
     */
    public static String idOf(short messType, byte[] data) throws MalformedStoreFrameException {
        if (messType == KEYED) {
            FrameCursor c = new FrameCursor(data, 0, data.length);
            int n = c.u8("keyed id length");
            if (n == 0) {
                throw new MalformedStoreFrameException("a keyed message has an empty id");
            }
            return new String(c.bytes("keyed id", n), StandardCharsets.UTF_8);
        }
        if (messType != JMS_ENVELOPE) {
            return null;
        }
        JmsHeader h = jmsHeader(data);
        return h.persistent() ? h.id() : null;
    }

    /** The JMSMessageID, delivery mode and JMSExpiration (ms, 0: never) of a spread-jms envelope. */
    public record JmsHeader(String id, boolean persistent, long expiration) {
        /** Whether the message expired at {@code nowMillis}. */
        public boolean expiredAt(long nowMillis) {
            return expiration > 0 && expiration <= nowMillis;
        }
    }

    /**
     * The JMSMessageID (null if the message has none), the delivery mode and the expiration of a
     * {@link #JMS_ENVELOPE}, whatever its delivery mode (durable subscriptions keep NON_PERSISTENT messages too).
     *
     * @throws MalformedStoreFrameException if the header does not parse or the id is out of bounds
     */
    public static JmsHeader jmsHeader(byte[] data) throws MalformedStoreFrameException {
        FrameCursor c = new FrameCursor(data, 0, data.length);
        if (c.u8("envelope magic") != 'S' || c.u8("envelope version") != 1) {
            throw new MalformedStoreFrameException("a message of type 'SJ' is not a version 1 JMS envelope");
        }
        c.u8("body type");
        c.u8("flags");
        String id = lengthPrefixed(c, "JMSMessageID");
        c.u64("JMSTimestamp");
        lengthPrefixed(c, "JMSCorrelationID");
        lengthPrefixed(c, "JMSReplyTo");
        lengthPrefixed(c, "JMSDestination");
        int mode = c.u8("JMSDeliveryMode");
        lengthPrefixed(c, "JMSType");
        long expiration = c.u64("JMSExpiration");
        if (id != null && (id.isEmpty() || id.getBytes(StandardCharsets.UTF_8).length > MessageKey.MAX_ID_BYTES)) {
            throw new MalformedStoreFrameException("JMSMessageID of " + id.length() + " characters (1.."
                    + MessageKey.MAX_ID_BYTES + " bytes allowed)");
        }
        return new JmsHeader(id, mode == PERSISTENT, expiration);
    }

    /** The key a message of {@code messType} with {@code id} from {@code sender} is stored by. */
    public static MessageKey keyOf(short messType, String sender, String id) {
        return new MessageKey(messType == JMS_ENVELOPE ? JMS_SENDER : sender, id);
    }

    private static String lengthPrefixed(FrameCursor c, String what) throws MalformedStoreFrameException {
        int n = c.i32(what + " length");
        if (n == -1) {
            return null;
        }
        if (n < 0) {
            throw new MalformedStoreFrameException(what + " has length " + n);
        }
        return new String(c.bytes(what, n), StandardCharsets.UTF_8);
    }

    /** A {@link #KEYED} message: the id, then {@code payload}. */
    public static byte[] keyed(String id, byte[] payload) {
        byte[] i = id.getBytes(StandardCharsets.UTF_8);
        if (i.length == 0 || i.length > 255) {
            throw new IllegalArgumentException("a keyed message id has 1..255 bytes, '" + id + "' has " + i.length);
        }
        byte[] out = new byte[1 + i.length + payload.length];
        out[0] = (byte) i.length;
        System.arraycopy(i, 0, out, 1, i.length);
        System.arraycopy(payload, 0, out, 1 + i.length, payload.length);
        return out;
    }

    /** The application payload of a {@link #KEYED} message (after its id). */
    public static byte[] keyedPayload(byte[] data) {
        int n = data[0] & 0xFF;
        return java.util.Arrays.copyOfRange(data, 1 + n, data.length);
    }
}
