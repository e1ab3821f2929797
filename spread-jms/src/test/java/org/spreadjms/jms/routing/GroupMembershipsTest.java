package org.spreadjms.jms.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.MembershipMessage;
import org.spreadjms.client.membership.MembershipReason;
import org.spreadjms.jms.provider.FakeProvider;
import org.spreadjms.jms.provider.FakeSpread;
import org.spreadjms.jms.provider.ProviderListener;

/** Join reference counts, and that joins and leaves of one connection wait only for what they must. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class GroupMembershipsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final FakeSpread bus = new FakeSpread();
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private FakeProvider provider;
    private String me;
    private GroupMemberships memberships;

    @BeforeEach
    void connect() throws JMSException {
        provider = bus.provider("m");
        provider.startIgnoringEvents();
        me = provider.privateGroup();
        memberships = new GroupMemberships(provider, Duration.ofSeconds(10));
    }

    @AfterEach
    void close() {
        callers.shutdownNow();
        provider.close();
    }

    private List<MembershipReason> changesOf(String group) {
        return bus.changes().stream().filter(c -> c.group().equals(group) && c.member().equals(me))
                .map(FakeSpread.Change::reason).toList();
    }

    private Future<Void> acquireLater(String group) {
        return callers.submit(() -> {
            memberships.acquire(group);
            return null;
        });
    }

    @Test
    void aHeldJoinOfOneGroupDoesNotDelayTheJoinOfAnother() throws Exception {
        FakeSpread.Gate heldA = bus.holdJoin(me, "ga");
        Future<Void> a = acquireLater("ga");
        heldA.awaitArrival(WAIT);
        assertTrue(memberships.isMember("ga"), "counted from the reservation on");
        memberships.acquire("gb"); // would block (and time the test out) if the held join kept a lock
        assertTrue(bus.members("gb").contains(me));
        assertFalse(a.isDone());
        assertFalse(bus.members("ga").contains(me));
        heldA.release();
        a.get(5, TimeUnit.SECONDS);
        assertTrue(bus.members("ga").contains(me));
    }

    @Test
    void reserveAndUnreserveNeverBlockWhileAJoinIsHeld() throws Exception {
        FakeSpread.Gate held = bus.holdJoin(me, "ga");
        Future<Void> a = acquireLater("ga");
        held.awaitArrival(WAIT);
        memberships.reserve("ga"); // a second user, counted at once
        memberships.unreserve("gb").run(); // not a member: nothing to do, at once
        memberships.unreserve("ga").run(); // uncounts the second user without waiting
        held.release();
        a.get(5, TimeUnit.SECONDS);
        assertTrue(memberships.isMember("ga"));
        memberships.release("ga");
        assertEquals(List.of(MembershipReason.JOIN, MembershipReason.LEAVE), changesOf("ga"));
        assertFalse(memberships.isMember("ga"));
    }

    @Test
    void secondUserOfAGroupWaitsForTheFirstJoinAndFailsWithItsExceptionType() throws Exception {
        FakeSpread.Gate held = bus.holdJoin(me, "ga");
        Future<Void> first = acquireLater("ga");
        held.awaitArrival(WAIT);
        GroupMemberships.Join secondJoin = memberships.reserve("ga");
        Future<Void> second = callers.submit(() -> {
            secondJoin.await();
            return null;
        });
        held.fail(new JMSSecurityException("group ga is not for you", "AUTH"));
        ExecutionException e1 = assertThrows(ExecutionException.class, () -> first.get(5, TimeUnit.SECONDS));
        ExecutionException e2 = assertThrows(ExecutionException.class, () -> second.get(5, TimeUnit.SECONDS));
        assertInstanceOf(JMSSecurityException.class, e1.getCause());
        assertInstanceOf(JMSSecurityException.class, e2.getCause(), "the second user gets the first one's error");
        assertFalse(memberships.isMember("ga"), "nobody stays counted");
        assertTrue(changesOf("ga").isEmpty(), "the second user did not join on its own");
        memberships.acquire("ga"); // a later user tries again
        assertEquals(List.of(MembershipReason.JOIN), changesOf("ga"));
    }

    @Test
    void aUserWhoseWaitTimesOutIsUncountedAndTheLastRealUserLeaves() throws Exception {
        GroupMemberships quick = new GroupMemberships(provider, Duration.ofMillis(200));
        FakeSpread.Gate held = bus.holdJoin(me, "ga");
        Future<Void> first = callers.submit(() -> {
            quick.acquire("ga");
            return null;
        });
        held.awaitArrival(WAIT);
        JMSException timedOut = assertThrows(JMSException.class, () -> quick.acquire("ga"));
        assertTrue(timedOut.getMessage().contains("did not finish within 200 ms"), timedOut.getMessage());
        held.release();
        first.get(5, TimeUnit.SECONDS);
        quick.release("ga"); // the one real user: the count is back to zero
        assertEquals(List.of(MembershipReason.JOIN, MembershipReason.LEAVE), changesOf("ga"));
        assertFalse(quick.isMember("ga"));
    }

    @Test
    void groupIsLeftOnlyWhenItsLastUserReleasesIt() throws Exception {
        memberships.acquire("ga");
        memberships.acquire("ga");
        memberships.acquire("ga");
        assertEquals(List.of(MembershipReason.JOIN), changesOf("ga"), "one join for three users");
        memberships.release("ga");
        memberships.release("ga");
        assertTrue(memberships.isMember("ga"));
        assertTrue(bus.members("ga").contains(me));
        memberships.release("ga");
        assertFalse(memberships.isMember("ga"));
        assertEquals(List.of(MembershipReason.JOIN, MembershipReason.LEAVE), changesOf("ga"));
        memberships.release("ga"); // one release too many changes nothing
        assertEquals(2, changesOf("ga").size());
    }

    @Test
    void joinRightAfterALeaveDoesNotOvertakeTheLeave() throws Exception {
        GroupMemberships quick = new GroupMemberships(provider, Duration.ofMillis(300));
        quick.acquire("ga");
        FakeSpread.Gate leave = bus.holdLeave(me, "ga");
        Future<?> released = callers.submit(() -> quick.release("ga"));
        leave.awaitArrival(WAIT);
        // the leave is under way and held: a join now must wait for it, not overtake it (the daemon would take that
        // join as a duplicate and then remove the member); here it waits its whole join timeout
        JMSException e = assertThrows(JMSException.class, () -> quick.acquire("ga"));
        assertTrue(e.getMessage().contains("the leave of Spread group 'ga' before joining it again"), e.getMessage());
        assertFalse(quick.isMember("ga"));
        assertEquals(List.of(MembershipReason.JOIN), changesOf("ga"));
        leave.release();
        released.get(5, TimeUnit.SECONDS);
        assertEquals(List.of(MembershipReason.JOIN, MembershipReason.LEAVE), changesOf("ga"));
    }

    @Test
    void joinRightAfterALeaveJoinsOnceTheLeaveWentOut() throws Exception {
        memberships.acquire("ga");
        FakeSpread.Gate leave = bus.holdLeave(me, "ga");
        Future<?> released = callers.submit(() -> memberships.release("ga"));
        leave.awaitArrival(WAIT);
        GroupMemberships.Join again = memberships.reserve("ga");
        Future<Void> joined = callers.submit(() -> {
            again.await();
            return null;
        });
        leave.release();
        released.get(5, TimeUnit.SECONDS);
        joined.get(5, TimeUnit.SECONDS);
        assertEquals(List.of(MembershipReason.JOIN, MembershipReason.LEAVE, MembershipReason.JOIN), changesOf("ga"));
        assertTrue(bus.members("ga").contains(me));
        assertTrue(memberships.isMember("ga"));
    }
}
