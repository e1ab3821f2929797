package org.spreadjms.jms.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;


/**
 * Encodes and decodes {@link StoreFrame}s, the payload of Spread messages of type {@link #MESS_TYPE}.
 *
 * <h2>Layout</h2>
 * All integers big-endian. {@code S} is a string: u16 byte length (at least 1), then UTF-8; destinations and senders
 * have at most 255 bytes, ids at most 1024 ({@link MessageKey}).
 * <pre>
 * offset size  field
 * ------ ----  ------------------------------------------------------------
 *   0     1    magic 's' (0x73)
 *   1     1    version (1)
 *   2     1    kind: 1 STORED, 2 STATE_REQUEST, 3 STATE_OFFER, 4 STATE_CHUNK, 5 STATE_DONE, 6 ACKED,
 *                    7 SUBSCRIBE, 8 SUBSCRIBED, 9 UNSUBSCRIBE, 10 UNSUBSCRIBED, 11 BROWSE, 12 BROWSED
 *   3     1    flags (0; any other value is refused)
 *   4     ...  body, by kind:
 *
 * STORED         u16 storeMembers, u16 n, n x { S destination, S id }
 * STATE_REQUEST  u64 requestId, u64 appliedIndex, u16 n, n x S destination
 * STATE_OFFER    u64 requestId, S joiner
 * STATE_CHUNK    u64 requestId, u32 index, S destination, u16 n,
 *                n x { u64 sequence, S sender, S id, u16 messType, u32 length, length bytes of payload }
 * STATE_DONE     u64 requestId, u32 chunks, u64 appliedIndex, u16 n, n x { S destination, u64 lastSequence }
 *                (destinations in ascending order, so that encoding is deterministic)
 * ACKED          S destination, u16 n, n x { S sender, S id }
 * SUBSCRIBE      u64 requestId, S subscriptionGroup, S topic, S topicGroup, S subscriber,
 *                u8 options (bit 0 noLocal, bit 1 shared; others 0), u16 length + UTF-8 selector (length 0: none,
 *                at most 4096 bytes)
 * SUBSCRIBED     u64 requestId, u16 storeMembers, S subscriptionGroup, u8 status (0 created, 1 existed, 2 replaced,
 *                3 active)
 * UNSUBSCRIBE    u64 requestId, S subscriptionGroup, S requester
 * UNSUBSCRIBED   u64 requestId, u16 storeMembers, S subscriptionGroup, u8 status (0 removed, 1 unknown, 2 active)
 * BROWSE         u64 requestId, S destination, S requester, u64 fromSequence, u16 maxMessages
 * BROWSED        u64 requestId, S destination, u64 nextSequence (0: no more), u16 n,
 *                n x { u64 sequence, S sender, S id, u16 messType, u32 length, length bytes of payload }
 *
 * end            nothing may follow the body
 * </pre>
 * Decoding is strict and bounded: every length and count is checked against the bytes that remain before anything
 * is allocated; an unknown magic, version, kind or flag, a string out of bounds or not UTF-8, a negative length or
 * trailing bytes fail with {@link MalformedStoreFrameException}. {@link #encodedLength} is exactly what
 * {@link #encode(StoreFrame, byte[], int)} writes.
 */
public final class StoreControlCodec {
    /** The Spread message type of store control messages ({@code 'S' 'S'}). */
    public static final short MESS_TYPE = 0x5353;
    public static final byte MAGIC = 0x73;
    public static final byte VERSION = 1;
    public static final int HEADER_BYTES = 4;
    static final int NAME_MAX = 255;
    /** The longest message selector a SUBSCRIBE carries, in UTF-8 bytes. */
    public static final int SELECTOR_MAX = 4096;

    private StoreControlCodec() {
    }

    private static int s(String v) {
        return 2 + v.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The number of bytes {@link #encode} writes for {@code f}. */
    public static int encodedLength(StoreFrame f) {
        int n = HEADER_BYTES;
        if (f instanceof StoreFrame.Stored x) {
            n += 4;
            for (StoreFrame.Ref r : x.refs()) {
                n += s(r.destination()) + s(r.id());
            }
        } else if (f instanceof StoreFrame.StateRequest x) {
            n += 18;
            for (String d : x.destinations()) {
                n += s(d);
            }
        } else if (f instanceof StoreFrame.StateOffer x) {
            n += 8 + s(x.joiner());
        } else if (f instanceof StoreFrame.StateChunk x) {
            n += 12 + s(x.destination()) + 2;
            for (StoredMessage m : x.messages()) {
                n += 8 + s(m.key().sender()) + s(m.key().id()) + 2 + 4 + m.payload().length;
            }
        } else if (f instanceof StoreFrame.StateDone x) {
            n += 22;
            for (String d : x.lastSequences().keySet()) {
                n += s(d) + 8;
            }
        } else if (f instanceof StoreFrame.Acked x) {
            n += s(x.destination()) + 2;
            for (MessageKey k : x.keys()) {
                n += s(k.sender()) + s(k.id());
            }
        } else if (f instanceof StoreFrame.Subscribe x) {
            n += 8 + s(x.subscriptionGroup()) + s(x.topic()) + s(x.topicGroup()) + s(x.subscriber()) + 1
                    + s(x.selector());
        } else if (f instanceof StoreFrame.Subscribed x) {
            n += 10 + s(x.subscriptionGroup()) + 1;
        } else if (f instanceof StoreFrame.Unsubscribe x) {
            n += 8 + s(x.subscriptionGroup()) + s(x.requester());
        } else if (f instanceof StoreFrame.Unsubscribed x) {
            n += 10 + s(x.subscriptionGroup()) + 1;
        } else if (f instanceof StoreFrame.Browse x) {
            n += 8 + s(x.destination()) + s(x.requester()) + 8 + 2;
        } else if (f instanceof StoreFrame.Browsed x) {
            n += 8 + s(x.destination()) + 8 + 2;
            for (StoredMessage m : x.messages()) {
                n += 8 + s(m.key().sender()) + s(m.key().id()) + 2 + 4 + m.payload().length;
            }
        }
        return n;
    }

    public static byte[] encode(StoreFrame f) {
        byte[] out = new byte[encodedLength(f)];
        encode(f, out, 0);
        return out;
    }

    /**
     * Writes {@code f} at {@code offset} of {@code dst}.
     *
     * @return the number of bytes written
     * @throws IllegalArgumentException if a count or string is out of the frame's bounds
     */
    public static int encode(StoreFrame f, byte[] dst, int offset) {
        ByteBuffer b = ByteBuffer.wrap(dst, offset, dst.length - offset);
        b.put(MAGIC).put(VERSION).put((byte) f.kind().wire()).put((byte) 0);
        if (f instanceof StoreFrame.Stored x) {
            b.putShort(u16(x.storeMembers(), "storeMembers")).putShort(u16(x.refs().size(), "refs"));
            for (StoreFrame.Ref r : x.refs()) {
                put(b, r.destination(), NAME_MAX);
                put(b, r.id(), MessageKey.MAX_ID_BYTES);
            }
        } else if (f instanceof StoreFrame.StateRequest x) {
            b.putLong(x.requestId()).putLong(x.appliedIndex()).putShort(u16(x.destinations().size(), "destinations"));
            for (String d : x.destinations()) {
                put(b, d, NAME_MAX);
            }
        } else if (f instanceof StoreFrame.StateOffer x) {
            b.putLong(x.requestId());
            put(b, x.joiner(), NAME_MAX);
        } else if (f instanceof StoreFrame.StateChunk x) {
            b.putLong(x.requestId()).putInt(x.index());
            put(b, x.destination(), NAME_MAX);
            b.putShort(u16(x.messages().size(), "messages"));
            putMessages(b, x.messages());
        } else if (f instanceof StoreFrame.StateDone x) {
            b.putLong(x.requestId()).putInt(x.chunks()).putLong(x.appliedIndex())
                    .putShort(u16(x.lastSequences().size(), "destinations"));
            for (Map.Entry<String, Long> e : new TreeMap<>(x.lastSequences()).entrySet()) {
                put(b, e.getKey(), NAME_MAX);
                b.putLong(e.getValue());
            }
        } else if (f instanceof StoreFrame.Acked x) {
            put(b, x.destination(), NAME_MAX);
            b.putShort(u16(x.keys().size(), "keys"));
            for (MessageKey k : x.keys()) {
                put(b, k.sender(), MessageKey.MAX_SENDER_BYTES);
                put(b, k.id(), MessageKey.MAX_ID_BYTES);
            }
        } else if (f instanceof StoreFrame.Subscribe x) {
            b.putLong(x.requestId());
            put(b, x.subscriptionGroup(), NAME_MAX);
            put(b, x.topic(), NAME_MAX);
            put(b, x.topicGroup(), NAME_MAX);
            put(b, x.subscriber(), MessageKey.MAX_SENDER_BYTES);
            b.put((byte) ((x.noLocal() ? 1 : 0) | (x.shared() ? 2 : 0)));
            byte[] sel = x.selector().getBytes(StandardCharsets.UTF_8);
            if (sel.length > SELECTOR_MAX) {
                throw new IllegalArgumentException("selector of " + sel.length + " bytes (at most " + SELECTOR_MAX
                        + ")");
            }
            b.putShort((short) sel.length).put(sel);
        } else if (f instanceof StoreFrame.Subscribed x) {
            b.putLong(x.requestId()).putShort(u16(x.storeMembers(), "storeMembers"));
            put(b, x.subscriptionGroup(), NAME_MAX);
            b.put((byte) x.status().ordinal());
        } else if (f instanceof StoreFrame.Unsubscribe x) {
            b.putLong(x.requestId());
            put(b, x.subscriptionGroup(), NAME_MAX);
            put(b, x.requester(), MessageKey.MAX_SENDER_BYTES);
        } else if (f instanceof StoreFrame.Unsubscribed x) {
            b.putLong(x.requestId()).putShort(u16(x.storeMembers(), "storeMembers"));
            put(b, x.subscriptionGroup(), NAME_MAX);
            b.put((byte) x.status().ordinal());
        } else if (f instanceof StoreFrame.Browse x) {
            b.putLong(x.requestId());
            put(b, x.destination(), NAME_MAX);
            put(b, x.requester(), MessageKey.MAX_SENDER_BYTES);
            b.putLong(x.fromSequence()).putShort(u16(x.maxMessages(), "maxMessages"));
        } else if (f instanceof StoreFrame.Browsed x) {
            b.putLong(x.requestId());
            put(b, x.destination(), NAME_MAX);
            b.putLong(x.nextSequence()).putShort(u16(x.messages().size(), "messages"));
            putMessages(b, x.messages());
        }
        return b.position() - offset;
    }

    private static void putMessages(ByteBuffer b, List<StoredMessage> messages) {
        for (StoredMessage m : messages) {
            b.putLong(m.sequence());
            put(b, m.key().sender(), MessageKey.MAX_SENDER_BYTES);
            put(b, m.key().id(), MessageKey.MAX_ID_BYTES);
            b.putShort(m.messType()).putInt(m.payload().length).put(m.payload());
        }
    }

    private static short u16(int v, String what) {
        if (v < 0 || v > 0xFFFF) {
            throw new IllegalArgumentException(what + " = " + v + " does not fit a frame (0..65535)");
        }
        return (short) v;
    }

    private static void put(ByteBuffer b, String v, int max) {
        byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > max) {
            throw new IllegalArgumentException("'" + v + "' is " + bytes.length + " bytes (1.." + max + " allowed)");
        }
        b.putShort((short) bytes.length).put(bytes);
    }

    public static StoreFrame decode(byte[] data) throws MalformedStoreFrameException {
        return decode(data, 0, data.length);
    }

    /** Decodes exactly {@code length} bytes from {@code offset}. */
    public static StoreFrame decode(byte[] data, int offset, int length) throws MalformedStoreFrameException {
        FrameCursor c = new FrameCursor(data, offset, length);
        int magic = c.u8("magic");
        if (magic != (MAGIC & 0xFF)) {
            throw new MalformedStoreFrameException(String.format("magic 0x%02x is not a store frame's (0x%02x)",
                    magic, MAGIC));
        }
        int version = c.u8("version");
        if (version != VERSION) {
            throw new MalformedStoreFrameException("store frame version " + version + " is not supported (only "
                    + VERSION + ")");
        }
        int k = c.u8("kind");
        StoreFrame.Kind kind = StoreFrame.Kind.fromWire(k);
        if (kind == null) {
            throw new MalformedStoreFrameException("unknown store frame kind " + k);
        }
        int flags = c.u8("flags");
        if (flags != 0) {
            throw new MalformedStoreFrameException("store frame flags " + flags + " are not defined (must be 0)");
        }
        StoreFrame f = switch (kind) {
            case STORED -> stored(c);
            case STATE_REQUEST -> request(c);
            case STATE_OFFER -> new StoreFrame.StateOffer(c.u64("requestId"), c.string("joiner", NAME_MAX));
            case STATE_CHUNK -> chunk(c);
            case STATE_DONE -> done(c);
            case ACKED -> acked(c);
            case SUBSCRIBE -> subscribe(c);
            case SUBSCRIBED -> new StoreFrame.Subscribed(c.u64("requestId"), c.u16("storeMembers"),
                    c.string("subscriptionGroup", NAME_MAX),
                    status(StoreFrame.SubscribeStatus.values(), c.u8("status")));
            case UNSUBSCRIBE -> new StoreFrame.Unsubscribe(c.u64("requestId"), c.string("subscriptionGroup", NAME_MAX),
                    c.string("requester", MessageKey.MAX_SENDER_BYTES));
            case UNSUBSCRIBED -> new StoreFrame.Unsubscribed(c.u64("requestId"), c.u16("storeMembers"),
                    c.string("subscriptionGroup", NAME_MAX),
                    status(StoreFrame.UnsubscribeStatus.values(), c.u8("status")));
            case BROWSE -> new StoreFrame.Browse(c.u64("requestId"), c.string("destination", NAME_MAX),
                    c.string("requester", MessageKey.MAX_SENDER_BYTES), c.u64("fromSequence"), c.u16("maxMessages"));
            case BROWSED -> browsed(c);
        };
        c.end(kind.name());
        return f;
    }

    private static StoreFrame stored(FrameCursor c) throws MalformedStoreFrameException {
        int members = c.u16("storeMembers");
        int n = c.u16("ref count");
        List<StoreFrame.Ref> refs = new ArrayList<>(Math.min(n, c.remaining() / 6));
        for (int i = 0; i < n; i++) {
            refs.add(new StoreFrame.Ref(c.string("destination", NAME_MAX), c.string("id", MessageKey.MAX_ID_BYTES)));
        }
        return new StoreFrame.Stored(members, refs);
    }

    private static StoreFrame request(FrameCursor c) throws MalformedStoreFrameException {
        long id = c.u64("requestId");
        long applied = c.u64("appliedIndex");
        int n = c.u16("destination count");
        List<String> ds = new ArrayList<>(Math.min(n, c.remaining() / 3));
        for (int i = 0; i < n; i++) {
            ds.add(c.string("destination", NAME_MAX));
        }
        return new StoreFrame.StateRequest(id, applied, ds);
    }

    private static StoreFrame chunk(FrameCursor c) throws MalformedStoreFrameException {
        long id = c.u64("requestId");
        int index = c.i32("chunk index");
        String dest = c.string("destination", NAME_MAX);
        return new StoreFrame.StateChunk(id, index, dest, messages(c, dest));
    }

    private static StoreFrame browsed(FrameCursor c) throws MalformedStoreFrameException {
        long id = c.u64("requestId");
        String dest = c.string("destination", NAME_MAX);
        long next = c.u64("nextSequence");
        return new StoreFrame.Browsed(id, dest, next, messages(c, dest));
    }

    private static List<StoredMessage> messages(FrameCursor c, String dest) throws MalformedStoreFrameException {
        int n = c.u16("message count");
        List<StoredMessage> ms = new ArrayList<>(Math.min(n, c.remaining() / 20));
        for (int i = 0; i < n; i++) {
            long seq = c.u64("sequence");
            MessageKey key = key(c);
            short messType = (short) c.u16("messType");
            int len = c.i32("payload length");
            ms.add(new StoredMessage(dest, seq, key, messType, c.bytes("payload", len)));
        }
        return ms;
    }

    private static MessageKey key(FrameCursor c) throws MalformedStoreFrameException {
        return new MessageKey(c.string("sender", MessageKey.MAX_SENDER_BYTES), c.string("id", MessageKey.MAX_ID_BYTES));
    }

    private static StoreFrame done(FrameCursor c) throws MalformedStoreFrameException {
        long id = c.u64("requestId");
        int chunks = c.i32("chunks");
        long applied = c.u64("appliedIndex");
        int n = c.u16("destination count");
        Map<String, Long> last = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String d = c.string("destination", NAME_MAX);
            if (last.put(d, c.u64("lastSequence")) != null) {
                throw new MalformedStoreFrameException("destination '" + d + "' appears twice in STATE_DONE");
            }
        }
        return new StoreFrame.StateDone(id, chunks, applied, last);
    }

    private static StoreFrame acked(FrameCursor c) throws MalformedStoreFrameException {
        String dest = c.string("destination", NAME_MAX);
        int n = c.u16("key count");
        List<MessageKey> keys = new ArrayList<>(Math.min(n, c.remaining() / 6));
        for (int i = 0; i < n; i++) {
            keys.add(key(c));
        }
        return new StoreFrame.Acked(dest, keys);
    }

    private static StoreFrame subscribe(FrameCursor c) throws MalformedStoreFrameException {
        long id = c.u64("requestId");
        String group = c.string("subscriptionGroup", NAME_MAX);
        String topic = c.string("topic", NAME_MAX);
        String topicGroup = c.string("topicGroup", NAME_MAX);
        String subscriber = c.string("subscriber", MessageKey.MAX_SENDER_BYTES);
        int options = c.u8("options");
        if ((options & ~3) != 0) {
            throw new MalformedStoreFrameException("SUBSCRIBE options " + options + " are not defined (bits 0-1)");
        }
        int length = c.u16("selector length");
        if (length > SELECTOR_MAX) {
            throw new MalformedStoreFrameException("selector of " + length + " bytes (at most " + SELECTOR_MAX + ")");
        }
        String selector = length == 0 ? "" : c.utf8("selector", length);
        return new StoreFrame.Subscribe(id, group, topic, topicGroup, subscriber, (options & 1) != 0,
                (options & 2) != 0, selector);
    }

    private static <E extends Enum<E>> E status(E[] values, int wire) throws MalformedStoreFrameException {
        if (wire >= values.length) {
            throw new MalformedStoreFrameException("status " + wire + " is not defined (0.." + (values.length - 1)
                    + ")");
        }
        return values[wire];
    }
}
