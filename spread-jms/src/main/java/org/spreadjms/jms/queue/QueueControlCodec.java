package org.spreadjms.jms.queue;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire format of {@link QueueControl} messages, version 1. A Spread message carrying one has the 16-bit message
 * type {@link #MESS_TYPE} ({@code 'SL'}) and is sent AGREED to the queue's (or shared subscription's) group.
 *
 * <h2>Layout</h2>
 * All integers are big-endian. {@code U} is a string: an unsigned 16-bit byte length, then that many bytes of UTF-8.
 * <pre>
 * offset size  field
 * ------ ----  -----------------------------------------------------------------
 *   0     1    magic 'Q' (0x51)
 *   1     1    version (1)
 *   2     1    kind: 1 ACK, 2 DECLINE, 3 OBSERVER, 4 CONSUMER, 5 RELEASE, 6 HOLDS, 7 LACKS
 *   3     U    member: the sender's private group, "#name#daemon"
 *   .     U    view: only for HOLDS and LACKS, the id of the view the answered copies came in
 *   .     4    id count N (0 for OBSERVER and CONSUMER)
 *   .   N x U  JMSMessageIDs
 *   end        nothing may follow
 * </pre>
 * Decoding checks every length against the bytes that are left before it allocates anything, so a hostile frame
 * cannot make a reader allocate more than the frame's own size.
 */
public final class QueueControlCodec {
    /** Spread message type of queue control messages. */
    public static final short MESS_TYPE = 0x534C;
    static final byte MAGIC = 'Q';
    static final byte VERSION = 1;

    private QueueControlCodec() {
    }

    /** Bytes {@link #encode} produces for {@code c}. */
    public static int encodedLength(QueueControl c) {
        int n = 3 + 2 + utf8Length(c.member()) + 4;
        if (c.kind().answersCopies()) {
            n += 2 + utf8Length(c.view());
        }
        for (String id : c.ids()) {
            n += 2 + utf8Length(id);
        }
        return n;
    }

    public static byte[] encode(QueueControl c) {
        ByteBuffer b = ByteBuffer.allocate(encodedLength(c));
        b.put(MAGIC).put(VERSION).put(c.kind().wire());
        putString(b, c.member(), "member");
        if (c.kind().answersCopies()) {
            putString(b, c.view(), "view");
        }
        b.putInt(c.ids().size());
        for (String id : c.ids()) {
            putString(b, id, "message id");
        }
        return b.array();
    }

    /**
     * Decodes one control message.
     *
     * @throws IllegalArgumentException naming what is wrong, when {@code frame} is not a well-formed version 1
     *                                  control message
     */
    public static QueueControl decode(byte[] frame) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        try {
            byte magic = b.get();
            if (magic != MAGIC) {
                throw new IllegalArgumentException(String.format("not a queue control message: magic 0x%02x,"
                        + " expected 0x%02x", magic & 0xff, MAGIC));
            }
            byte version = b.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("queue control message version " + (version & 0xff)
                        + " is not supported (this reader knows version " + VERSION + ")");
            }
            byte wire = b.get();
            QueueControl.Kind kind = QueueControl.Kind.ofWire(wire);
            if (kind == null) {
                throw new IllegalArgumentException("unknown queue control kind " + (wire & 0xff));
            }
            String member = getString(b, "member");
            String view = kind.answersCopies() ? getString(b, "view") : "";
            int n = b.getInt();
            // every id takes at least its 2-byte length
            if (n < 0 || n > b.remaining() / 2) {
                throw new IllegalArgumentException("id count " + n + " does not fit the " + b.remaining()
                        + " bytes left");
            }
            List<String> ids = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ids.add(getString(b, "message id " + i));
            }
            if (b.hasRemaining()) {
                throw new IllegalArgumentException(b.remaining() + " bytes after the last id");
            }
            return new QueueControl(kind, member, view, ids);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("queue control message truncated at byte " + b.position() + " of "
                    + frame.length, e);
        }
    }

    private static void putString(ByteBuffer b, String s, String what) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xffff) {
            throw new IllegalArgumentException(what + " is " + bytes.length + " bytes in UTF-8 (at most 65535)");
        }
        b.putShort((short) bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer b, String what) {
        int len = b.getShort() & 0xffff;
        if (len > b.remaining()) {
            throw new IllegalArgumentException(what + " of " + len + " bytes does not fit the " + b.remaining()
                    + " bytes left");
        }
        String s = new String(b.array(), b.position(), len, StandardCharsets.UTF_8);
        b.position(b.position() + len);
        return s;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
