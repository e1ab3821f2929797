package org.spreadjms.jms.message;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;

import org.spreadjms.jms.destination.SpreadDestination;
import org.spreadjms.jms.errors.JmsErrors;

/**
 * The binary wire format of a JMS message inside a Spread data message, version 1. A Spread message carrying an
 * envelope has the 16-bit message type {@link #MESS_TYPE} ({@code 'SJ'}).
 *
 * <h2>Layout</h2>
 * All integers are big-endian. {@code S} is a string: an int32 byte length ({@code -1} for null) then that many
 * bytes of UTF-8. {@code B} is a byte array: an int32 length ({@code -1} for null) then the bytes. {@code V} is a
 * typed value: one tag byte, then its payload (table below).
 * <pre>
 * offset size  field
 * ------ ----  -----------------------------------------------------------------
 *   0     1    magic 'S' (0x53)
 *   1     1    version (1)
 *   2     1    body type: 0 Message, 1 Bytes, 2 Text, 3 Map, 4 Object, 5 Stream
 *   3     1    flags: bit 0 JMSRedelivered, bit 1 JMSCorrelationID is bytes; other bits 0
 *   4     S    JMSMessageID
 *   .     8    JMSTimestamp (ms)
 *   .     S|B  JMSCorrelationID: S, or B when flag bit 1 is set
 *   .     S    JMSReplyTo, in SpreadDestination.encode() form ("t:orders", "tq:#a#d/3"), or null
 *   .     S    JMSDestination, same form, or null
 *   .     1    JMSDeliveryMode (1 non-persistent, 2 persistent)
 *   .     S    JMSType
 *   .     8    JMSExpiration (ms, 0 = never)
 *   .     8    JMSDeliveryTime (ms)
 *   .     1    JMSPriority (0..9)
 *   .     4    JMSXDeliveryCount as the sender knew it (0 = not set; receivers set their own)
 *   .     S    target: routing sub-address inside the destination group, or null
 *   .     4    property count P
 *   .   P x    { S name, V value }       (value tags 0..3, 5..9 only)
 *   .     4    extension count E
 *   .   E x    { S name, B data }        (readers keep extensions they do not know, and ignore them)
 *   .     ...  body:
 *              Message: nothing
 *              Bytes:   B (never null)
 *              Text:    S
 *              Map:     int32 count M, then M x { S name, V value }
 *              Object:  B, Java serialization of the object (null for no object)
 *              Stream:  int32 count N, then N x V
 *   end        nothing may follow the body
 *
 * tag  value    payload
 *  0   null     -
 *  1   boolean  1 byte, 0 or 1
 *  2   byte     1 byte
 *  3   short    2 bytes
 *  4   char     2 bytes (UTF-16 unit)
 *  5   int      4 bytes
 *  6   long     8 bytes
 *  7   float    4 bytes, IEEE 754 raw bits
 *  8   double   8 bytes, IEEE 754 raw bits
 *  9   String   S (never null)
 * 10   byte[]   B (never null)
 * </pre>
 *
 * <p>Decoding is strict and bounded: every length and count is checked against the bytes that remain before
 * anything is allocated; a truncated envelope, an unknown magic, version, body type, flag bit or tag, malformed
 * UTF-8, an invalid destination or property name, duplicate names, or trailing bytes fail with
 * {@link MessageFormatException}. Encoding is deterministic: properties and map entries in insertion order, so
 * encoding a message twice, or re-encoding a decoded one, gives the same bytes.
 */
public final class MessageEnvelope {
    /** The Spread message type of a data message carrying an envelope ({@code 'S' 'J'}). */
    public static final short MESS_TYPE = 0x534A;
    public static final byte MAGIC = 'S';
    public static final byte VERSION = 1;
    /** Offset of the body type byte. */
    public static final int BODY_TYPE_OFFSET = 2;

    static final int FLAG_REDELIVERED = 1;
    static final int FLAG_CORRELATION_BYTES = 2;
    private static final int KNOWN_FLAGS = FLAG_REDELIVERED | FLAG_CORRELATION_BYTES;

    static final int TAG_NULL = 0;
    static final int TAG_BOOLEAN = 1;
    static final int TAG_BYTE = 2;
    static final int TAG_SHORT = 3;
    static final int TAG_CHAR = 4;
    static final int TAG_INT = 5;
    static final int TAG_LONG = 6;
    static final int TAG_FLOAT = 7;
    static final int TAG_DOUBLE = 8;
    static final int TAG_STRING = 9;
    static final int TAG_BYTES = 10;

    private MessageEnvelope() {
    }

    /**
     * A decoded envelope.
     *
     * @param message    the message: properties and body read-only, body in read mode
     * @param target     the routing sub-address, or null
     * @param extensions the extension area, in wire order (unmodifiable)
     */
    public record Envelope(SpreadMessage message, String target, Map<String, byte[]> extensions) {
    }

    /**
     * An encoded envelope: the first {@code length} bytes of {@code array} (an encoder buffer, not trimmed, so that
     * sending it costs no extra copy).
     */
    public record Encoded(byte[] array, int length) {
        /** Exactly the encoded bytes (a copy unless the buffer is full). */
        public byte[] toByteArray() {
            return length == array.length ? array : Arrays.copyOf(array, length);
        }
    }

    public static byte[] encode(SpreadMessage m, String target) {
        return encode(m, target, Map.of());
    }

    /**
     * Encodes {@code m} with a routing target (may be null) and extensions (may be empty, in iteration order), every
     * header as the message holds it.
     */
    public static byte[] encode(SpreadMessage m, String target, Map<String, byte[]> extensions) {
        return encode(m, target, extensions, false).toByteArray();
    }

    /**
     * The form a producer sends: JMSRedelivered false and no delivery count whatever the message holds (a received
     * message sent on is a new delivery; receivers' providers set both), and the encoder's buffer untrimmed.
     */
    public static Encoded encodeForSend(SpreadMessage m, String target) {
        return encode(m, target, Map.of(), true);
    }

    private static Encoded encode(SpreadMessage m, String target, Map<String, byte[]> extensions, boolean fresh) {
        // headers of a typical message take well under 256 bytes; the body's size is known up front
        EnvelopeWriter w = new EnvelopeWriter(256 + m.bodySizeHint());
        byte[] correlationBytes = m.correlationIdBytesOrNull();
        w.u8(MAGIC);
        w.u8(VERSION);
        w.u8(m.bodyType().wireValue());
        boolean redelivered = !fresh && m.getJMSRedelivered();
        w.u8((redelivered ? FLAG_REDELIVERED : 0) | (correlationBytes != null ? FLAG_CORRELATION_BYTES : 0));
        w.string(m.getJMSMessageID());
        w.i64(m.getJMSTimestamp());
        if (correlationBytes != null) {
            w.bytes(correlationBytes);
        } else {
            w.string(m.getJMSCorrelationID());
        }
        w.string(m.spreadReplyTo() == null ? null : m.spreadReplyTo().encode());
        w.string(m.spreadDestination() == null ? null : m.spreadDestination().encode());
        w.u8(m.getJMSDeliveryMode());
        w.string(m.getJMSType());
        w.i64(m.getJMSExpiration());
        w.i64(m.getJMSDeliveryTime());
        w.u8(m.getJMSPriority());
        w.i32(fresh ? 0 : m.getDeliveryCount());
        w.string(target);
        Map<String, Object> props = m.propertyMap();
        w.i32(props.size());
        if (!props.isEmpty()) {
            for (Map.Entry<String, Object> e : props.entrySet()) {
                w.string(e.getKey());
                writeValue(w, e.getValue());
            }
        }
        w.i32(extensions.size());
        if (!extensions.isEmpty()) {
            for (Map.Entry<String, byte[]> e : extensions.entrySet()) {
                w.string(e.getKey());
                w.bytes(e.getValue());
            }
        }
        writeBody(w, m);
        return new Encoded(w.array(), w.size());
    }

    private static void writeBody(EnvelopeWriter w, SpreadMessage m) {
        switch (m.bodyType()) {
            case MESSAGE -> {
            }
            case BYTES -> ((SpreadBytesMessage) m).writeBodyTo(w);
            case TEXT -> w.string(((SpreadTextMessage) m).getText());
            case MAP -> {
                Map<String, Object> entries = ((SpreadMapMessage) m).entries();
                w.i32(entries.size());
                for (Map.Entry<String, Object> e : entries.entrySet()) {
                    w.string(e.getKey());
                    writeValue(w, e.getValue());
                }
            }
            case OBJECT -> w.bytes(((SpreadObjectMessage) m).serializedBody());
            case STREAM -> {
                var values = ((SpreadStreamMessage) m).values();
                w.i32(values.size());
                for (Object v : values) {
                    writeValue(w, v);
                }
            }
        }
    }

    private static void writeValue(EnvelopeWriter w, Object v) {
        if (v == null) {
            w.u8(TAG_NULL);
        } else if (v instanceof Boolean b) {
            w.u8(TAG_BOOLEAN);
            w.u8(b ? 1 : 0);
        } else if (v instanceof Byte b) {
            w.u8(TAG_BYTE);
            w.u8(b);
        } else if (v instanceof Short s) {
            w.u8(TAG_SHORT);
            w.i16(s);
        } else if (v instanceof Character c) {
            w.u8(TAG_CHAR);
            w.i16(c);
        } else if (v instanceof Integer i) {
            w.u8(TAG_INT);
            w.i32(i);
        } else if (v instanceof Long l) {
            w.u8(TAG_LONG);
            w.i64(l);
        } else if (v instanceof Float f) {
            w.u8(TAG_FLOAT);
            w.i32(Float.floatToRawIntBits(f));
        } else if (v instanceof Double d) {
            w.u8(TAG_DOUBLE);
            w.i64(Double.doubleToRawLongBits(d));
        } else if (v instanceof String s) {
            w.u8(TAG_STRING);
            w.string(s);
        } else if (v instanceof byte[] b) {
            w.u8(TAG_BYTES);
            w.bytes(b);
        } else {
            // the message classes only store the types above
            throw new IllegalStateException("cannot encode a " + v.getClass().getName());
        }
    }

    /**
     * Decodes an envelope. A BytesMessage's body refers to {@code data} rather than a copy of it: the caller hands
     * the array over and must not change it afterwards.
     *
     * @param filter the filter a decoded ObjectMessage deserializes through (null: the defaults)
     * @throws MessageFormatException if the bytes are not a valid version 1 envelope
     */
    public static Envelope decode(byte[] data, ObjectMessageFilter filter) throws JMSException {
        try {
            return decodeStrict(new EnvelopeReader(data), filter);
        } catch (MessageFormatException e) {
            throw e;
        } catch (InvalidDestinationException | IllegalArgumentException e) {
            throw JmsErrors.withCause(new MessageFormatException("envelope corrupt: " + e.getMessage()), e);
        }
    }

    private static Envelope decodeStrict(EnvelopeReader r, ObjectMessageFilter filter) throws JMSException {
        int magic = r.u8("magic");
        if (magic != MAGIC) {
            throw new MessageFormatException(String.format("not a JMS envelope: magic byte 0x%02X, expected 0x%02X"
                    + " ('S')", magic, MAGIC));
        }
        int version = r.u8("version");
        if (version != VERSION) {
            throw new MessageFormatException("JMS envelope version " + version + " is not supported (this reader"
                    + " understands version " + VERSION + ")");
        }
        int typeByte = r.u8("body type");
        BodyType type = BodyType.fromWire(typeByte);
        if (type == null) {
            throw new MessageFormatException("envelope corrupt: unknown body type " + typeByte);
        }
        int flags = r.u8("flags");
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new MessageFormatException(String.format("envelope corrupt: unknown flag bits 0x%02X", flags));
        }
        SpreadMessage m = SpreadMessage.create(type);
        m.setJMSMessageID(r.string("JMSMessageID"));
        m.setJMSTimestamp(r.i64("JMSTimestamp"));
        if ((flags & FLAG_CORRELATION_BYTES) != 0) {
            byte[] c = r.bytes("JMSCorrelationID");
            if (c == null) {
                throw new MessageFormatException("envelope corrupt: JMSCorrelationID flagged as bytes but null");
            }
            m.setJMSCorrelationIDAsBytes(c);
        } else {
            m.setJMSCorrelationID(r.string("JMSCorrelationID"));
        }
        m.setJMSReplyTo(destination(r.string("JMSReplyTo")));
        m.setJMSDestination(destination(r.string("JMSDestination")));
        m.setJMSDeliveryMode(r.u8("JMSDeliveryMode"));
        m.setJMSType(r.string("JMSType"));
        m.setJMSExpiration(r.i64("JMSExpiration"));
        m.setJMSDeliveryTime(r.i64("JMSDeliveryTime"));
        m.setJMSPriority(r.u8("JMSPriority"));
        m.setDeliveryCount(r.i32("JMSXDeliveryCount"));
        m.setJMSRedelivered((flags & FLAG_REDELIVERED) != 0);
        String target = r.string("target");
        int properties = r.count("property", 5);
        for (int i = 0; i < properties; i++) {
            String name = r.requiredString("property name");
            MessageProperties.checkName(name);
            Object value = readValue(r, "property '" + name + "'");
            if (!TypedValues.isPropertyType(value)) {
                throw new MessageFormatException("envelope corrupt: property '" + name + "' has a "
                        + TypedValues.typeName(value) + " value (not a property type)");
            }
            if (m.propertyMap().containsKey(name)) {
                throw new MessageFormatException("envelope corrupt: property '" + name + "' appears twice");
            }
            m.putPropertyUnchecked(name, value);
        }
        int extensionCount = r.count("extension", 8);
        Map<String, byte[]> extensions = extensionCount == 0 ? Map.of() : new LinkedHashMap<>();
        for (int i = 0; i < extensionCount; i++) {
            String name = r.requiredString("extension name");
            byte[] value = r.bytes("extension '" + name + "'");
            if (value == null) {
                throw new MessageFormatException("envelope corrupt: extension '" + name + "' is null");
            }
            if (extensions.put(name, value) != null) {
                throw new MessageFormatException("envelope corrupt: extension '" + name + "' appears twice");
            }
        }
        readBody(r, m);
        if (r.remaining() != 0) {
            throw new MessageFormatException("envelope corrupt: " + r.remaining() + " bytes follow the body at"
                    + " offset " + r.position());
        }
        if (m instanceof SpreadObjectMessage o) {
            o.setObjectFilter(filter);
        }
        m.setReadOnly(true, true);
        // almost every envelope has none: no map per message then
        return new Envelope(m, target, extensionCount == 0 ? Map.of() : Collections.unmodifiableMap(extensions));
    }

    private static SpreadDestination destination(String encoded) throws InvalidDestinationException {
        if (encoded == null) {
            return null;
        }
        // destinations are immutable and few: parse and check each name once, not once per message
        SpreadDestination d = DESTINATIONS.get(encoded);
        if (d == null) {
            d = SpreadDestination.parse(encoded);
            if (DESTINATIONS.size() >= DESTINATION_CACHE_SIZE) {
                DESTINATIONS.clear();
            }
            DESTINATIONS.put(encoded, d);
        }
        return d;
    }

    private static final int DESTINATION_CACHE_SIZE = 1024;
    private static final java.util.Map<String, SpreadDestination> DESTINATIONS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static void readBody(EnvelopeReader r, SpreadMessage m) throws JMSException {
        switch (m.bodyType()) {
            case MESSAGE -> {
            }
            case BYTES -> {
                int n = r.skipBytes("Bytes body");
                if (n < 0) {
                    throw new MessageFormatException("envelope corrupt: Bytes body is null");
                }
                // the body stays in the envelope's array: no copy (decode's contract: data is not changed after)
                ((SpreadBytesMessage) m).setBodyForReading(r.array(), r.position() - n, n);
            }
            case TEXT -> ((SpreadTextMessage) m).setText(r.string("Text body"));
            case MAP -> {
                SpreadMapMessage map = (SpreadMapMessage) m;
                int n = r.count("map entry", 5);
                for (int i = 0; i < n; i++) {
                    String name = r.requiredString("map entry name");
                    if (name.isEmpty() || map.itemExists(name)) {
                        throw new MessageFormatException("envelope corrupt: map entry name '" + name + "' is "
                                + (name.isEmpty() ? "empty" : "repeated"));
                    }
                    map.putUnchecked(name, readValue(r, "map entry '" + name + "'"));
                }
            }
            case OBJECT -> ((SpreadObjectMessage) m).setSerializedBody(r.bytes("Object body"));
            case STREAM -> {
                SpreadStreamMessage stream = (SpreadStreamMessage) m;
                int n = r.count("stream value", 1);
                for (int i = 0; i < n; i++) {
                    stream.addUnchecked(readValue(r, "stream value " + i));
                }
            }
        }
    }

    private static Object readValue(EnvelopeReader r, String field) throws MessageFormatException {
        int tag = r.u8(field + " tag");
        return switch (tag) {
            case TAG_NULL -> null;
            case TAG_BOOLEAN -> {
                int b = r.u8(field);
                if (b > 1) {
                    throw new MessageFormatException("envelope corrupt: " + field + " boolean byte is " + b);
                }
                yield b == 1;
            }
            case TAG_BYTE -> (byte) r.u8(field);
            case TAG_SHORT -> r.i16(field);
            case TAG_CHAR -> (char) r.i16(field);
            case TAG_INT -> r.i32(field);
            case TAG_LONG -> r.i64(field);
            case TAG_FLOAT -> Float.intBitsToFloat(r.i32(field));
            case TAG_DOUBLE -> Double.longBitsToDouble(r.i64(field));
            case TAG_STRING -> r.requiredString(field);
            case TAG_BYTES -> {
                byte[] b = r.bytes(field);
                if (b == null) {
                    throw new MessageFormatException("envelope corrupt: " + field + " byte[] is null");
                }
                yield b;
            }
            default -> throw new MessageFormatException("envelope corrupt: " + field + " has unknown type tag "
                    + tag);
        };
    }

    /**
     * A message from a plain (non-JMS) Spread program: the data as a BytesMessage, or as a TextMessage decoding it as
     * UTF-8 (malformed sequences become U+FFFD). Body and properties read-only, body in read mode.
     */
    public static SpreadMessage fromRaw(byte[] data, boolean asText) {
        SpreadMessage m;
        if (asText) {
            m = new SpreadTextMessage(new String(data, StandardCharsets.UTF_8));
        } else {
            SpreadBytesMessage b = new SpreadBytesMessage();
            b.setBodyForReading(data.clone());
            m = b;
        }
        m.setReadOnly(true, true);
        return m;
    }

    /**
     * Just the body, for sending to non-JMS Spread readers (headers and properties are dropped): a BytesMessage's
     * bytes, a TextMessage's UTF-8 (empty for null text), an ObjectMessage's Java serialization (empty for no
     * object).
     *
     * @throws MessageFormatException for Map, Stream and plain messages, which have no single byte form
     */
    public static byte[] rawBody(SpreadMessage m) throws JMSException {
        return switch (m.bodyType()) {
            case BYTES -> ((SpreadBytesMessage) m).bodyBytes().clone();
            case TEXT -> {
                String t = ((SpreadTextMessage) m).getText();
                yield t == null ? new byte[0] : t.getBytes(StandardCharsets.UTF_8);
            }
            case OBJECT -> {
                byte[] s = ((SpreadObjectMessage) m).serializedBody();
                yield s == null ? new byte[0] : s.clone();
            }
            default -> throw new MessageFormatException("a " + m.bodyType() + " message has no raw byte form; only"
                    + " Bytes, Text and Object messages can be sent as raw Spread data");
        };
    }
}
