package org.spreadjms.jms.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.MessageNotWriteableException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.client.ServiceType;
import org.spreadjms.jms.destination.SpreadDestination;
import org.spreadjms.jms.destination.SpreadQueue;
import org.spreadjms.jms.destination.SpreadTopic;
import org.spreadjms.jms.message.MessageEnvelope;
import org.spreadjms.jms.message.ObjectMessageFilter;
import org.spreadjms.jms.message.SpreadMessage;
import org.spreadjms.jms.message.SpreadTextMessage;
import org.spreadjms.jms.provider.FakeProvider;
import org.spreadjms.jms.provider.FakeSpread;

/** The routing of one connection on the {@link FakeSpread} bus: topics, shared subscriptions, mailboxes, joins. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ConsumerRoutingTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final FakeSpread bus = new FakeSpread();
    private final List<Member> members = new ArrayList<>();
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private int nextId;

    /** A connection's routing whose consumers record what they are given. */
    private final class Member {
        record Taken(long consumer, SpreadMessage message) {
        }

        final FakeProvider provider;
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        final ConsumerRouting routing;
        final List<Taken> taken = new CopyOnWriteArrayList<>();
        final AtomicLong ids = new AtomicLong();

        Member(String name) throws JMSException {
            provider = bus.provider(name);
            routing = new ConsumerRouting(provider, ObjectMessageFilter.defaults(), false, 1_000, 1L << 20,
                    Duration.ofSeconds(10), timer, (id, m) -> taken.add(new Taken(id, m)), e -> {
                    }, e -> {
                    });
            provider.start(routing.listener());
            members.add(this);
        }

        String me() {
            return provider.privateGroup();
        }

        ConsumerRegistration register(SpreadDestination d, String sharedName, boolean noLocal) {
            return new ConsumerRegistration(ids.incrementAndGet(), d, sharedName, null, noLocal);
        }

        ConsumerRegistration subscribe(String topic) throws JMSException {
            ConsumerRegistration r = register(new SpreadTopic(topic), null, false);
            routing.addConsumer(r);
            return r;
        }

        List<SpreadMessage> of(ConsumerRegistration r) {
            return taken.stream().filter(t -> t.consumer() == r.id()).map(Taken::message).toList();
        }

        void close() {
            routing.close();
            provider.close();
            timer.shutdownNow();
        }
    }

    @AfterEach
    void closeAll() {
        callers.shutdownNow();
        members.forEach(Member::close);
    }

    private void publish(Member from, SpreadDestination d, String text) throws JMSException {
        SpreadTextMessage m = new SpreadTextMessage(text);
        m.setJMSDestination(d);
        m.setJMSMessageID("ID:routing:" + (++nextId));
        String group = d.kind() == SpreadDestination.Kind.QUEUE ? d.getName() : d.spreadGroup();
        from.provider.send(List.of(group), ServiceType.FIFO, MessageEnvelope.MESS_TYPE, MessageEnvelope.encode(m,
                null));
    }

    private static List<String> texts(List<SpreadMessage> ms) {
        return ms.stream().map(m -> ((SpreadTextMessage) m).getText()).toList();
    }

    @Test
    void consumersOfDifferentGroupsAddedConcurrentlyDoNotWaitForEachOthersJoin() throws Exception {
        Member m = new Member("m");
        SpreadTopic held = new SpreadTopic("held");
        FakeSpread.Gate gate = bus.holdJoin(m.me(), held.spreadGroup());
        Future<ConsumerRegistration> first = callers.submit(() -> m.subscribe("held"));
        gate.awaitArrival(WAIT);
        ConsumerRegistration second = m.subscribe("free"); // would time the test out if it waited for "held"
        assertTrue(bus.members(new SpreadTopic("free").spreadGroup()).contains(m.me()));
        assertFalse(first.isDone());
        gate.release();
        first.get(5, TimeUnit.SECONDS);
        bus.deliverAll();
        publish(m, new SpreadTopic("free"), "f");
        publish(m, held, "h");
        bus.deliverAll();
        assertEquals(List.of("f"), texts(m.of(second)));
        assertEquals(List.of("h"), texts(m.of(first.get())));
    }

    @Test
    void consumerWhoseJoinFailsIsNotRegistered() throws Exception {
        Member m = new Member("m");
        SpreadTopic t = new SpreadTopic("refused");
        FakeSpread.Gate gate = bus.holdJoin(m.me(), t.spreadGroup());
        ConsumerRegistration failed = m.register(t, null, false);
        Future<?> adding = callers.submit(() -> {
            m.routing.addConsumer(failed);
            return null;
        });
        gate.awaitArrival(WAIT);
        gate.fail(new InvalidDestinationException("no such group"));
        Throwable cause = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> adding.get(5, TimeUnit.SECONDS)).getCause();
        assertTrue(cause instanceof InvalidDestinationException, cause.toString());
        ConsumerRegistration ok = m.subscribe("refused");
        publish(m, t, "after");
        bus.deliverAll();
        assertEquals(List.of("after"), texts(m.of(ok)));
        assertTrue(m.of(failed).isEmpty(), "the failed consumer stayed registered");
    }

    @Test
    void topicMessageReachesEverySubscriberWithItsOwnReadOnlyCopy() throws Exception {
        Member m = new Member("m");
        Member p = new Member("p");
        ConsumerRegistration one = m.subscribe("news");
        ConsumerRegistration two = m.subscribe("news");
        publish(p, new SpreadTopic("news"), "hello");
        bus.deliverAll();
        assertEquals(List.of("hello"), texts(m.of(one)));
        assertEquals(List.of("hello"), texts(m.of(two)));
        assertNotSame(m.of(one).get(0), m.of(two).get(0));
        assertThrows(MessageNotWriteableException.class, () -> m.of(two).get(0).setStringProperty("x", "y"));
    }

    @Test
    void noLocalSubscriberIgnoresItsOwnConnectionsMessagesOnly() throws Exception {
        Member m = new Member("m");
        Member p = new Member("p");
        ConsumerRegistration r = m.register(new SpreadTopic("news"), null, true);
        m.routing.addConsumer(r);
        publish(m, new SpreadTopic("news"), "own");
        publish(p, new SpreadTopic("news"), "other");
        bus.deliverAll();
        assertEquals(List.of("other"), texts(m.of(r)));
    }

    @Test
    void sharedSubscriptionGivesEachMessageToOneConnectionWhileSubscribersGetAll() throws Exception {
        Member a = new Member("a");
        Member b = new Member("b");
        Member p = new Member("p");
        SpreadTopic news = new SpreadTopic("news");
        ConsumerRegistration sa = a.register(news, "S", false);
        ConsumerRegistration sb = b.register(news, "S", false);
        a.routing.addConsumer(sa);
        b.routing.addConsumer(sb);
        ConsumerRegistration plain = a.subscribe("news");
        bus.deliverAll();
        for (int i = 0; i < 30; i++) {
            publish(p, news, "n" + i);
        }
        bus.deliverAll();
        List<String> shared = new ArrayList<>(texts(a.of(sa)));
        shared.addAll(texts(b.of(sb)));
        assertEquals(30, shared.size());
        assertEquals(30, new HashSet<>(shared).size(), "each message once in the subscription");
        assertFalse(a.of(sa).isEmpty());
        assertFalse(b.of(sb).isEmpty());
        assertEquals(30, a.of(plain).size());
    }

    @Test
    void privateQueueMessageWaitsInTheMailboxUntilAConsumerArrives() throws Exception {
        Member m = new Member("m");
        Member p = new Member("p");
        SpreadQueue mine = new SpreadQueue(m.me());
        publish(p, mine, "waiting 1");
        publish(p, mine, "waiting 2");
        bus.deliverAll();
        List<SpreadMessage> seen = m.routing.mailboxSnapshot(m.me());
        assertEquals(List.of("waiting 1", "waiting 2"), texts(seen));
        assertThrows(MessageNotWriteableException.class, () -> seen.get(0).setStringProperty("x", "y"));
        ConsumerRegistration r = m.register(mine, null, false);
        m.routing.addConsumer(r);
        assertEquals(List.of("waiting 1", "waiting 2"), texts(m.of(r)));
        assertTrue(m.routing.mailboxSnapshot(m.me()).isEmpty());
        publish(p, mine, "direct");
        bus.deliverAll();
        assertEquals(List.of("waiting 1", "waiting 2", "direct"), texts(m.of(r)));
        Set<String> groups = new HashSet<>(bus.changes().stream().map(FakeSpread.Change::group).toList());
        assertTrue(groups.isEmpty(), "a private queue needs no group: " + groups);
    }
}
