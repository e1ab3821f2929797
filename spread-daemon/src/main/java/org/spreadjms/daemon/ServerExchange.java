package org.spreadjms.daemon;

import java.nio.ByteBuffer;

/**
 * The daemon half of one authentication method, fed the client's bytes after the 90-byte choice (see
 * {@code AuthMessages} for the bytes). Used by the selector thread only.
 */
abstract class ServerExchange {
    enum Status {
        NEED_MORE,
        /** The credentials are right: send {@link #reply()}, then the accept. */
        ACCEPTED,
        /** Wrong or malformed: send {@link #reply()}, then REJECT_AUTH, and close. */
        REFUSED
    }

    private byte[] reply = new byte[0];

    /** Consumes bytes; may set a reply to send at once (SCRAM's challenge) while returning NEED_MORE. */
    abstract Status feed(ByteBuffer in);

    /** The user the client claimed (known once the first message is in), or null. */
    abstract String user();

    /** Why it was refused, for the log. */
    abstract String problem();

    /** Bytes to send now, taken once. */
    final byte[] takeReply() {
        byte[] r = reply;
        reply = new byte[0];
        return r;
    }

    final byte[] reply() {
        return reply;
    }

    final void reply(byte[] bytes) {
        byte[] out = new byte[reply.length + bytes.length];
        System.arraycopy(reply, 0, out, 0, reply.length);
        System.arraycopy(bytes, 0, out, reply.length, bytes.length);
        reply = out;
    }
}
