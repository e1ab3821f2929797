package org.spreadjms.jms.queue;

import java.util.List;
import java.util.Objects;

/**
 * A control message of the queue protocol (docs/queue-protocol.md), sent in a queue's or shared subscription's group
 * with Spread message type {@link QueueControlCodec#MESS_TYPE}.
 *
 * @param kind   what the member says
 * @param member the private group of the member that says it
 * @param view   for HOLDS and LACKS, the id of the group view in which the copies it answers were delivered (the
 *               members match an answer to the copies of that view); empty for the other kinds
 * @param ids    the JMSMessageIDs it is about (empty for OBSERVER and CONSUMER)
 */
public record QueueControl(Kind kind, String member, String view, List<String> ids) {
    /** The kinds of control message, with their wire values. */
    public enum Kind {
        /** The member's consumers consumed these messages: every member forgets them. */
        ACK(1),
        /** The member will not deliver these messages it was assigned: they are reassigned without it. */
        DECLINE(2),
        /** The member only watches the queue (a producer with queueNoConsumerPolicy=fail): it has no consumer. */
        OBSERVER(3),
        /** The member has consumers again after observing. */
        CONSUMER(4),
        /**
         * The member's application received these messages and did not acknowledge them (its session closed): they are
         * reassigned without it, like a DECLINE, but marked redelivered.
         */
        RELEASE(5),
        /**
         * The member received these copies that a store member re-published (in the view named by {@code view}) and
         * holds them, or saw them acknowledged: no member takes them as new (docs/queue-protocol.md, rule 8).
         */
        HOLDS(6),
        /** The member received these re-published copies (in the view named by {@code view}) and does not hold them. */
        LACKS(7);

        private final byte wire;

        Kind(int wire) {
            this.wire = (byte) wire;
        }

        /** Whether this kind answers re-published copies (and so names the view they came in). */
        public boolean answersCopies() {
            return this == HOLDS || this == LACKS;
        }

        public byte wire() {
            return wire;
        }

        static Kind ofWire(byte b) {
            for (Kind k : values()) {
                if (k.wire == b) {
                    return k;
                }
            }
            return null;
        }
    }

    public QueueControl {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(view, "view");
        if (!view.isEmpty() && !kind.answersCopies()) {
            throw new IllegalArgumentException("a " + kind + " names no view");
        }
        ids = List.copyOf(ids);
    }

    /** A control message of a kind that names no view. */
    public QueueControl(Kind kind, String member, List<String> ids) {
        this(kind, member, "", ids);
    }
}
