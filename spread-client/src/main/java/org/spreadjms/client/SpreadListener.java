package org.spreadjms.client;

/**
 * Callbacks of a {@link SpreadConnection}.
 *
 * <p><b>Threading:</b> every callback of a connection runs on that connection's single dispatcher thread
 * ({@code spread-dispatch-<private group>}), never on the thread that reads the socket, one at a time and in the
 * order the daemon delivered. A callback may call the connection (multicast, join, leave, even disconnect); a long
 * blocking callback delays the callbacks after it but never stops the reader. An exception thrown by a callback is
 * passed to {@link #onError} of the same listener and does not stop delivery.
 *
 * <p>All methods have empty defaults: implement what you need. The per-reason membership callbacks are called after
 * {@link #onMembership}.
 */
public interface SpreadListener {
    /** A regular message arrived. */
    default void onMessage(DataMessage message) {
    }

    /**
     * The daemon's access control refused a join or a message of this connection (Spread's REJECT_MESS): the
     * message's groups are the ones the request named, its service type word carries the original type. The
     * connection has already logged it at WARN.
     */
    default void onRejected(DataMessage message) {
    }

    /** Any membership message arrived (before the per-reason callback). */
    default void onMembership(MembershipMessage message) {
    }

    default void onJoin(MembershipMessage message) {
    }

    default void onLeave(MembershipMessage message) {
    }

    default void onDisconnect(MembershipMessage message) {
    }

    default void onNetwork(MembershipMessage message) {
    }

    default void onTransitional(MembershipMessage message) {
    }

    /** This connection left the group. */
    default void onSelfLeave(MembershipMessage message) {
    }

    /**
     * The connection to the daemon was lost (not called after {@link SpreadConnection#disconnect()}). Called once,
     * after every message received before the loss has been delivered.
     */
    default void onConnectionLost(SpreadException cause) {
    }

    /**
     * The dispatcher thread has delivered everything received so far and is about to wait for more (also once before
     * {@link #onConnectionLost}). A listener that hands messages to threads of its own can wake them here once per
     * burst rather than once per message; it must not block.
     */
    default void onIdle() {
    }

    /** A callback of this listener threw, or the connection hit an internal error. */
    default void onError(Throwable error) {
    }
}
