package org.spreadjms.jms.store;

import java.util.List;
import java.util.Map;


/** The control messages of the store protocol (docs/store-protocol.md); {@link StoreControlCodec} encodes them. */
public sealed interface StoreFrame {
    /** Wire values of the frame kinds. */
    enum Kind {
        STORED(1), STATE_REQUEST(2), STATE_OFFER(3), STATE_CHUNK(4), STATE_DONE(5), ACKED(6), SUBSCRIBE(7),
        SUBSCRIBED(8), UNSUBSCRIBE(9), UNSUBSCRIBED(10), BROWSE(11), BROWSED(12);

        private final int wire;

        Kind(int wire) {
            this.wire = wire;
        }

        public int wire() {
            return wire;
        }

        static Kind fromWire(int b) {
            for (Kind k : values()) {
                if (k.wire == b) {
                    return k;
                }
            }
            return null;
        }
    }

    Kind kind();

    /** A message named by its destination and its sender's id (the sender is implied by where it goes). */
    record Ref(String destination, String id) {
    }

    /**
     * To a sender's private group: these messages of the sender are durable at the member that sends this frame.
     * {@code storeMembers} is the number of members of the control group in that member's current view.
     */
    record Stored(int storeMembers, List<Ref> refs) implements StoreFrame {
        public Stored {
            refs = List.copyOf(refs);
        }

        @Override
        public Kind kind() {
            return Kind.STORED;
        }
    }

    /** To the control group: the sender (re)starts and asks for the state of {@code destinations}. */
    record StateRequest(long requestId, long appliedIndex, List<String> destinations) implements StoreFrame {
        public StateRequest {
            destinations = List.copyOf(destinations);
        }

        @Override
        public Kind kind() {
            return Kind.STATE_REQUEST;
        }
    }

    /** To the control group: the sender offers to send its state to {@code joiner}; the first offer wins. */
    record StateOffer(long requestId, String joiner) implements StoreFrame {
        @Override
        public Kind kind() {
            return Kind.STATE_OFFER;
        }
    }

    /** To the joiner's private group: stored messages of one destination, in sequence order. */
    record StateChunk(long requestId, int index, String destination, List<StoredMessage> messages)
            implements StoreFrame {
        public StateChunk {
            messages = List.copyOf(messages);
        }

        @Override
        public Kind kind() {
            return Kind.STATE_CHUNK;
        }
    }

    /**
     * To the joiner's private group: the transfer is complete after {@code chunks} chunks; the donor's applied index
     * and last sequences at the cut.
     */
    record StateDone(long requestId, int chunks, long appliedIndex, Map<String, Long> lastSequences)
            implements StoreFrame {
        public StateDone {
            lastSequences = Map.copyOf(lastSequences);
        }

        @Override
        public Kind kind() {
            return Kind.STATE_DONE;
        }
    }

    /** To a destination group: consumers acknowledged these messages; store members delete them. */
    record Acked(String destination, List<MessageKey> keys) implements StoreFrame {
        public Acked {
            keys = List.copyOf(keys);
        }

        @Override
        public Kind kind() {
            return Kind.ACKED;
        }
    }

    /**
     * To the control group (SAFE): create, or re-attach to, the durable subscription whose Spread group is
     * {@code subscriptionGroup}, on {@code topic} (its group {@code topicGroup}), keeping the messages that match
     * {@code selector} (empty: all); with {@code noLocal}, not those sent by {@code subscriber} (the private group of
     * the connection that sends this). Every store member answers {@link Subscribed} to {@code subscriber} once it
     * receives the topic's messages.
     */
    record Subscribe(long requestId, String subscriptionGroup, String topic, String topicGroup, String subscriber,
                     boolean noLocal, boolean shared, String selector) implements StoreFrame {
        public Subscribe {
            selector = selector == null ? "" : selector;
        }

        /** Whether {@code other} describes the same subscription (same topic, selector and noLocal). */
        public boolean sameSubscriptionAs(Subscribe other) {
            return topic.equals(other.topic) && topicGroup.equals(other.topicGroup) && noLocal == other.noLocal
                    && selector.equals(other.selector);
        }

        @Override
        public Kind kind() {
            return Kind.SUBSCRIBE;
        }
    }

    /** What a store member did with a {@link Subscribe}. */
    enum SubscribeStatus {
        /** A new subscription. */
        CREATED,
        /** It existed with the same topic, selector and noLocal: its messages are kept. */
        EXISTED,
        /** It existed with another topic, selector or noLocal: its messages were deleted, it starts anew. */
        REPLACED,
        /** Refused: an unshared subscription that already has a consumer, or a change while consumers are attached. */
        ACTIVE;
    }

    /**
     * To the subscriber's private group: the subscription exists at the sending member, which now receives the
     * topic's messages. {@code storeMembers}: the size of its control view (the subscriber waits for that many).
     */
    record Subscribed(long requestId, int storeMembers, String subscriptionGroup, SubscribeStatus status)
            implements StoreFrame {
        @Override
        public Kind kind() {
            return Kind.SUBSCRIBED;
        }
    }

    /** To the control group (SAFE): delete the durable subscription and its messages. */
    record Unsubscribe(long requestId, String subscriptionGroup, String requester) implements StoreFrame {
        @Override
        public Kind kind() {
            return Kind.UNSUBSCRIBE;
        }
    }

    /** What a store member did with an {@link Unsubscribe}. */
    enum UnsubscribeStatus {
        /** Deleted, with its messages. */
        REMOVED,
        /** No such subscription. */
        UNKNOWN,
        /** Refused: a consumer is attached to it (its group has a member that is not a store member). */
        ACTIVE;
    }

    /** To the requester's private group: the outcome of an {@link Unsubscribe} at the sending member. */
    record Unsubscribed(long requestId, int storeMembers, String subscriptionGroup, UnsubscribeStatus status)
            implements StoreFrame {
        @Override
        public Kind kind() {
            return Kind.UNSUBSCRIBED;
        }
    }

    /**
     * To the control group (AGREED): send me (private group {@code requester}) up to {@code maxMessages} stored
     * messages of {@code destination} with sequence at least {@code fromSequence}, without deleting them. The first
     * member of the control view answers, if it serves.
     */
    record Browse(long requestId, String destination, String requester, long fromSequence, int maxMessages)
            implements StoreFrame {
        @Override
        public Kind kind() {
            return Kind.BROWSE;
        }
    }

    /**
     * To the requester's private group: a page of stored messages (sequence order); {@code nextSequence} is where
     * the next page starts, 0 when there is none.
     */
    record Browsed(long requestId, String destination, long nextSequence, List<StoredMessage> messages)
            implements StoreFrame {
        public Browsed {
            messages = List.copyOf(messages);
        }

        @Override
        public Kind kind() {
            return Kind.BROWSED;
        }
    }
}
