package org.spreadjms.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;
import org.spreadjms.jms.SpreadConnectionFactory;
import org.spreadjms.store.log.FsyncPolicy;

/**
 * A QueueBrowser on a named queue shows what the store members keep (issue 14): from any connection, in order,
 * paged, with its selector, without taking anything; consumed messages disappear from it. Real daemon and store.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StoredQueueBrowserTest {
    private static final String CONTROL = "$store.qb";

    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    @TempDir
    Path dir;

    private String url(String options) {
        return "spread://127.0.0.1:" + daemon.port() + "?storeGroup=" + CONTROL + "&" + options;
    }

    private StoreMember member(String name, String queue) throws Exception {
        StoreMember m = StoreMember.start(new StoreMemberOptions(daemon.port() + "@127.0.0.1", name,
                dir.resolve(name), FsyncPolicy.defaultPolicy(), List.of("q~" + queue), CONTROL, 1, StoreClient.WAIT,
                64L << 20));
        m.awaitServing(StoreClient.WAIT);
        return m;
    }

    private static void send(Session s, String queue, int from, int to) throws JMSException {
        MessageProducer p = s.createProducer(s.createQueue(queue));
        p.setDeliveryMode(DeliveryMode.PERSISTENT);
        for (int i = from; i < to; i++) {
            TextMessage m = s.createTextMessage("m-" + i);
            m.setIntProperty("i", i);
            p.send(m);
        }
    }

    private static List<String> texts(QueueBrowser b) throws JMSException {
        List<String> out = new ArrayList<>();
        Enumeration<?> e = b.getEnumeration();
        while (e.hasMoreElements()) {
            out.add(((TextMessage) e.nextElement()).getText());
        }
        return out;
    }

    private static List<String> range(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add("m-" + i);
        }
        return out;
    }

    @Test
    void anotherConnectionBrowsesTheStoredMessagesInOrderPagedAndWithItsSelector() throws Exception {
        try (StoreMember store = member("a", "orders");
             Connection producer = new SpreadConnectionFactory(url("storeAcks=1")).createConnection();
             Connection browser = new SpreadConnectionFactory(url("storeAcks=1")).createConnection()) {
            send(producer.createSession(Session.AUTO_ACKNOWLEDGE), "orders", 0, 450); // more than two pages
            Session s = browser.createSession(Session.AUTO_ACKNOWLEDGE);
            assertEquals(range(0, 450), texts(s.createBrowser(s.createQueue("orders"))));
            assertEquals(List.of("m-7", "m-207", "m-407"),
                    texts(s.createBrowser(s.createQueue("orders"), "i = 7 OR i = 207 OR i = 407")));
            assertEquals(List.of(), texts(s.createBrowser(s.createQueue("elsewhere"))), "a queue the store has not");

            // browsing takes nothing; consuming removes what was acknowledged
            Session cs = browser.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = cs.createConsumer(cs.createQueue("orders"));
            browser.start();
            for (int i = 0; i < 450; i++) {
                TextMessage m = (TextMessage) consumer.receive(10_000);
                assertNotNull(m, "message " + i + " after browsing");
                if (i == 99) {
                    break;
                }
            }
            consumer.close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            List<String> left;
            do {
                left = texts(s.createBrowser(s.createQueue("orders")));
            } while (left.size() != 350 && System.nanoTime() < deadline);
            assertEquals(350, left.size(), "after 100 were consumed and acknowledged: " + left.size());
            assertTrue(Collections.disjoint(left, range(0, 100)), "none of the consumed ones");
        }
    }

    @Test
    void withoutAStoreMemberANamedQueueBrowsesEmptyOrFailsWhenTheStoreIsExpected() throws Exception {
        try (Connection c = new SpreadConnectionFactory(url("storeAcks=0")).createConnection()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            assertEquals(List.of(), texts(s.createBrowser(s.createQueue("nothing"))));
        }
        try (Connection c = new SpreadConnectionFactory(url("storeAcks=1&storeTimeout=1000")).createConnection()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            JMSException e = assertThrows(JMSException.class,
                    () -> s.createBrowser(s.createQueue("nothing")).getEnumeration());
            assertTrue(e.getMessage().contains("no store member answered"), e.getMessage());
        }
    }
}
