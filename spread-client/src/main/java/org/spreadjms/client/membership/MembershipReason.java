package org.spreadjms.client.membership;

import org.spreadjms.client.protocol.TypeBits;

/** Why a membership message was sent. */
public enum MembershipReason {
    /** A member joined (regular membership, CAUSED_BY_JOIN). */
    JOIN,
    /** A member left (regular membership, CAUSED_BY_LEAVE). */
    LEAVE,
    /** A member disconnected, was cut off or crashed (regular membership, CAUSED_BY_DISCONNECT). */
    DISCONNECT,
    /** Daemons partitioned or merged (regular membership, CAUSED_BY_NETWORK). */
    NETWORK,
    /** Transitional signal: what follows until the next regular membership is delivered in a reduced view. */
    TRANSITIONAL,
    /** This connection left the group (sent only to the leaver). */
    SELF_LEAVE;

    /**
     * Classifies a membership type word.
     *
     * @return the reason, or {@code null} if the word is not a membership message
     */
    public static MembershipReason fromTypeWord(int type) {
        if ((type & TypeBits.REJECT_MESS) != 0) {
            return null;
        }
        if ((type & TypeBits.REG_MEMB_MESS) != 0) {
            if ((type & TypeBits.CAUSED_BY_JOIN) != 0) {
                return JOIN;
            }
            if ((type & TypeBits.CAUSED_BY_LEAVE) != 0) {
                return LEAVE;
            }
            if ((type & TypeBits.CAUSED_BY_DISCONNECT) != 0) {
                return DISCONNECT;
            }
            if ((type & TypeBits.CAUSED_BY_NETWORK) != 0) {
                return NETWORK;
            }
            return null;
        }
        if ((type & TypeBits.TRANSITION_MESS) != 0) {
            return TRANSITIONAL;
        }
        if ((type & TypeBits.CAUSED_BY_LEAVE) != 0) {
            return SELF_LEAVE;
        }
        return null;
    }

    /** The bits of the type word the daemon sends for this reason (without the endian marker). */
    public int typeWord() {
        return switch (this) {
            case JOIN -> TypeBits.REG_MEMB_MESS | TypeBits.CAUSED_BY_JOIN;
            case LEAVE -> TypeBits.REG_MEMB_MESS | TypeBits.CAUSED_BY_LEAVE;
            case DISCONNECT -> TypeBits.REG_MEMB_MESS | TypeBits.CAUSED_BY_DISCONNECT;
            case NETWORK -> TypeBits.REG_MEMB_MESS | TypeBits.CAUSED_BY_NETWORK;
            case TRANSITIONAL -> TypeBits.TRANSITION_MESS;
            case SELF_LEAVE -> TypeBits.CAUSED_BY_LEAVE;
        };
    }
}
