package org.spreadjms.daemon;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.spreadjms.client.SpreadConstants;
import org.spreadjms.client.wire.GroupNames;
import org.spreadjms.client.wire.Handshake;

/**
 * Incremental parser of the client's half of the handshake: the connect request, then (for clients of version
 * 3.16.0 and later) the 90-byte authentication choice. One method per state; each returns {@link Step#NEED_MORE}
 * until its bytes are there.
 *
 * <pre>
 * VERSION    major minor               (2 bytes; V = major*10000 + minor*100)
 * PATCH      patch                     (1 byte, only if V > 31400, i.e. clients 3.15 and later)
 * FLAGS_LEN  flags L                   (2 bytes; L must be 0..10)
 * NAME       name[L]                   (bytes 0x24..0x7E; no surplus bytes may follow)
 * AUTH       3 x 30-byte method names  (only clients of 3.16.0 and later, after the daemon sent its list)
 * </pre>
 *
 * <p>Unlike the 4.0.0 daemon, which gives up when the request is split across TCP segments, this parser waits for
 * the missing bytes (the caller enforces the handshake timeout). It keeps the real daemon's rule that bytes
 * pipelined after the name, which a well-behaved client never sends before it has the auth list, make the name
 * illegal: the real daemon reads the name with one read of up to 10 bytes and answers REJECT_ILLEGAL_NAME when that
 * read returns more than L bytes.
 */
final class HandshakeParser {
    /** What the caller must do next. */
    enum Step {
        NEED_MORE,
        /** A legal connect request is complete: check the name's uniqueness, then send the list or the accept. */
        REQUEST_DONE,
        /** The auth choice is complete: see {@link #chosenMethods()}; the method's own bytes may follow in the input. */
        CHOICE_DONE,
        /** Send {@link #rejectCode()} and close. */
        REJECT
    }

    private enum State { VERSION, PATCH, FLAGS_LEN, NAME, WAIT_LIST, AUTH, DONE }

    private static final int MIN_VERSION = 30100;
    private static final int PATCH_BYTE_ABOVE = 31400;
    private static final int AUTH_PHASE_FROM = 31600;
    private static final int ACCEPT_PATCH_FROM = 31500;

    private final byte[] scratch = new byte[Handshake.AUTH_CHOICE_BYTES];
    private State state = State.VERSION;
    private int filled;
    private int version;
    private int flags;
    private int nameLength;
    private String privateName;
    private java.util.List<String> chosenMethods = java.util.List.of();
    private int rejectCode;

    /** Consumes bytes of the handshake; bytes after the auth choice stay in {@code in} (they are frames). */
    Step feed(ByteBuffer in) {
        while (true) {
            State before = state;
            Step step = switch (state) {
                case VERSION -> version(in);
                case PATCH -> patch(in);
                case FLAGS_LEN -> flagsAndLength(in);
                case NAME -> name(in);
                case AUTH -> authChoice(in);
                // the request is complete but the list not yet sent: anything arriving now is pipelined surplus
                case WAIT_LIST -> in.hasRemaining() ? reject(SpreadConstants.REJECT_ILLEGAL_NAME) : Step.NEED_MORE;
                case DONE -> Step.NEED_MORE;
            };
            if (step != Step.NEED_MORE || state == before) {
                return step;
            }
        }
    }

    private Step version(ByteBuffer in) {
        if (!fill(in, 2)) {
            return Step.NEED_MORE;
        }
        // signed bytes, as the C daemon reads them
        version = scratch[0] * 10000 + scratch[1] * 100;
        if (version < MIN_VERSION) {
            return reject(SpreadConstants.REJECT_VERSION);
        }
        return next(version > PATCH_BYTE_ABOVE ? State.PATCH : State.FLAGS_LEN);
    }

    private Step patch(ByteBuffer in) {
        if (!fill(in, 1)) {
            return Step.NEED_MORE;
        }
        version += scratch[0];
        return next(State.FLAGS_LEN);
    }

    private Step flagsAndLength(ByteBuffer in) {
        if (!fill(in, 2)) {
            return Step.NEED_MORE;
        }
        flags = scratch[0];
        nameLength = scratch[1];
        if (nameLength < 0 || nameLength > SpreadConstants.MAX_PRIVATE_NAME) {
            return reject(SpreadConstants.REJECT_ILLEGAL_NAME);
        }
        return next(State.NAME);
    }

    private Step name(ByteBuffer in) {
        if (!fill(in, nameLength)) {
            return Step.NEED_MORE;
        }
        if (in.hasRemaining()) {
            return reject(SpreadConstants.REJECT_ILLEGAL_NAME);
        }
        for (int i = 0; i < nameLength; i++) {
            if (!GroupNames.isLegalNameByte(scratch[i])) {
                return reject(SpreadConstants.REJECT_ILLEGAL_NAME);
            }
        }
        privateName = new String(scratch, 0, nameLength, StandardCharsets.ISO_8859_1);
        next(State.WAIT_LIST);
        return Step.REQUEST_DONE;
    }

    private Step authChoice(ByteBuffer in) {
        if (!fill(in, Handshake.AUTH_CHOICE_BYTES)) {
            return Step.NEED_MORE;
        }
        chosenMethods = Handshake.parseAuthChoice(scratch);
        next(State.DONE);
        return Step.CHOICE_DONE;
    }

    /** Called once the auth list went out: the 90-byte choice comes next. */
    void authListSent() {
        next(State.AUTH);
    }

    /** Copies bytes into the scratch array until it holds {@code n}. */
    private boolean fill(ByteBuffer in, int n) {
        int take = Math.min(n - filled, in.remaining());
        in.get(scratch, filled, take);
        filled += take;
        return filled == n;
    }

    private Step next(State s) {
        state = s;
        filled = 0;
        return Step.NEED_MORE;
    }

    private Step reject(int code) {
        rejectCode = code;
        state = State.DONE;
        return Step.REJECT;
    }

    /**
     * The reject byte for a handshake that did not finish in time, the one the real daemon sends when these bytes
     * are missing; 0 when nothing at all should be sent (not even the version arrived).
     */
    int timeoutRejectCode() {
        return switch (state) {
            case VERSION, PATCH -> 0;
            case FLAGS_LEN -> SpreadConstants.REJECT_NO_NAME;
            case NAME -> SpreadConstants.REJECT_ILLEGAL_NAME;
            case WAIT_LIST, AUTH -> SpreadConstants.REJECT_AUTH;
            case DONE -> rejectCode;
        };
    }

    /** Client version as {@code major*10000 + minor*100 + patch}. */
    int version() {
        return version;
    }

    /** Whether the client gets the auth list (clients of 3.16.0 and later). */
    boolean usesAuthPhase() {
        return version >= AUTH_PHASE_FROM;
    }

    /** Whether the accept carries the patch byte (clients of 3.15.0 and later). */
    boolean acceptWithPatch() {
        return version >= ACCEPT_PATCH_FROM;
    }

    /** Flags bit 0: the client wants membership messages. */
    boolean wantsMembership() {
        return (flags & Handshake.FLAG_MEMBERSHIP) != 0;
    }

    /** The requested private name; empty when the daemon must invent one. */
    String privateName() {
        return privateName;
    }

    /** The methods named in the client's 90-byte choice, up to the first empty slot. */
    java.util.List<String> chosenMethods() {
        return chosenMethods;
    }

    int rejectCode() {
        return rejectCode;
    }
}
