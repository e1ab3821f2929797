package org.spreadjms.daemon;

import java.time.Duration;
import java.util.Objects;

import org.spreadjms.client.wire.FrameHeader;
import org.spreadjms.client.wire.GroupNames;

/**
 * Limits of an {@link EmbeddedSpreadDaemon}. The defaults are those of a Spread 4.0.0 daemon, except that up to 100
 * destination groups and frames up to the daemon's validation limit really work here (the 4.0.0 daemon misroutes
 * 44 or more groups and aborts on frames above 143599 bytes).
 *
 * @param maxSessions          connections (in handshake or open) the daemon keeps; the next one gets REJECT_QUOTA
 * @param maxQueuedMessages    frames waiting to be written to one session; one more cuts the session off
 * @param handshakeTimeout     time from the TCP accept until the handshake must be complete
 * @param maxGroupsPerMessage  destination slots a message may carry (1..100)
 * @param maxDataBytes         {@code data_len} limit of one message
 * @param maxDataAndGroupBytes limit of {@code data_len + 32 * num_groups}
 * @param maxGroupsPerSession  groups one session may be in; a join beyond it drops the session (the real daemon has
 *                             no limit: every group costs it memory, about 350 bytes here)
 * @param maxGroups            groups the daemon keeps; a join that would create one more drops the joining session
 * @param maxQueuedBytes       bytes of frames waiting to be written to one session; a frame that would pass it cuts
 *                             the session off (not a Spread limit: there 1000 frames of up to 144 KB may wait)
 */
public record DaemonLimits(int maxSessions, int maxQueuedMessages, Duration handshakeTimeout,
                           int maxGroupsPerMessage, int maxDataBytes, int maxDataAndGroupBytes,
                           int maxGroupsPerSession, int maxGroups, long maxQueuedBytes) {
    /** Spread's MAX_SESSIONS. */
    public static final int DEFAULT_MAX_SESSIONS = 997;
    /** Spread's MAX_SESSION_MESSAGES. */
    public static final int DEFAULT_MAX_QUEUED_MESSAGES = 1000;
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(1);
    /** Spread's MAX_GROUPS_PER_MESSAGE. */
    public static final int MAX_GROUPS_PER_MESSAGE = 100;
    /** Spread's MAX_MESSAGE_BODY_LEN. */
    public static final int MAX_DATA_BYTES = 144_000;
    /** What the real daemon's validation allows for {@code data_len + 32 * num_groups}. */
    public static final int MAX_DATA_AND_GROUP_BYTES = 143_952;
    /** Not a Spread limit: bounds what one client can make the daemon hold (about 3.5 MB at 350 bytes a group). */
    public static final int DEFAULT_MAX_GROUPS_PER_SESSION = 10_000;
    /** Not a Spread limit: bounds the group table (about 35 MB). */
    public static final int DEFAULT_MAX_GROUPS = 100_000;
    /** Not a Spread limit: a session is congested at half of this (8 MiB), instead of at 500 frames (up to 72 MB). */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 16L << 20;
    /** The smallest byte bound: room for several of the largest frames. */
    public static final long MIN_QUEUED_BYTES = 1L << 20;

    public DaemonLimits {
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        check(maxSessions >= 1, "maxSessions", maxSessions, "at least 1");
        check(maxQueuedMessages >= 1, "maxQueuedMessages", maxQueuedMessages, "at least 1");
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout is " + handshakeTimeout + " (must be positive)");
        }
        check(maxGroupsPerMessage >= 1 && maxGroupsPerMessage <= MAX_GROUPS_PER_MESSAGE, "maxGroupsPerMessage",
                maxGroupsPerMessage, "1.." + MAX_GROUPS_PER_MESSAGE);
        check(maxDataBytes >= 0 && maxDataBytes <= MAX_DATA_BYTES, "maxDataBytes", maxDataBytes,
                "0.." + MAX_DATA_BYTES);
        check(maxDataAndGroupBytes >= 0 && maxDataAndGroupBytes <= MAX_DATA_AND_GROUP_BYTES, "maxDataAndGroupBytes",
                maxDataAndGroupBytes, "0.." + MAX_DATA_AND_GROUP_BYTES);
        check(maxGroupsPerSession >= 1, "maxGroupsPerSession", maxGroupsPerSession, "at least 1");
        check(maxGroups >= 1, "maxGroups", maxGroups, "at least 1");
        if (maxQueuedBytes < MIN_QUEUED_BYTES) {
            throw new IllegalArgumentException("maxQueuedBytes is " + maxQueuedBytes + " (must be at least "
                    + MIN_QUEUED_BYTES + ")");
        }
    }

    /** The limits of a Spread 4.0.0 daemon. */
    public static DaemonLimits defaults() {
        return new DaemonLimits(DEFAULT_MAX_SESSIONS, DEFAULT_MAX_QUEUED_MESSAGES, DEFAULT_HANDSHAKE_TIMEOUT,
                MAX_GROUPS_PER_MESSAGE, MAX_DATA_BYTES, MAX_DATA_AND_GROUP_BYTES, DEFAULT_MAX_GROUPS_PER_SESSION,
                DEFAULT_MAX_GROUPS, DEFAULT_MAX_QUEUED_BYTES);
    }

    public DaemonLimits withMaxSessions(int value) {
        return new DaemonLimits(value, maxQueuedMessages, handshakeTimeout, maxGroupsPerMessage, maxDataBytes,
                maxDataAndGroupBytes, maxGroupsPerSession, maxGroups, maxQueuedBytes);
    }

    public DaemonLimits withMaxQueuedMessages(int value) {
        return new DaemonLimits(maxSessions, value, handshakeTimeout, maxGroupsPerMessage, maxDataBytes,
                maxDataAndGroupBytes, maxGroupsPerSession, maxGroups, maxQueuedBytes);
    }

    public DaemonLimits withHandshakeTimeout(Duration value) {
        return new DaemonLimits(maxSessions, maxQueuedMessages, value, maxGroupsPerMessage, maxDataBytes,
                maxDataAndGroupBytes, maxGroupsPerSession, maxGroups, maxQueuedBytes);
    }

    public DaemonLimits withMessageLimits(int groups, int dataBytes, int dataAndGroupBytes) {
        return new DaemonLimits(maxSessions, maxQueuedMessages, handshakeTimeout, groups, dataBytes,
                dataAndGroupBytes, maxGroupsPerSession, maxGroups, maxQueuedBytes);
    }

    /** Groups per session and in the daemon (not Spread limits; see the record components). */
    public DaemonLimits withGroupLimits(int perSession, int total) {
        return new DaemonLimits(maxSessions, maxQueuedMessages, handshakeTimeout, maxGroupsPerMessage, maxDataBytes,
                maxDataAndGroupBytes, perSession, total, maxQueuedBytes);
    }

    public DaemonLimits withMaxQueuedBytes(long value) {
        return new DaemonLimits(maxSessions, maxQueuedMessages, handshakeTimeout, maxGroupsPerMessage, maxDataBytes,
                maxDataAndGroupBytes, maxGroupsPerSession, maxGroups, value);
    }

    /**
     * Whether the message limits are the full protocol limits, so that the auth list may announce them to our own
     * client with the {@code SPREADJMS-LIMITS} token.
     */
    public boolean fullMessageLimits() {
        return maxGroupsPerMessage == MAX_GROUPS_PER_MESSAGE && maxDataBytes == MAX_DATA_BYTES
                && maxDataAndGroupBytes == MAX_DATA_AND_GROUP_BYTES;
    }

    /**
     * Largest frame a client may send within these limits. The decoder refuses a longer one as soon as it has the
     * header, before reading or allocating the body; with the default limits this bound (48 + 143952) is exactly the
     * rule {@code data_len + 32 * num_groups <= 143952}.
     */
    long maxFrameBytes() {
        long byGroups = (long) maxDataBytes + (long) maxGroupsPerMessage * GroupNames.SLOT_BYTES;
        return FrameHeader.LENGTH + Math.min(maxDataAndGroupBytes, byGroups);
    }

    private static void check(boolean ok, String name, int value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(name + " is " + value + " (must be " + rule + ")");
        }
    }
}
