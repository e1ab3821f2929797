package org.spreadjms.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.spreadjms.client.SpreadConstants;
import org.spreadjms.client.wire.FrameEncoder;
import org.spreadjms.client.wire.GroupNames;
import org.spreadjms.client.wire.Handshake;
import org.spreadjms.client.wire.MalformedFrameException;
import org.spreadjms.client.wire.RawFrame;

/**
 * A blocking raw-socket Spread client for tests: writes handshake and frame bytes as given, reads frames with the
 * project's client decoder. Reads time out after {@link #READ_TIMEOUT_MS}, so a missing byte fails a test instead of
 * hanging it.
 */
final class RawSpreadClient implements Closeable {
    static final int READ_TIMEOUT_MS = 10_000;
    /** What our daemon sends as auth list: "NULL SPREADJMS-LIMITS ". */
    static final byte[] AUTH_LIST = Bytes.concat("16", Bytes.ascii("NULL SPREADJMS-LIMITS "));

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final org.spreadjms.client.wire.FrameDecoder decoder =
            org.spreadjms.client.wire.FrameDecoder.forClient(1 << 20);
    private final ByteBuffer inbox = ByteBuffer.allocate(64 * 1024).flip();
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    private String privateGroup;

    private RawSpreadClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(READ_TIMEOUT_MS);
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** A TCP connection with no handshake yet. */
    static RawSpreadClient open(int port) throws IOException {
        return new RawSpreadClient(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    /** A TCP connection whose receive buffer is set before connecting (for slow-client tests). */
    static RawSpreadClient openWithReceiveBuffer(int port, int bytes) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(bytes);
        s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return new RawSpreadClient(s);
    }

    /** Connects as a 4.0.0 client and checks the auth list and the accept. */
    static RawSpreadClient connect(int port, String name, boolean membership) throws IOException {
        RawSpreadClient c = open(port);
        c.handshake(name, membership);
        return c;
    }

    void handshake(String name, boolean membership) throws IOException {
        write(Handshake.connectRequest(4, 0, 0, membership, false, name));
        assertArrayEquals(AUTH_LIST, readExactly(AUTH_LIST.length), "auth list");
        write(Handshake.authChoice("NULL"));
        byte[] head = readExactly(5);
        assertArrayEquals(Bytes.hex("01 04 00 00"), Arrays.copyOf(head, 4), "accept and daemon version");
        privateGroup = new String(readExactly(head[4]), StandardCharsets.ISO_8859_1);
    }

    /** Writes frames in big-endian order with clear markers, as the official Java client does. */
    RawSpreadClient bigEndian() {
        order = ByteOrder.BIG_ENDIAN;
        return this;
    }

    String privateGroup() {
        return privateGroup;
    }

    void write(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    /** Writes bytes the daemon may refuse before it has read them all (it then resets the connection). */
    void writeUntilClosed(byte[] b) throws IOException {
        try {
            write(b);
        } catch (SocketException e) {
            // the daemon dropped the session while we were still writing
        }
    }

    byte[] readExactly(int n) throws IOException {
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    /** The next byte, or -1 at end of stream. */
    int readByte() throws IOException {
        return in.read();
    }

    /** Reads until the daemon closes the connection; fails with a timeout if it does not. Returns bytes skipped. */
    long readToEnd() throws IOException {
        long skipped = inbox.remaining();
        inbox.position(inbox.limit());
        byte[] b = new byte[64 * 1024];
        try {
            for (int n; (n = in.read(b)) >= 0; ) {
                skipped += n;
            }
        } catch (SocketException e) {
            // a reset also ends the stream (the daemon closed with unread bytes)
        }
        return skipped;
    }

    RawFrame readFrame() throws IOException {
        while (true) {
            try {
                RawFrame f = decoder.decode(inbox);
                if (f != null) {
                    return f;
                }
            } catch (MalformedFrameException e) {
                throw new IOException(e);
            }
            int n = in.read(inbox.array(), 0, inbox.capacity());
            if (n < 0) {
                throw new EOFException("end of stream" + (decoder.midFrame() ? " inside a frame" : ""));
            }
            inbox.position(0).limit(n);
        }
    }

    /** Reads frames until a data message with this payload; returns the frames before it. */
    List<RawFrame> readUntil(String payload) throws IOException {
        List<RawFrame> before = new ArrayList<>();
        byte[] want = Bytes.ascii(payload);
        while (true) {
            RawFrame f = readFrame();
            if (f.isRegular() && Arrays.equals(want, f.copyData())) {
                return before;
            }
            before.add(f);
        }
    }

    // ---- frames

    /** A frame in this client's byte order, with its own private group as sender. */
    byte[] frame(int type, int messType, byte[] data, String... groups) {
        return frame(type, GroupNames.toSlot(privateGroup), messType, data, groups);
    }

    byte[] frame(int type, byte[] senderSlot, int messType, byte[] data, String... groups) {
        byte[] f = new byte[FrameEncoder.frameLength(groups.length, data.length)];
        FrameEncoder.writeHeader(f, 0, order, type, senderSlot, groups.length, messType, data.length);
        for (int i = 0; i < groups.length; i++) {
            FrameEncoder.writeSlot(f, 48 + 32 * i, GroupNames.toSlot(groups[i]));
        }
        System.arraycopy(data, 0, f, 48 + 32 * groups.length, data.length);
        return f;
    }

    void join(String group) throws IOException {
        write(frame(SpreadConstants.JOIN_MESS, 0, new byte[0], group));
    }

    void leave(String group) throws IOException {
        write(frame(SpreadConstants.LEAVE_MESS, 0, new byte[0], group));
    }

    void kill() throws IOException {
        write(frame(SpreadConstants.KILL_MESS, 0, new byte[0], privateGroup));
    }

    void multicast(int service, int messType, String data, String... groups) throws IOException {
        write(frame(service, messType, Bytes.ascii(data), groups));
    }

    /** Joins and waits for the own join notice (membership on). */
    void joinAndAwait(String group) throws IOException {
        join(group);
        while (true) {
            RawFrame f = readFrame();
            if (f.isMembership() && f.sender().equals(group)
                    && (f.type() & SpreadConstants.CAUSED_BY_JOIN) != 0
                    && privateGroup.equals(changedMember(f))) {
                return;
            }
        }
    }

    /** The one name of the vs set of a join/leave/disconnect notice. */
    static String changedMember(RawFrame f) {
        int body = f.dataOffset();
        assertEquals(56, f.dataLength(), "lightweight membership body length");
        return GroupNames.fromSlot(f.bytes(), body + 24);
    }

    /** The group index of a membership notice's group id. */
    static int groupIndex(RawFrame f) {
        return ByteBuffer.wrap(f.bytes(), f.dataOffset() + 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
