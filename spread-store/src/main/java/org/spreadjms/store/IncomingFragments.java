package org.spreadjms.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.MembershipMessage;
import org.spreadjms.client.membership.MembershipReason;
import org.spreadjms.jms.provider.Fragment;
import org.spreadjms.jms.provider.Reassembly;
import org.spreadjms.jms.store.PersistentMessages;
import org.spreadjms.jms.store.StoreControlCodec;
import org.spreadjms.jms.store.StoreMembers;

/**
 * Puts together the messages that reach a store member in fragments (spread-jms {@link Fragment}, type
 * {@code 'SK'}): PERSISTENT messages larger than one Spread message from JMS senders, and stored messages a donor
 * sends in a state transfer. The whole message is handled at the point of its last fragment, as if it had been one
 * Spread message delivered there; every store member receives the same fragments in the same order, so every one
 * completes it at the same point of the stream and stores it under the same sequence.
 *
 * <p>Judged alike at every member ({@link Reassembly#inOrder}): no clock; partial messages of a sender that
 * disconnects, or is cut off by a network change, are discarded. A message whose first fragments came before this
 * member joined cannot be put together here; when one that came through the control group (a sender that waits for
 * the store) completes, {@code missed} is told, so that the member gets it from a state transfer with a later cut
 * ({@link ReplicaProtocol#onMissed}). Memory: at most {@link PersistentMessages#MAX_MESSAGE_BYTES} per message (a
 * little more for a state chunk that carries one) and {@link #MAX_PENDING_BYTES} in all partial messages; a larger
 * message is refused, and when partial messages would pass the total those that grew least recently are discarded
 * (a sender that stopped mid-message without being seen to leave holds memory only until then). Such a message is
 * never acknowledged, so its sender's {@code send()} fails after its {@code storeTimeout}.
 *
 * <p>Dispatcher thread only.
 */
final class IncomingFragments {
    private static final Logger LOG = LoggerFactory.getLogger(IncomingFragments.class);
    /** Memory for partial messages, as spread-jms's default {@code reassemblyBufferBytes}. */
    static final long MAX_PENDING_BYTES = 256L << 20;
    /**
     * Room besides the largest kept message for the frame it may travel in: a state chunk holds up to about half a
     * Spread message of other messages, and the headers of each.
     */
    private static final long FRAME_SLACK_BYTES = 1L << 20;

    private final String me;
    private final String controlGroup;
    private final Consumer<String> missed;
    private final Reassembly reassembly;
    /** The members of each group in its last regular view, to tell who a network change cut off. */
    private final Map<String, List<String>> views = new HashMap<>();
    /** The fragment being added (for {@link #missed(String)}). */
    private DataMessage current;

    /**
     * @param missed told, at the point of the stream where it happens, that a message sent through
     *               {@code controlGroup} completed whose first fragments came before this member joined: members that
     *               had all of it stored it there
     */
    IncomingFragments(String me, String controlGroup, Consumer<String> missed) {
        this(me, controlGroup, PersistentMessages.MAX_MESSAGE_BYTES + FRAME_SLACK_BYTES, MAX_PENDING_BYTES, missed);
    }

    IncomingFragments(String me, String controlGroup, long maxMessageBytes, long maxPendingBytes,
                      Consumer<String> missed) {
        this.me = me;
        this.controlGroup = controlGroup;
        this.missed = missed;
        this.reassembly = Reassembly.inOrder(maxMessageBytes, maxPendingBytes, reason -> { }, this::missed);
    }

    /**
     * The message to handle now: {@code m} itself when it is not a fragment, the whole message (with the sender,
     * groups and service of its last fragment, and the message type of the whole) when {@code m} completed one, or
     * null.
     */
    DataMessage whole(DataMessage m) {
        if (m.messType() != Fragment.MESS_TYPE) {
            return m;
        }
        Fragment f;
        try {
            f = Fragment.decode(m.data());
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: dropped a malformed fragment from {}: {}", me, m.sender(), e.getMessage());
            return null;
        }
        if (StoreMembers.isStoreMember(m.sender()) && f.messType() != StoreControlCodec.MESS_TYPE) {
            return null; // a message another store member re-publishes or forwards: never stored again
        }
        current = m;
        byte[] whole;
        try {
            whole = reassembly.add(m.sender(), f);
        } finally {
            current = null;
        }
        if (whole == null) {
            return null;
        }
        return new DataMessage(m.serviceTypeWord(), m.sender(), m.groups(), f.messType(), m.endianMismatch(), whole);
    }

    private void missed(String what) {
        if (current != null && current.groups().contains(controlGroup)) {
            missed.accept(what);
        } else {
            // a message to a group joined at run time (a topic of a new durable subscription): within the window
            // the subscription promises nothing for
            LOG.info("{}: {}", me, what);
        }
    }

    /** A membership message of any group this member is in: senders that are gone lose their partial messages. */
    void onMembership(MembershipMessage m) {
        if (m.reason() == MembershipReason.SELF_LEAVE) {
            views.remove(m.group());
            return;
        }
        if (!m.isRegular()) {
            return;
        }
        List<String> before = views.put(m.group(), m.members());
        if (m.reason() == MembershipReason.DISCONNECT) {
            reassembly.sendersGone(m.changedMembers());
        } else if (m.reason() == MembershipReason.NETWORK && before != null) {
            List<String> gone = before.stream().filter(s -> !m.members().contains(s)).toList();
            if (!gone.isEmpty()) {
                reassembly.sendersGone(gone);
            }
        }
        // LEAVE is not a departure: a connection that leaves a group may still be sending to it
    }

    int partialMessages() {
        return reassembly.partialCount();
    }
}
