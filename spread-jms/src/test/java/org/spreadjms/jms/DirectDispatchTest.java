package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.jms.Connection;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

/** alwaysSessionAsync=false: a lone AUTO/DUPS_OK session's listener runs on the connection's dispatcher thread. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DirectDispatchTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    private static final String DIRECT = "alwaysSessionAsync=false";

    @Test
    void aLoneAutoSessionIsServedOnTheDispatcherThreadInOrder() throws Exception {
        Listened l = listen(DIRECT, Session.AUTO_ACKNOWLEDGE, 1, 300);
        assertEquals(Set.of("dispatch"), l.threadKinds);
        assertEquals(l.expected, l.got);
    }

    @Test
    void byDefaultEverySessionHasItsOwnThread() throws Exception {
        Listened l = listen("", Session.AUTO_ACKNOWLEDGE, 1, 50);
        assertEquals(Set.of("session"), l.threadKinds);
        assertEquals(l.expected, l.got);
    }

    @Test
    void withASecondSessionOrClientAcknowledgeTheSessionThreadServes() throws Exception {
        Listened two = listen(DIRECT, Session.AUTO_ACKNOWLEDGE, 2, 50);
        assertEquals(Set.of("session"), two.threadKinds);
        assertEquals(two.expected, two.got);
        Listened client = listen(DIRECT, Session.CLIENT_ACKNOWLEDGE, 1, 50);
        assertEquals(Set.of("session"), client.threadKinds);
        assertEquals(client.expected, client.got);
    }

    @Test
    void theSimplifiedApiGetsItToo() throws Exception {
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon, DIRECT);
        try (JMSContext ctx = f.createContext(); JMSContext producer = f.createContext()) {
            Topic t = ctx.createTopic(JmsTestSupport.unique("direct.context"));
            Set<String> kinds = ConcurrentHashMap.newKeySet();
            CountDownLatch got = new CountDownLatch(10);
            ctx.createConsumer(t).setMessageListener(m -> {
                kinds.add(kind(Thread.currentThread()));
                got.countDown();
            });
            for (int i = 0; i < 10; i++) {
                producer.createProducer().send(t, "m" + i);
            }
            assertTrue(got.await(JmsTestSupport.ARRIVES_MS, TimeUnit.MILLISECONDS));
            assertEquals(Set.of("dispatch"), kinds);
        }
    }

    @Test
    void aThrowingListenerIsRedeliveredBeforeLaterMessages() throws Exception {
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon, DIRECT + "&maxRedeliveries=1");
        try (Connection c = JmsTestSupport.started(f); Connection p = JmsTestSupport.started(f)) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic(JmsTestSupport.unique("direct.throw"));
            List<String> calls = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(2);
            s.createConsumer(t).setMessageListener(m -> {
                try {
                    String text = ((TextMessage) m).getText();
                    synchronized (calls) {
                        calls.add(text + "#" + m.getIntProperty("JMSXDeliveryCount"));
                    }
                    if (text.equals("bad")) {
                        throw new IllegalStateException("poison");
                    }
                    done.countDown();
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            Session ps = p.createSession();
            MessageProducer producer = ps.createProducer(t);
            producer.send(ps.createTextMessage("bad"));
            producer.send(ps.createTextMessage("good1"));
            producer.send(ps.createTextMessage("good2"));
            assertTrue(done.await(JmsTestSupport.ARRIVES_MS, TimeUnit.MILLISECONDS));
            synchronized (calls) {
                assertEquals(List.of("bad#1", "bad#2", "good1#1", "good2#1"), calls);
            }
        }
    }

    @Test
    void stopWaitsForAListenerRunningOnTheDispatcherAndHoldsLaterMessages() throws Exception {
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon, DIRECT);
        try (Connection c = JmsTestSupport.started(f); Connection p = JmsTestSupport.started(f)) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic(JmsTestSupport.unique("direct.stop"));
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean listenerDone = new AtomicBoolean();
            List<String> got = new ArrayList<>();
            s.createConsumer(t).setMessageListener(m -> {
                try {
                    synchronized (got) {
                        got.add(((TextMessage) m).getText());
                    }
                    if (got.size() == 1) {
                        inside.countDown();
                        release.await(10, TimeUnit.SECONDS);
                        listenerDone.set(true);
                    }
                } catch (JMSException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Session ps = p.createSession();
            MessageProducer producer = ps.createProducer(t);
            producer.send(ps.createTextMessage("first"));
            assertTrue(inside.await(JmsTestSupport.ARRIVES_MS, TimeUnit.MILLISECONDS));
            Thread releaser = new Thread(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                release.countDown();
            });
            releaser.start();
            c.stop(); // returns only once the listener has finished
            assertTrue(listenerDone.get(), "stop() returned while the listener still ran");
            producer.send(ps.createTextMessage("while stopped"));
            Thread.sleep(JmsTestSupport.ABSENT_MS);
            synchronized (got) {
                assertEquals(List.of("first"), got, "delivered while stopped");
            }
            c.start();
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JmsTestSupport.ARRIVES_MS);
            while (System.nanoTime() < until) {
                synchronized (got) {
                    if (got.size() == 2) {
                        break;
                    }
                }
                Thread.sleep(10);
            }
            synchronized (got) {
                assertEquals(List.of("first", "while stopped"), got);
            }
        }
    }

    @Test
    void withQueueNoConsumerPolicyFailTheSessionThreadServesSoAListenerCanSendToANewQueue() throws Exception {
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon, DIRECT + "&queueNoConsumerPolicy=fail");
        String replies = JmsTestSupport.unique("direct.replies");
        try (Connection c = JmsTestSupport.started(f); Connection p = JmsTestSupport.started(f);
             Connection r = JmsTestSupport.started(f)) {
            Session rs = r.createSession();
            MessageConsumer replyConsumer = rs.createConsumer(rs.createQueue(replies));
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic(JmsTestSupport.unique("direct.fail"));
            MessageProducer out = s.createProducer(s.createQueue(replies));
            Set<String> kinds = ConcurrentHashMap.newKeySet();
            s.createConsumer(t).setMessageListener(m -> {
                kinds.add(kind(Thread.currentThread()));
                try {
                    out.send(s.createTextMessage("reply"));
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            Session ps = p.createSession();
            ps.createProducer(t).send(ps.createTextMessage("request"));
            assertEquals("reply", JmsTestSupport.receive(replyConsumer, TextMessage.class).getText());
            assertEquals(Set.of("session"), kinds);
        }
    }

    private record Listened(List<String> expected, List<String> got, Set<String> threadKinds) {
    }

    /** One connection with {@code sessions} sessions, a listener on the first; {@code count} messages to it. */
    private static Listened listen(String options, int mode, int sessions, int count) throws Exception {
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon, options);
        try (Connection c = JmsTestSupport.started(f); Connection p = JmsTestSupport.started(f)) {
            Session s = c.createSession(mode);
            for (int i = 1; i < sessions; i++) {
                c.createSession(Session.AUTO_ACKNOWLEDGE);
            }
            Topic t = s.createTopic(JmsTestSupport.unique("direct"));
            List<String> got = new ArrayList<>();
            Set<String> kinds = ConcurrentHashMap.newKeySet();
            CountDownLatch all = new CountDownLatch(count);
            s.createConsumer(t).setMessageListener(m -> {
                try {
                    kinds.add(kind(Thread.currentThread()));
                    synchronized (got) {
                        got.add(((TextMessage) m).getText());
                    }
                    if (mode == Session.CLIENT_ACKNOWLEDGE) {
                        m.acknowledge();
                    }
                    all.countDown();
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            Session ps = p.createSession();
            MessageProducer producer = ps.createProducer(t);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                producer.send(ps.createTextMessage("m" + i));
                expected.add("m" + i);
            }
            assertTrue(all.await(JmsTestSupport.ARRIVES_MS, TimeUnit.MILLISECONDS), "not all arrived");
            synchronized (got) {
                return new Listened(expected, new ArrayList<>(got), kinds);
            }
        }
    }

    private static String kind(Thread t) {
        String n = t.getName();
        return n.startsWith("spread-dispatch") ? "dispatch" : n.startsWith("spread-jms-session") ? "session" : n;
    }

    @Test
    void optionParses() {
        assertFalse(new SpreadConnectionFactory("spread://127.0.0.1:4803?alwaysSessionAsync=false").getSettings()
                .isAlwaysSessionAsync());
        assertTrue(new SpreadConnectionFactory().getSettings().isAlwaysSessionAsync());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new SpreadConnectionFactory("spread://127.0.0.1:4803?alwaysSessionAsync=maybe"));
        assertTrue(e.getMessage().contains("alwaysSessionAsync"), e.getMessage());
    }
}
