package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.Topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

/**
 * Durable subscriptions and browsing refuse bad input with the exception JMS asks for, before anything goes to the
 * store, and without a store member they fail within storeTimeout instead of hanging (there is none in this test:
 * the store's own behaviour is tested in spread-store).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DurableSubscriptionInputTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    private Connection connect(String clientId) throws JMSException {
        Connection c = JmsTestSupport.factory(daemon, "storeTimeout=500").createConnection();
        if (clientId != null) {
            c.setClientID(clientId);
        }
        return c;
    }

    @Test
    void badNamesTopicsAndSelectorsAreRefusedBeforeTheStoreIsAsked() throws Exception {
        try (Connection c = connect("input-1")) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic("input.t");
            assertThrows(InvalidDestinationException.class, () -> s.createDurableConsumer(t, ""));
            assertThrows(InvalidDestinationException.class, () -> s.createDurableConsumer(t, null));
            assertThrows(InvalidDestinationException.class, () -> s.createDurableConsumer(null, "d"));
            assertThrows(InvalidDestinationException.class,
                    () -> s.createDurableConsumer(s.createTemporaryTopic(), "d"));
            assertThrows(InvalidSelectorException.class, () -> s.createDurableConsumer(t, "d", "a = ", false));
            String huge = "a = '" + "x".repeat(5000) + "'";
            InvalidSelectorException e = assertThrows(InvalidSelectorException.class,
                    () -> s.createSharedDurableConsumer(t, "d", huge));
            assertTrue(e.getMessage().contains("4096"), e.getMessage());
            assertThrows(InvalidDestinationException.class, () -> s.unsubscribe(""));
        }
    }

    @Test
    void anUnsharedSubscriptionNeedsAClientIdAndClosedSessionsRefuse() throws Exception {
        try (Connection c = connect(null)) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic("input.t");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.createDurableConsumer(t, "d"));
            assertTrue(e.getMessage().contains("client id"), e.getMessage());
            QueueBrowser b = s.createBrowser(s.createQueue("input.q"));
            b.close();
            assertThrows(IllegalStateException.class, b::getEnumeration);
            s.close();
            assertThrows(IllegalStateException.class, () -> s.createDurableConsumer(t, "d"));
            assertThrows(IllegalStateException.class, () -> s.createSharedDurableConsumer(t, "d"));
            assertThrows(IllegalStateException.class, () -> s.unsubscribe("d"));
            assertThrows(IllegalStateException.class, () -> s.createBrowser(s.createQueue("q")));
        }
    }

    @Test
    void withoutAStoreMemberSubscribeAndUnsubscribeFailWithinStoreTimeoutNamingTheStoreGroup() throws Exception {
        try (Connection c = connect("input-3")) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic("input.t");
            for (ThrowingCall call : new ThrowingCall[] {() -> s.createDurableConsumer(t, "d"),
                    () -> s.createSharedDurableConsumer(t, "s"), () -> s.unsubscribe("d")}) {
                long start = System.nanoTime();
                JMSException e = assertThrows(JMSException.class, call::run);
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(ms >= 400 && ms < 10_000, "failed after " + ms + " ms (storeTimeout 500)");
                assertTrue(e.getMessage().contains("no store member answered")
                        && e.getMessage().contains("$spread.store"), e.getMessage());
            }
            // nothing half-made stays behind: the connection still works for topics
            assertTrue(s.createConsumer(t) != null);
        }
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }
}
