package org.spreadjms.client;

import org.spreadjms.client.protocol.TypeBits;
import org.spreadjms.client.wire.GroupNames;

/**
 * Every constant of the Spread 4 C API ({@code sp.h}) and of Python's {@code spread} module, with the values the
 * daemon puts on the wire. Typed code should prefer {@link ServiceType}, {@link SpreadError} and
 * {@link org.spreadjms.client.membership.MembershipReason}; these ints exist so that code ported from C or Python
 * reads the same.
 */
public final class SpreadConstants {
    private SpreadConstants() {
    }

    // service types (the "type" word)
    public static final int UNRELIABLE_MESS = 0x00000001;
    public static final int RELIABLE_MESS = 0x00000002;
    public static final int FIFO_MESS = 0x00000004;
    public static final int CAUSAL_MESS = 0x00000008;
    public static final int AGREED_MESS = 0x00000010;
    public static final int SAFE_MESS = 0x00000020;
    public static final int REGULAR_MESS = TypeBits.REGULAR_MESS;
    public static final int SELF_DISCARD = TypeBits.SELF_DISCARD;
    /** C-library-local receive flag; never on the wire and meaningless here (this client never truncates). */
    public static final int DROP_RECV = 0x01000000;

    // membership bits
    public static final int CAUSED_BY_JOIN = TypeBits.CAUSED_BY_JOIN;
    public static final int CAUSED_BY_LEAVE = TypeBits.CAUSED_BY_LEAVE;
    public static final int CAUSED_BY_DISCONNECT = TypeBits.CAUSED_BY_DISCONNECT;
    public static final int CAUSED_BY_NETWORK = TypeBits.CAUSED_BY_NETWORK;
    public static final int REG_MEMB_MESS = TypeBits.REG_MEMB_MESS;
    public static final int TRANSITION_MESS = TypeBits.TRANSITION_MESS;
    public static final int MEMBERSHIP_MESS = TypeBits.MEMBERSHIP_MESS;

    public static final int ENDIAN_RESERVED = 0x80000080;
    public static final int RESERVED = 0x003fc000;
    public static final int REJECT_MESS = TypeBits.REJECT_MESS;

    // control messages (daemon-internal in sp.h, needed on the wire)
    public static final int RETRANSMIT_TYPE = 0x00004000;
    public static final int LATENCY_MESS = 0x00008000;
    public static final int JOIN_MESS = 0x00010000;
    public static final int LEAVE_MESS = 0x00020000;
    public static final int KILL_MESS = 0x00040000;
    public static final int GROUPS_MESS = 0x00080000;
    public static final int DUMMY_MESS = 0x00100000;
    public static final int STATETRANS_MESS = 0x00200000;

    // priorities accepted by SP_connect (stored by the daemon, without effect)
    public static final int LOW_PRIORITY = 0;
    public static final int MEDIUM_PRIORITY = 1;
    public static final int HIGH_PRIORITY = 2;

    // reply and error codes
    public static final int ACCEPT_SESSION = 1;
    public static final int ILLEGAL_SPREAD = -1;
    public static final int COULD_NOT_CONNECT = -2;
    public static final int REJECT_QUOTA = -3;
    public static final int REJECT_NO_NAME = -4;
    public static final int REJECT_ILLEGAL_NAME = -5;
    public static final int REJECT_NOT_UNIQUE = -6;
    public static final int REJECT_VERSION = -7;
    public static final int CONNECTION_CLOSED = -8;
    public static final int REJECT_AUTH = -9;
    public static final int ILLEGAL_SESSION = -11;
    public static final int ILLEGAL_SERVICE = -12;
    public static final int ILLEGAL_MESSAGE = -13;
    public static final int ILLEGAL_GROUP = -14;
    public static final int BUFFER_TOO_SHORT = -15;
    public static final int GROUPS_TOO_SHORT = -16;
    public static final int MESSAGE_TOO_LONG = -17;
    public static final int NET_ERROR_ON_SESSION = -18;

    // sizes
    public static final int DEFAULT_SPREAD_PORT = 4803;
    /** Bytes of a group-name slot including the terminating NUL: names have at most 31 characters. */
    public static final int MAX_GROUP_NAME = GroupNames.SLOT_BYTES;
    /** Characters of a private name. */
    public static final int MAX_PRIVATE_NAME = GroupNames.MAX_PRIVATE_NAME_LENGTH;
    /** Bytes of a daemon name including the NUL: daemon names have at most 19 characters. */
    public static final int MAX_PROC_NAME = GroupNames.MAX_DAEMON_NAME_LENGTH + 1;
    public static final int SP_MAJOR_VERSION = 4;
    public static final int SP_MINOR_VERSION = 0;
    public static final int SP_PATCH_VERSION = 0;
}
