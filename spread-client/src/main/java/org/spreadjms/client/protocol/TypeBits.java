package org.spreadjms.client.protocol;

/**
 * Bits of a frame's type word that both the frame codecs ({@code wire}) and membership classification
 * ({@code membership}) read, with the values of Spread 4's {@code sp.h}. This package imports nothing of the client,
 * so {@code wire} and {@code membership} need not reach up into {@code org.spreadjms.client};
 * the client's {@code SpreadConstants} re-exports these values under the same names.
 */
public final class TypeBits {
    private TypeBits() {
    }

    /** Any of the service types UNRELIABLE..SAFE: a data message. */
    public static final int REGULAR_MESS = 0x0000003f;

    public static final int CAUSED_BY_JOIN = 0x00000100;
    public static final int CAUSED_BY_LEAVE = 0x00000200;
    public static final int CAUSED_BY_DISCONNECT = 0x00000400;
    public static final int CAUSED_BY_NETWORK = 0x00000800;
    public static final int REG_MEMB_MESS = 0x00001000;
    public static final int TRANSITION_MESS = 0x00002000;
    /** Any membership bit: a membership message. */
    public static final int MEMBERSHIP_MESS = 0x00003f00;

    /** The daemon refused this message and returns it to its sender. */
    public static final int REJECT_MESS = 0x00400000;
    /** Service-type bit: the sender does not get its own message back. */
    public static final int SELF_DISCARD = 0x00000040;
}
