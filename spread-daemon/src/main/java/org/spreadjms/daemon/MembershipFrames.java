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
    static byte[] regular(MembershipReason reason, GroupRegistry.Group g, GroupId id, String changedMember) {
        byte[] body = new MembershipBody(id, List.of(List.of(changedMember)), 0).encode(ByteOrder.LITTLE_ENDIAN);
        int n = g.members.size();
        byte[] frame = new byte[FrameEncoder.frameLength(n, body.length)];
        FrameEncoder.writeHeader(frame, 0, reason.typeWord(), GroupNames.toSlot(g.name), n,
                FrameHeader.ENDIAN_MARKER, body.length);
        int p = FrameHeader.LENGTH;
        for (Session member : g.members()) {
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
