package org.spreadjms.daemon;

/**
 * A snapshot of an {@link EmbeddedSpreadDaemon}'s counters. The gauges ({@code sessions}, {@code groups}) are the
 * values at the moment of the snapshot; the others count since start.
 *
 * @param sessions          open sessions (handshake complete) right now
 * @param groups            groups with at least one member right now
 * @param sessionsAccepted  handshakes completed with an accept
 * @param handshakeRejects  connections refused during the handshake (reject byte sent, or timed out)
 * @param messagesIn        data messages received and routed
 * @param messagesOut       frames (data and membership) completely written to clients
 * @param slowClientDrops   sessions cut off because their outbound queue was full
 * @param malformedFrames   sessions dropped because they sent a frame that failed validation (including a join past
 *                          a group limit)
 * @param congestedSessions sessions right now with half their queue bound or more waiting to be written (the
 *                          daemon is not reading from the clients that sent to them meanwhile)
 * @param authFailures      authentications refused (wrong password, unknown user, malformed exchange)
 * @param accessRefusals    joins, messages and private names refused by the access control list
 */
public record DaemonCounters(int sessions, int groups, long sessionsAccepted, long handshakeRejects,
                             long messagesIn, long messagesOut, long slowClientDrops, long malformedFrames,
                             int congestedSessions, long authFailures, long accessRefusals) {
}
