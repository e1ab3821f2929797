package org.spreadjms.daemon;

import org.spreadjms.client.SpreadConstants;
import org.spreadjms.client.wire.FrameHeader;
import org.spreadjms.client.wire.GroupNames;
import org.spreadjms.client.wire.RawFrame;

/**
 * The checks the daemon makes on every frame a client sends (protocol reference §4.5). A frame that fails any of them
 * gets its session dropped, as the real daemon does.
 *
 * <p>Two deliberate deviations, both stricter than Spread 4.0.0 (§9.9, §9.4): a frame whose type carries bits other
 * than its one service or control bit and SELF_DISCARD is refused (the real daemon passes such bits on, and a
 * receiver may then take a data message for a membership message); and a group slot without a NUL is refused (the
 * real daemon copies it, which is undefined behaviour in C). JOIN and LEAVE must name their group in slot 0. A join
 * beyond {@link DaemonLimits#maxGroupsPerSession()} or one that would create a group beyond
 * {@link DaemonLimits#maxGroups()} is refused too (the real daemon has no such limits and grows without bound).
 */
final class FrameValidator {
    private static final int SERVICE_AND_CONTROL = SpreadConstants.REGULAR_MESS | SpreadConstants.JOIN_MESS
            | SpreadConstants.LEAVE_MESS | SpreadConstants.KILL_MESS;

    private final DaemonLimits limits;
    private final GroupRegistry groups;

    FrameValidator(DaemonLimits limits, GroupRegistry groups) {
        this.limits = limits;
        this.groups = groups;
    }

    /** Returns why the frame is illegal, or null if it is fine. */
    String check(RawFrame f, Session from) {
        int type = f.type();
        int kind = type & SERVICE_AND_CONTROL;
        if (Integer.bitCount(kind) != 1) {
            return "type 0x" + Integer.toHexString(type) + " must have exactly one service or JOIN/LEAVE/KILL bit";
        }
        int stray = type & ~(kind | SpreadConstants.SELF_DISCARD);
        if (stray != 0) {
            return "type 0x" + Integer.toHexString(type) + " carries bits 0x" + Integer.toHexString(stray)
                    + " a client may not send";
        }
        if (!from.isSenderSlot(f.bytes(), FrameHeader.SENDER_OFFSET)) {
            return "sender slot '" + f.sender() + "' is not the session's private group " + from.privateGroup;
        }
        int groups = f.numGroups();
        if (groups > limits.maxGroupsPerMessage()) {
            return "num_groups " + groups + " exceeds " + limits.maxGroupsPerMessage();
        }
        int hint = f.hintWordLE();
        if ((hint & ~FrameHeader.HINT_ALLOWED_BITS) != 0) {
            return "hint 0x" + Integer.toHexString(hint) + " has bits outside 0x"
                    + Integer.toHexString(FrameHeader.HINT_ALLOWED_BITS);
        }
        long data = f.dataLength();
        if (data > limits.maxDataBytes()) {
            return "data_len " + data + " exceeds " + limits.maxDataBytes();
        }
        if (data + (long) GroupNames.SLOT_BYTES * groups > limits.maxDataAndGroupBytes()) {
            return "data_len " + data + " + 32 * num_groups " + groups + " exceeds " + limits.maxDataAndGroupBytes();
        }
        boolean joinOrLeave = (kind & (SpreadConstants.JOIN_MESS | SpreadConstants.LEAVE_MESS)) != 0;
        if (joinOrLeave && groups < 1) {
            return "JOIN/LEAVE without a group slot";
        }
        int slotsToCheck = (kind & SpreadConstants.REGULAR_MESS) != 0 ? groups : joinOrLeave ? 1 : 0;
        for (int i = 0; i < slotsToCheck; i++) {
            if (!GroupNames.slotTerminated(f.bytes(), f.groupsOffset() + i * GroupNames.SLOT_BYTES)) {
                return "group slot " + i + " has no terminating NUL";
            }
        }
        if ((kind & SpreadConstants.JOIN_MESS) != 0) {
            return checkJoin(f.group(0), from);
        }
        return null;
    }

    private String checkJoin(String name, Session from) {
        if (from.groups.contains(name)) {
            return null; // a duplicate join changes nothing
        }
        if (from.groups.size() >= limits.maxGroupsPerSession()) {
            return "joining '" + name + "' would put the session in " + (from.groups.size() + 1L)
                    + " groups (at most " + limits.maxGroupsPerSession() + ")";
        }
        if (groups.get(name) == null && groups.size() >= limits.maxGroups()) {
            return "joining '" + name + "' would create group " + (groups.size() + 1L) + " (the daemon keeps at most "
                    + limits.maxGroups() + ")";
        }
        return null;
    }
}
