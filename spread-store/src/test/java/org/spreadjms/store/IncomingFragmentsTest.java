package org.spreadjms.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.MembershipMessage;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.membership.GroupId;
import org.spreadjms.client.membership.MembershipReason;
import org.spreadjms.jms.provider.Fragment;
import org.spreadjms.jms.store.PersistentMessages;
import org.spreadjms.jms.store.StoreControlCodec;

/** How a store member puts fragments together: what it assembles, what it skips, when it discards. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class IncomingFragmentsTest {
    private static final String SENDER = "#p1#d";
    private static final String STORE = "#$stb#d";
    private static final List<String> GROUPS = List.of("q~orders", "$spread.store");

    private final List<String> missed = new ArrayList<>();

    private static List<DataMessage> fragments(String sender, short messType, byte[] whole, long key) {
        return fragments(sender, messType, whole, key, GROUPS);
    }

    private static List<DataMessage> fragments(String sender, short messType, byte[] whole, long key,
                                               List<String> groups) {
        List<DataMessage> out = new ArrayList<>();
        Fragment.split(messType, key, whole, whole.length, 1000, frame -> out.add(new DataMessage(
                ServiceType.SAFE.bit(), sender, groups, Fragment.MESS_TYPE, false, frame)));
        return out;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static MembershipMessage view(MembershipReason reason, List<String> members, String changed) {
        return new MembershipMessage(reason.typeWord(), reason, "$spread.store~p", new GroupId(1, 1, 1), members,
                List.of(List.of(changed)), 0, 0);
    }

    @Test
    void aMessageCompletesAtItsLastFragmentWithTheTypeOfTheWhole() {
        IncomingFragments in = new IncomingFragments("#$sta#d", "$spread.store", missed::add);
        byte[] whole = random(4500);
        List<DataMessage> pieces = fragments(SENDER, PersistentMessages.JMS_ENVELOPE, whole, 1);
        for (int i = 0; i < pieces.size() - 1; i++) {
            assertNull(in.whole(pieces.get(i)));
        }
        DataMessage m = in.whole(pieces.get(pieces.size() - 1));
        assertEquals(PersistentMessages.JMS_ENVELOPE, m.messType());
        assertEquals(SENDER, m.sender());
        assertEquals(GROUPS, m.groups());
        assertArrayEquals(whole, m.data());
        DataMessage plain = new DataMessage(ServiceType.SAFE.bit(), SENDER, GROUPS, PersistentMessages.KEYED,
                false, PersistentMessages.keyed("k", new byte[] {1}));
        assertSame(plain, in.whole(plain), "a keyed message is not a fragment");
    }

    @Test
    void dataRepublishedByAStoreMemberIsNotAssembledButItsStateChunksAre() {
        IncomingFragments in = new IncomingFragments("#$sta#d", "$spread.store", missed::add);
        for (DataMessage d : fragments(STORE, PersistentMessages.JMS_ENVELOPE, random(3000), 1)) {
            assertNull(in.whole(d));
            assertEquals(0, in.partialMessages(), "a copy is never stored again: nothing is held for it");
        }
        assertEquals(List.of(), missed);
        byte[] chunk = random(3500);
        DataMessage last = null;
        for (DataMessage d : fragments(STORE, StoreControlCodec.MESS_TYPE, chunk, 2)) {
            last = in.whole(d);
        }
        assertArrayEquals(chunk, last.data());
    }

    @Test
    void aSenderThatDisconnectsOrIsCutOffLosesItsPartialMessagesButOneThatLeavesAGroupDoesNot() {
        IncomingFragments in = new IncomingFragments("#$sta#d", "$spread.store", missed::add);
        List<DataMessage> a = fragments(SENDER, PersistentMessages.JMS_ENVELOPE, random(3000), 1);
        List<DataMessage> b = fragments("#p2#d", PersistentMessages.JMS_ENVELOPE, random(3000), 1);
        in.whole(a.get(0));
        in.whole(b.get(0));
        assertEquals(2, in.partialMessages());
        in.onMembership(view(MembershipReason.LEAVE, List.of(STORE, "#p2#d"), SENDER));
        assertEquals(2, in.partialMessages(), "a connection that left a group may still send to it");
        in.onMembership(view(MembershipReason.DISCONNECT, List.of(STORE, "#p2#d"), SENDER));
        assertEquals(1, in.partialMessages());
        in.onMembership(view(MembershipReason.NETWORK, List.of(STORE), STORE));
        assertEquals(0, in.partialMessages(), "#p2#d is on the other side of the partition");
    }

    @Test
    void aMessageOverTheBoundIsNotKept() {
        IncomingFragments in = new IncomingFragments("#$sta#d", "$spread.store", 2000, 1 << 20, missed::add);
        for (DataMessage d : fragments(SENDER, PersistentMessages.JMS_ENVELOPE, random(3000), 1)) {
            assertNull(in.whole(d));
        }
        assertEquals(0, in.partialMessages());
    }

    @Test
    void aMessageThroughTheControlGroupWhoseStartCameBeforeTheMemberJoinedIsReportedWhenItCompletes() {
        IncomingFragments in = new IncomingFragments("#$sta#d", "$spread.store", missed::add);
        List<DataMessage> viaControl = fragments(SENDER, PersistentMessages.JMS_ENVELOPE, random(4000), 1);
        List<DataMessage> topicOnly = fragments(SENDER, PersistentMessages.JMS_ENVELOPE, random(4000), 2,
                List.of("prices"));
        for (int i = 2; i < viaControl.size(); i++) {
            assertNull(in.whole(viaControl.get(i)));
            assertNull(in.whole(topicOnly.get(i)));
            assertEquals(0, in.partialMessages());
            assertEquals(i < viaControl.size() - 1 ? 0 : 1, missed.size(), "told once, at its last fragment");
        }
        assertTrue(missed.get(0).contains("came before this receiver joined"), missed.get(0));
    }
}
