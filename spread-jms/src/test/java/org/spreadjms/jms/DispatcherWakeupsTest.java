package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.jms.provider.FakeSpread;
import org.spreadjms.jms.routing.InboundRouter;

/**
 * With a provider that reports idle (the real one does), a session given messages on the dispatcher thread is woken
 * once the dispatcher has nothing more to deliver, or after {@link InboundRouter#WAKE_EVERY} messages, rather than
 * once per message; over the {@link FakeSpread} bus, whose {@code deliverAll} plays the dispatcher.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DispatcherWakeupsTest {
    private static final long ARRIVES_MS = 5_000;
    /** How long a message that must not have reached the listener yet is looked for. */
    private static final long ABSENT_MS = 200;

    private final FakeSpread bus = new FakeSpread();
    private final List<SpreadJmsConnection> connections = new ArrayList<>();
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    @AfterEach
    void closeAll() throws JMSException {
        for (SpreadJmsConnection c : connections) {
            c.close();
        }
    }

    private SpreadJmsConnection connect() throws JMSException {
        SpreadJmsConnection c = new SpreadJmsConnection(SpreadJmsSettings.fromUri(JmsTestSupport.storeless("spread://127.0.0.1:4803")), null,
                bus::provider);
        connections.add(c);
        c.start();
        return c;
    }

    /** A listener on topic {@code name} in a connection of its own, and a producer to it in another. */
    private MessageProducer listenerAndProducer(String name, Session[] producerSession) throws JMSException {
        bus.reportIdle(true);
        Session cs = connect().createSession(Session.AUTO_ACKNOWLEDGE);
        cs.createConsumer(cs.createTopic(name)).setMessageListener(m -> {
            try {
                received.add(((TextMessage) m).getText());
            } catch (JMSException e) {
                received.add("failed: " + e);
            }
        });
        Session ps = connect().createSession(Session.AUTO_ACKNOWLEDGE);
        producerSession[0] = ps;
        Topic t = ps.createTopic(name);
        MessageProducer p = ps.createProducer(t);
        bus.deliverAll();
        bus.idle(); // the joins are delivered: the count of messages since idle starts at 0
        awaitSessionThreadsWaiting();
        return p;
    }

    /**
     * Waits until the listener session threads wait for a signal: a thread that has not reached its first wait yet
     * looks for buffered messages without being woken, which is not what these tests are about.
     */
    private static void awaitSessionThreadsWaiting() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ARRIVES_MS);
        while (Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("spread-jms-session-"))
                .anyMatch(t -> t.getState() != Thread.State.WAITING)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the listener session thread did not start waiting within " + ARRIVES_MS
                        + " ms");
            }
            Thread.yield();
        }
    }

    private String next() throws InterruptedException {
        String s = received.poll(ARRIVES_MS, TimeUnit.MILLISECONDS);
        if (s == null) {
            throw new AssertionError("no message within " + ARRIVES_MS + " ms");
        }
        return s;
    }

    @Test
    void aListenerIsWokenOnceTheDispatcherReportsIdle() throws Exception {
        Session[] ps = new Session[1];
        MessageProducer p = listenerAndProducer("wakeups.idle", ps);
        p.send(ps[0].createTextMessage("one"));
        p.send(ps[0].createTextMessage("two"));
        bus.deliverAll();
        // buffered without a wake-up while the dispatcher had (or might have had) more to deliver
        assertNull(received.poll(ABSENT_MS, TimeUnit.MILLISECONDS), "the listener ran before the dispatcher was idle");
        bus.idle();
        assertEquals("one", next());
        assertEquals("two", next());
    }

    @Test
    void aLongBurstWakesTheListenerWithoutIdle() throws Exception {
        Session[] ps = new Session[1];
        MessageProducer p = listenerAndProducer("wakeups.burst", ps);
        for (int i = 0; i < InboundRouter.WAKE_EVERY; i++) {
            p.send(ps[0].createTextMessage("m" + i));
        }
        bus.deliverAll(); // never idle: the last of the run wakes the session
        for (int i = 0; i < InboundRouter.WAKE_EVERY; i++) {
            assertEquals("m" + i, next());
        }
        p.send(ps[0].createTextMessage("after"));
        bus.deliverAll();
        assertNull(received.poll(ABSENT_MS, TimeUnit.MILLISECONDS), "the listener ran before the dispatcher was idle");
        bus.idle();
        assertEquals("after", next());
    }

    @Test
    void withoutIdleReportsEveryMessageWakesTheListenerAtOnce() throws Exception {
        Session[] ps = new Session[1];
        MessageProducer p = listenerAndProducer("wakeups.none", ps);
        bus.reportIdle(false);
        p.send(ps[0].createTextMessage("alone"));
        bus.deliverAll();
        assertEquals("alone", next());
    }
}
