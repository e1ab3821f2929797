package org.spreadjms.store;

import org.spreadjms.jms.store.MessageKey;

/**
 * An operation of the replica group's live stream (docs/store-protocol.md). {@code storeMembers} is the size of the
 * control view at the point it was delivered: the same at every member, and every member of that view acknowledges
 * the message.
 */
record LiveOperation(Op op, String destination, MessageKey key, String replyTo, String ackAs, short messType,
                     byte[] data, int storeMembers) {

    /** What a live operation does to the log. */
    enum Op {
        APPEND, DELETE, PURGE,
        /** Nothing to write; acknowledge once everything before is written (a topic message no subscription keeps). */
        ACK
    }

    /** Whether applying it sends a STORED acknowledgement. */
    boolean acknowledges() {
        return replyTo != null && (op == Op.APPEND || op == Op.ACK);
    }

    String acknowledgedAs() {
        return ackAs != null ? ackAs : destination;
    }
}
