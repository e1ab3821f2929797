package org.spreadjms.client;

import org.spreadjms.client.wire.FrameHeader;

/**
 * What one multicast may hold when sent to a daemon.
 *
 * <p>A real Spread 4.0.0 daemon (and 4.3.0, whose code is the same) misroutes a message to 44 or more groups (it
 * copies the group list from the wrong offset, delivering to no one) and aborts on a frame of 143,600 bytes or more
 * (its 100 fragments of 1,436 bytes overflow). So against a real daemon this client refuses more than
 * {@value #SPREAD4_MAX_GROUPS} groups and frames over {@value #SPREAD4_MAX_FRAME_BYTES} bytes (48 + 32 x groups +
 * data). The embedded daemon of this project announces that it has neither bug, and then the declared protocol limits
 * apply: 100 groups and data + 32 x groups of at most 143,952 bytes.
 *
 * @param maxGroups     destinations per multicast
 * @param maxFrameBytes bytes of a whole frame: 48-byte header, 32 per group, data
 */
public record DaemonLimits(int maxGroups, int maxFrameBytes) {
    public static final int SPREAD4_MAX_GROUPS = 43;
    public static final int SPREAD4_MAX_FRAME_BYTES = 143_599;
    public static final int PROTOCOL_MAX_GROUPS = 100;
    public static final int PROTOCOL_MAX_DATA_AND_GROUPS = 143_952;

    /** Safe limits for real Spread 4.x daemons. */
    public static final DaemonLimits SPREAD_4 = new DaemonLimits(SPREAD4_MAX_GROUPS, SPREAD4_MAX_FRAME_BYTES);
    /** The protocol's declared limits, which this project's embedded daemon honours. */
    public static final DaemonLimits EXTENDED = new DaemonLimits(PROTOCOL_MAX_GROUPS,
            FrameHeader.LENGTH + PROTOCOL_MAX_DATA_AND_GROUPS);

    /** Largest payload for a message to {@code groups} destinations. */
    public int maxDataBytes(int groups) {
        return maxFrameBytes - FrameHeader.LENGTH - 32 * groups;
    }
}
