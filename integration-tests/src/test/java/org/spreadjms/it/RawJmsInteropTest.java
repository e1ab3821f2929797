package org.spreadjms.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MapMessage;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.ReceivedMessage;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadConnection;

/** JMS and the raw Spread client on the same groups, both directions. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RawJmsInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @ParameterizedTest(name = "{0}")
    @ArgumentsSource(SpreadTargets.class)
    void jmsTextToARawDestinationArrivesAsPlainBytesWithTheMessType(SpreadTarget target) throws Exception {
        String group = SpreadTarget.unique("it.raw");
        try (SpreadConnection raw = SpreadConnection.connect(target.raw().build());
             Connection jms = target.factory().createConnection()) {
            raw.join(group, WAIT);
            Session s = jms.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createTopic(group + "?raw=true&messType=7"));
            p.send(s.createTextMessage("plain text"));
            DataMessage d = nextData(raw);
            assertEquals("plain text", new String(d.data(), StandardCharsets.UTF_8));
            assertEquals(7, d.messType());
            assertEquals(group, d.groups().get(0));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ArgumentsSource(SpreadTargets.class)
    void deliveryModeChoosesTheServiceTypeTheRawClientSees(SpreadTarget target) throws Exception {
        String group = SpreadTarget.unique("it.svc");
        try (SpreadConnection raw = SpreadConnection.connect(target.raw().build());
             Connection jms = target.factory().createConnection()) {
            raw.join(group, WAIT);
            Session s = jms.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createTopic(group + "?raw=true"));
            p.send(s.createTextMessage("np"), DeliveryMode.NON_PERSISTENT, 4, 0);
            p.send(s.createTextMessage("p"), DeliveryMode.PERSISTENT, 4, 0);
            assertEquals(ServiceType.FIFO, nextData(raw).serviceType());
            assertEquals(ServiceType.SAFE, nextData(raw).serviceType());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ArgumentsSource(SpreadTargets.class)
    void rawBytesReachATopicSubscriberAsBytesOrAsText(SpreadTarget target) throws Exception {
        String group = SpreadTarget.unique("it.rawin");
        byte[] body = {0, 1, 2, (byte) 0xFF};
        try (SpreadConnection raw = SpreadConnection.connect(target.raw().build());
             Connection bytes = target.factory().createConnection();
             Connection text = target.factory("rawMessagesAsText=true").createConnection()) {
            MessageConsumer asBytes = subscribe(bytes, group);
            MessageConsumer asText = subscribe(text, group);
            raw.multicast(ServiceType.AGREED, group, (short) 3, body);
            raw.multicast(ServiceType.AGREED, group, (short) 3, "héllo".getBytes(StandardCharsets.UTF_8));

            BytesMessage b = assertInstanceOf(BytesMessage.class, asBytes.receive(WAIT.toMillis()));
            byte[] got = new byte[(int) b.getBodyLength()];
            b.readBytes(got);
            assertArrayEquals(body, got);
            assertInstanceOf(BytesMessage.class, asBytes.receive(WAIT.toMillis()));
            asText.receive(WAIT.toMillis());
            TextMessage t = assertInstanceOf(TextMessage.class, asText.receive(WAIT.toMillis()));
            assertEquals("héllo", t.getText());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ArgumentsSource(SpreadTargets.class)
    void jmsAdvisoryReportsARawClientAndTheRawViewListsTheJmsSubscriber(SpreadTarget target) throws Exception {
        String group = SpreadTarget.unique("it.members");
        try (Connection watcher = target.factory().createConnection()) {
            Session ws = watcher.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer advisories = ws.createConsumer(ws.createTopic("Spread.Membership." + group));
            watcher.start();
            MapMessage own = assertInstanceOf(MapMessage.class, advisories.receive(WAIT.toMillis()));
            assertEquals(1, own.getInt("memberCount"));
            try (SpreadConnection raw = SpreadConnection.connect(target.raw().privateName("rawjoin").build())) {
                var view = raw.join(group, WAIT);
                assertEquals(2, view.members().size(), "the raw client sees the JMS watcher in the group");
                MapMessage join = assertInstanceOf(MapMessage.class, advisories.receive(WAIT.toMillis()));
                assertEquals("JOIN", join.getString("reason"));
                assertEquals(raw.privateGroup(), join.getString("changedMembers"));
                assertEquals(2, join.getInt("memberCount"));
            }
            MapMessage gone = assertInstanceOf(MapMessage.class, advisories.receive(WAIT.toMillis()));
            assertTrue(gone.getString("reason").equals("LEAVE") || gone.getString("reason").equals("DISCONNECT"),
                    gone.getString("reason"));
            assertEquals(1, gone.getInt("memberCount"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ArgumentsSource(SpreadTargets.class)
    void rawClientAndJmsSeeOneAgreedOrder(SpreadTarget target) throws Exception {
        String group = SpreadTarget.unique("it.order");
        int each = 200;
        try (SpreadConnection raw = SpreadConnection.connect(target.raw().build());
             Connection jms = target.factory("rawMessagesAsText=true").createConnection();
             Connection listener = target.factory("rawMessagesAsText=true").createConnection()) {
            raw.join(group, WAIT);
            MessageConsumer consumer = subscribe(listener, group);
            Session s = jms.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createTopic(group + "?raw=true&serviceType=AGREED"));
            for (int i = 0; i < each; i++) {
                p.send(s.createTextMessage("jms " + i));
                raw.multicast(ServiceType.AGREED, group, (short) 0, ("raw " + i).getBytes(StandardCharsets.UTF_8));
            }
            StringBuilder rawOrder = new StringBuilder();
            StringBuilder jmsOrder = new StringBuilder();
            for (int i = 0; i < 2 * each; i++) {
                rawOrder.append(new String(nextData(raw).data(), StandardCharsets.UTF_8)).append('|');
                TextMessage t = assertInstanceOf(TextMessage.class, consumer.receive(WAIT.toMillis()));
                jmsOrder.append(t.getText()).append('|');
            }
            assertEquals(rawOrder.toString(), jmsOrder.toString(), "AGREED: one order at every receiver");
        }
    }

    private static MessageConsumer subscribe(Connection c, String topic) throws Exception {
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createTopic(topic));
        c.start();
        return consumer;
    }

    static DataMessage nextData(SpreadConnection raw) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            ReceivedMessage m = raw.receive(Duration.ofNanos(deadline - System.nanoTime()));
            if (m instanceof DataMessage d) {
                return d;
            }
        }
        throw new AssertionError("no data message within " + WAIT);
    }
}
