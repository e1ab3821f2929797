package org.spreadjms.daemon;

import java.nio.ByteOrder;
import java.util.List;

import org.spreadjms.client.membership.GroupId;
import org.spreadjms.client.membership.MembershipReason;
import org.spreadjms.client.wire.FrameEncoder;
import org.spreadjms.client.wire.FrameHeader;
import org.spreadjms.client.wire.GroupNames;
import org.spreadjms.client.wire.MembershipBody;

/**
 * Frames the daemon generates itself, in little-endian daemon order with {@code hint} = marker only.
 *
 * <pre>
 * regular membership (REG_MEMB_MESS | CAUSED_BY_JOIN/LEAVE/DISCONNECT):
 *   header  type, sender = group name, num_groups = members after the change, hint, data_len = 56
 *   groups  private group names of all members, sorted byte-wise
 *   body    group id (12) | num_vs_sets = 1 | local_vs_set_offset = 0 | 1 | the member that changed (32)
 *
 * self-leave (CAUSED_BY_LEAVE alone): header only, sender = group name, num_groups = 0, data_len = 0
 * </pre>
 */
final class MembershipFrames {
    private MembershipFrames() {
    }

    /** One frame for all receivers: the member list does not depend on who reads it. */
    static byte[] regular(MembershipReason reason, String group, List<Session> members, GroupId id,
                          String changedMember) {
        return withBody(reason, group, members,
                new MembershipBody(id, List.of(List.of(changedMember)), 0).encode(ByteOrder.LITTLE_ENDIAN));
    }

    /**
     * REG_MEMB_MESS | CAUSED_BY_NETWORK: the members after the change, and the virtual-synchrony sets (the members
     * that were together before it), {@code localSet} being the receiver's own set.
     */
    static byte[] network(String group, List<Session> members, GroupId id, List<List<String>> vsSets, int localSet) {
        return withBody(MembershipReason.NETWORK, group, members,
                new MembershipBody(id, vsSets, localSet).encode(ByteOrder.LITTLE_ENDIAN));
    }

    /** TRANSITION_MESS: no members, body = the group id before the coming change. */
    static byte[] transitional(String group, GroupId before) {
        byte[] body = MembershipBody.encodeGroupId(before, ByteOrder.LITTLE_ENDIAN);
        byte[] frame = new byte[FrameEncoder.frameLength(0, body.length)];
        FrameEncoder.writeHeader(frame, 0, MembershipReason.TRANSITIONAL.typeWord(), GroupNames.toSlot(group), 0,
                FrameHeader.ENDIAN_MARKER, body.length);
        System.arraycopy(body, 0, frame, FrameHeader.LENGTH, body.length);
        return frame;
    }

    private static byte[] withBody(MembershipReason reason, String group, List<Session> members, byte[] body) {
        int n = members.size();
        byte[] frame = new byte[FrameEncoder.frameLength(n, body.length)];
        FrameEncoder.writeHeader(frame, 0, reason.typeWord(), GroupNames.toSlot(group), n,
                FrameHeader.ENDIAN_MARKER, body.length);
        int p = FrameHeader.LENGTH;
        for (Session member : members) {
            System.arraycopy(member.privateGroupBytes, 0, frame, p, member.privateGroupBytes.length);
            p += GroupNames.SLOT_BYTES;
        }
        System.arraycopy(body, 0, frame, p, body.length);
        return frame;
    }

    static byte[] selfLeave(String group) {
        byte[] frame = new byte[FrameHeader.LENGTH];
        FrameEncoder.writeHeader(frame, 0, MembershipReason.SELF_LEAVE.typeWord(), GroupNames.toSlot(group), 0,
                FrameHeader.ENDIAN_MARKER, 0);
        return frame;
    }
}
