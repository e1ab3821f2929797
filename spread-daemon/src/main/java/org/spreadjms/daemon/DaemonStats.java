package org.spreadjms.daemon;

/**
 * The live counters behind {@link DaemonCounters}. Only the selector thread writes them; other threads read them
 * through {@link #snapshot}, so volatile fields suffice.
 */
final class DaemonStats {
    volatile int sessions;
    volatile int groups;
    volatile long sessionsAccepted;
    volatile long handshakeRejects;
    volatile long messagesIn;
    volatile long messagesOut;
    volatile long slowClientDrops;
    volatile long malformedFrames;
    volatile int congestedSessions;
    volatile long authFailures;
    volatile long accessRefusals;

    DaemonCounters snapshot() {
        return new DaemonCounters(sessions, groups, sessionsAccepted, handshakeRejects, messagesIn, messagesOut,
                slowClientDrops, malformedFrames, congestedSessions, authFailures, accessRefusals);
    }
}
