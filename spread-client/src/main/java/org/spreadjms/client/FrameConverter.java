package org.spreadjms.client;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

import org.spreadjms.client.membership.GroupId;
import org.spreadjms.client.membership.MembershipReason;
import org.spreadjms.client.wire.MalformedFrameException;
import org.spreadjms.client.wire.MembershipBody;
import org.spreadjms.client.wire.RawFrame;

/** Turns received frames into messages, as the C library interprets them (§5.2 of the protocol notes). */
final class FrameConverter {
    private final String self;

    FrameConverter(String self) {
        this.self = self;
    }

    ReceivedMessage convert(RawFrame f) throws MalformedFrameException {
        int type = f.type();
        if (f.isMembership()) {
            MembershipReason reason = MembershipReason.fromTypeWord(type);
            if (reason != null) {
                return membership(f, reason);
            }
        }
        boolean mismatch = f.hintOrder() != ByteOrder.LITTLE_ENDIAN;
        int word = f.isReject() ? (f.oldType() & ~0x80000080) | type : type;
        return DataMessage.fromFrame(word, f.sender(), f.groups(), f.messType(), mismatch, f.copyData());
    }

    private MembershipMessage membership(RawFrame f, MembershipReason reason) throws MalformedFrameException {
        String group = f.sender();
        byte[] b = f.bytes();
        switch (reason) {
            case TRANSITIONAL -> {
                GroupId gid = f.dataLength() >= MembershipBody.GROUP_ID_BYTES
                        ? MembershipBody.readGroupId(b, f.dataOffset(), f.dataLength(), f.order()) : null;
                return new MembershipMessage(f.type(), reason, group, gid, List.of(), List.of(), -1, -1);
            }
            case SELF_LEAVE -> {
                return new MembershipMessage(f.type(), reason, group, null, List.of(), List.of(), -1, -1);
            }
            default -> {
                List<String> members = Arrays.asList(f.groups());
                MembershipBody body = MembershipBody.decode(b, f.dataOffset(), f.dataLength(), f.order());
                return new MembershipMessage(f.type(), reason, group, body.groupId(), members, body.vsSets(),
                        body.localSet(), members.indexOf(self));
            }
        }
    }
}
