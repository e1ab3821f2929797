package org.spreadjms.jms.store;

import java.util.List;
import java.util.Map;


/** The control messages of the store protocol (docs/store-protocol.md); {@link StoreControlCodec} encodes them. */
public sealed interface StoreFrame {
    /** Wire values of the frame kinds. */
    enum Kind {
        STORED(1), STATE_REQUEST(2), STATE_OFFER(3), STATE_CHUNK(4), STATE_DONE(5), ACKED(6);

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
}
