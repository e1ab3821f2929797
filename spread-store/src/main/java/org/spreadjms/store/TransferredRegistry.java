package org.spreadjms.store;

import java.util.concurrent.CompletableFuture;

import org.spreadjms.jms.store.StoredMessage;

/**
 * What a catching-up member learns from a state transfer besides the messages: the registry of durable
 * subscriptions and queues kept on request, and so the groups it must be in before it can serve
 * (docs/store-protocol.md, "Destinations learned in a state transfer"). Every method runs on the connection's
 * dispatcher thread, at its point of the ordered stream, and must not block.
 */
interface TransferredRegistry {
    /** This member's current STATE_REQUEST came back: a state taken for it is the stream up to here. */
    void onOwnRequest();

    /** A donor's offer for this member's request won: its state replaces what this member had. */
    void onTransferStarting();

    /** A message of the transferred state, as it is written to the log. */
    void onTransferred(StoredMessage message);

    /**
     * The whole state arrived. Applies the transferred registry and returns null if this member is in every group
     * it names, else a future that completes (on another thread) once it has joined them all: then what was
     * multicast there between the state's cut and the joins did not reach this member, and it must ask for state
     * again.
     */
    CompletableFuture<Void> onTransferComplete();
}
