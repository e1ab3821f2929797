package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.MapMessage;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JmsSmokeTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    private SpreadConnectionFactory factory() {
        return new SpreadConnectionFactory(JmsTestSupport.storeless("spread://127.0.0.1:" + daemon.port()));
    }

    @Test
    void topicMessageSentAfterCreateConsumerReachesIt() throws Exception {
        try (Connection c = factory().createConnection(); Connection p = factory().createConnection()) {
            c.start();
            Session cs = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Topic topic = cs.createTopic("smoke.orders");
            MessageConsumer consumer = cs.createConsumer(topic, "color = 'red'");
            Session ps = p.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = ps.createProducer(topic);
            TextMessage blue = ps.createTextMessage("blue one");
            blue.setStringProperty("color", "blue");
            producer.send(blue);
            TextMessage red = ps.createTextMessage("red one");
            red.setStringProperty("color", "red");
            producer.send(red);
            TextMessage got = (TextMessage) consumer.receive(5000);
            assertNotNull(got);
            assertEquals("red one", got.getText());
            assertEquals(topic, got.getJMSDestination());
            assertEquals(1, got.getIntProperty("JMSXDeliveryCount"));
            assertNull(consumer.receive(200));
        }
    }

    @Test
    void requestReplyOverTemporaryQueue() throws Exception {
        try (Connection server = factory().createConnection(); Connection client = factory().createConnection()) {
            server.start();
            client.start();
            Session ss = server.createSession(Session.AUTO_ACKNOWLEDGE);
            Queue service = ss.createQueue("smoke.service");
            MessageConsumer requests = ss.createConsumer(service);
            MessageProducer replies = ss.createProducer(null);
            requests.setMessageListener(m -> {
                try {
                    TextMessage reply = ss.createTextMessage("echo " + ((TextMessage) m).getText());
                    reply.setJMSCorrelationID(m.getJMSMessageID());
                    replies.send(m.getJMSReplyTo(), reply);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Session cs = client.createSession(Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replyTo = cs.createTemporaryQueue();
            MessageConsumer replyConsumer = cs.createConsumer(replyTo);
            TextMessage request = cs.createTextMessage("hello");
            request.setJMSReplyTo(replyTo);
            cs.createProducer(service).send(request);
            TextMessage reply = (TextMessage) replyConsumer.receive(5000);
            assertNotNull(reply);
            assertEquals("echo hello", reply.getText());
            assertEquals(request.getJMSMessageID(), reply.getJMSCorrelationID());
        }
    }

    @Test
    void membershipAdvisoryReportsAJoin() throws Exception {
        try (Connection watcher = factory().createConnection(); Connection member = factory().createConnection()) {
            watcher.start();
            Session ws = watcher.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer advisories = ws.createConsumer(ws.createTopic("Spread.Membership.smoke.adv"));
            MapMessage own = (MapMessage) advisories.receive(5000);
            assertEquals("JOIN", own.getString("reason"));
            Session ms = member.createSession(Session.AUTO_ACKNOWLEDGE);
            ms.createConsumer(ms.createTopic("smoke.adv"));
            MapMessage join = (MapMessage) advisories.receive(5000);
            assertNotNull(join);
            assertEquals("JOIN", join.getString("reason"));
            assertEquals(2, join.getInt("memberCount"));
            assertTrue(join.getString("members").contains(join.getString("changedMembers")));
        }
    }
}
