package org.spreadjms.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.client.membership.GroupId;
import org.spreadjms.client.membership.MembershipReason;
import org.spreadjms.client.wire.CaptureVectors;
import org.spreadjms.client.wire.FrameDecoder;
import org.spreadjms.client.wire.FrameEncoder;
import org.spreadjms.client.wire.FrameHeader;
import org.spreadjms.client.wire.GroupNames;
import org.spreadjms.client.wire.MalformedFrameException;
import org.spreadjms.client.wire.MembershipBody;
import org.spreadjms.client.wire.RawFrame;

/** Received frames become the messages the C library would report (§5.2, §6). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FrameConverterTest {
    private static final String ALICE = "#alice#localhost";
    private static final String BOB = "#bob#localhost";
    private static final GroupId DEMO_1 = new GroupId(0x7F000001, 1795300162, 1);

    @Test
    void regularJoinBecomesJoinWithTheJoinerAsChangedMemberAndOwnIndexAsMessType() throws Exception {
        MembershipMessage m = membership(ALICE, CaptureVectors.bytes("alice: membership (alice joined demo)"));
        assertEquals(MembershipReason.JOIN, m.reason());
        assertTrue(m.isRegular());
        assertEquals("demo", m.group());
        assertEquals(DEMO_1, m.groupId());
        assertEquals(List.of(ALICE), m.members());
        assertEquals(List.of(ALICE), m.changedMembers());
        assertEquals(0, m.messType());
        assertEquals(0x1100, m.serviceTypeWord());
        assertEquals(List.of(ALICE), m.view().members());
    }

    @Test
    void secondJoinerSeesItselfAtIndexOne() throws Exception {
        byte[] b = CaptureVectors.bytes("bob: membership (bob joined demo) as seen by bob");
        MembershipMessage asBob = membership(BOB, b);
        assertEquals(List.of(ALICE, BOB), asBob.members());
        assertEquals(List.of(BOB), asBob.changedMembers());
        assertEquals(1, asBob.messType());
        assertEquals(new GroupId(0x7F000001, 1795300162, 2), asBob.groupId());
        assertEquals(0, membership(ALICE, b).messType());
        assertEquals(-1, membership("#zed#localhost", b).messType(), "a receiver not listed has no index");
    }

    @Test
    void leaveAndDisconnectNameTheMemberThatWent() throws Exception {
        MembershipMessage left = membership(ALICE, CaptureVectors.bytes("alice: membership (bob left demo)"));
        assertEquals(MembershipReason.LEAVE, left.reason());
        assertEquals(List.of(ALICE), left.members());
        assertEquals(List.of(BOB), left.changedMembers());
        MembershipMessage gone = membership(ALICE, CaptureVectors.bytes("alice: membership (carol socket closed)"));
        assertEquals(MembershipReason.DISCONNECT, gone.reason());
        assertEquals(List.of("#carol#localhost"), gone.changedMembers());
        assertEquals(new GroupId(0x7F000001, 1795300162, 5), gone.groupId());
    }

    @Test
    void selfLeaveHasMessTypeMinusOneAndNoView() throws Exception {
        MembershipMessage m = membership(BOB, CaptureVectors.bytes("bob: self-leave notification"));
        assertEquals(MembershipReason.SELF_LEAVE, m.reason());
        assertFalse(m.isRegular());
        assertEquals("demo", m.group());
        assertEquals(-1, m.messType());
        assertNull(m.groupId());
        assertEquals(List.of(), m.members());
        assertEquals(List.of(), m.changedMembers());
        assertNull(m.view());
    }

    @Test
    void transitionalFrameCarriesTheGroupIdBeforeTheChange() throws Exception {
        byte[] body = MembershipBody.encodeGroupId(DEMO_1, ByteOrder.LITTLE_ENDIAN);
        byte[] b = new byte[FrameEncoder.frameLength(0, body.length)];
        FrameEncoder.writeHeader(b, 0, SpreadConstants.TRANSITION_MESS, GroupNames.toSlot("demo"), 0,
                FrameHeader.ENDIAN_MARKER, body.length);
        System.arraycopy(body, 0, b, FrameHeader.LENGTH, body.length);
        MembershipMessage m = membership(ALICE, b);
        assertEquals(MembershipReason.TRANSITIONAL, m.reason());
        assertEquals("demo", m.group());
        assertEquals(DEMO_1, m.groupId());
        assertEquals(-1, m.messType());
        assertEquals(List.of(), m.members());
        assertNull(m.view());
    }

    @Test
    void networkChangeReportsTheMembersOutsideTheLocalSet() throws Exception {
        List<String> members = List.of("#a#d1", "#b#d1", "#c#d2");
        List<List<String>> sets = List.of(List.of("#a#d1", "#b#d1"), List.of("#c#d2"));
        GroupId gid = new GroupId(0x0A000001, 42, 1);

        MembershipMessage atA = membership("#a#d1", network(members, new MembershipBody(gid, sets, 0)));
        assertEquals(MembershipReason.NETWORK, atA.reason());
        assertEquals(gid, atA.groupId());
        assertEquals(members, atA.members());
        assertEquals(sets, atA.virtualSynchronySets());
        assertEquals(List.of("#a#d1", "#b#d1"), atA.localVirtualSynchronySet());
        assertEquals(List.of("#c#d2"), atA.changedMembers());
        assertEquals(0, atA.messType());

        MembershipMessage atC = membership("#c#d2", network(members, new MembershipBody(gid, sets, 1)));
        assertEquals(List.of("#c#d2"), atC.localVirtualSynchronySet());
        assertEquals(List.of("#a#d1", "#b#d1"), atC.changedMembers());
        assertEquals(2, atC.messType());
    }

    @Test
    void malformedMembershipBodyIsReportedNotSwallowed() throws Exception {
        byte[] b = CaptureVectors.bytes("alice: membership (alice joined demo)").clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(80 + 12, 9); // num_vs_sets = 9
        RawFrame f = FrameDecoder.forClient(1 << 20).decode(ByteBuffer.wrap(b));
        assertThrows(MalformedFrameException.class, () -> new FrameConverter(ALICE).convert(f));
    }

    @Test
    void littleEndianDataMessageHasNoEndianMismatch() throws Exception {
        DataMessage m = data(BOB, CaptureVectors.bytes("bob: AGREED message"));
        assertFalse(m.endianMismatch());
        assertEquals(ServiceType.AGREED, m.serviceType());
        assertEquals(ALICE, m.sender());
        assertEquals(List.of("demo"), m.groups());
        assertEquals(0x1234, m.messType());
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), m.data());
        assertFalse(m.selfDiscard());
        assertFalse(m.rejected());
    }

    @Test
    void bigEndianDataMessageHasEndianMismatch() throws Exception {
        byte[] payload = "hi from java".getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[FrameEncoder.frameLength(1, payload.length)];
        FrameEncoder.writeHeader(b, 0, ByteOrder.BIG_ENDIAN, SpreadConstants.AGREED_MESS,
                GroupNames.toSlot("#jcarol#localhost"), 1, 0x1234, payload.length);
        FrameEncoder.writeSlot(b, FrameHeader.LENGTH, GroupNames.toSlot("grp"));
        System.arraycopy(payload, 0, b, FrameHeader.LENGTH + 32, payload.length);
        DataMessage m = data(ALICE, b);
        assertTrue(m.endianMismatch());
        assertEquals(0x1234, m.messType());
        assertEquals("#jcarol#localhost", m.sender());
        assertEquals(List.of("grp"), m.groups());
        assertArrayEquals(payload, m.data());
    }

    @Test
    void selfDiscardAndPassThroughGroupsStayVisible() throws Exception {
        DataMessage sd = data("#erin#localhost",
                CaptureVectors.bytes("erin: AGREED|SELF_DISCARD message as seen by erin"));
        assertTrue(sd.selfDiscard());
        assertEquals(SpreadConstants.AGREED_MESS | SpreadConstants.SELF_DISCARD, sd.serviceTypeWord());
        assertEquals(3, sd.messType());
        DataMessage multi = data("#carol#localhost", CaptureVectors.bytes("carol: multigroup SAFE message"));
        assertEquals(ServiceType.SAFE, multi.serviceType());
        assertEquals(List.of("demo", "news"), multi.groups());
        assertEquals(7, multi.messType());
    }

    private static byte[] network(List<String> members, MembershipBody body) {
        byte[] bodyBytes = body.encode(ByteOrder.LITTLE_ENDIAN);
        byte[] b = new byte[FrameEncoder.frameLength(members.size(), bodyBytes.length)];
        FrameEncoder.writeHeader(b, 0, SpreadConstants.REG_MEMB_MESS | SpreadConstants.CAUSED_BY_NETWORK,
                GroupNames.toSlot("grp"), members.size(), FrameHeader.ENDIAN_MARKER, bodyBytes.length);
        int p = FrameHeader.LENGTH;
        for (String m : members) {
            FrameEncoder.writeSlot(b, p, GroupNames.toSlot(m));
            p += GroupNames.SLOT_BYTES;
        }
        System.arraycopy(bodyBytes, 0, b, p, bodyBytes.length);
        return b;
    }

    private static ReceivedMessage convert(String self, byte[] frame) throws MalformedFrameException {
        RawFrame f = FrameDecoder.forClient(1 << 20).decode(ByteBuffer.wrap(frame));
        assertNotNull(f);
        return new FrameConverter(self).convert(f);
    }

    private static MembershipMessage membership(String self, byte[] frame) throws MalformedFrameException {
        return assertInstanceOf(MembershipMessage.class, convert(self, frame));
    }

    private static DataMessage data(String self, byte[] frame) throws MalformedFrameException {
        return assertInstanceOf(DataMessage.class, convert(self, frame));
    }
}
