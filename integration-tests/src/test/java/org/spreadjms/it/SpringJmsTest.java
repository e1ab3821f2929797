package org.spreadjms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.jms.listener.DefaultMessageListenerContainer;
import org.springframework.jms.listener.SessionAwareMessageListener;
import org.springframework.jms.support.destination.DynamicDestinationResolver;

/** Spring's JmsTemplate and DefaultMessageListenerContainer (transacted) on our ConnectionFactory. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpringJmsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static DefaultMessageListenerContainer container(SpreadTarget target, String queue, Object listener) {
        DefaultMessageListenerContainer c = new DefaultMessageListenerContainer();
        c.setConnectionFactory(target.factory());
        c.setDestinationName(queue);
        c.setDestinationResolver(new DynamicDestinationResolver());
        c.setSessionTransacted(true);
        c.setReceiveTimeout(200);
        c.setMessageListener(listener);
        c.afterPropertiesSet();
        c.start();
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @ArgumentsSource(SpreadTargets.class)
    void jmsTemplateSendsToATransactedContainerThatCommitsEachMessage(SpreadTarget target) throws Exception {
        String queue = SpreadTarget.unique("it.spring");
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        List<Boolean> transacted = new CopyOnWriteArrayList<>();
        DefaultMessageListenerContainer c = container(target, queue, (SessionAwareMessageListener<Message>)
                (m, session) -> {
                    transacted.add(session.getTransacted());
                    got.add(((TextMessage) m).getText());
                });
        try {
            JmsTemplate template = new JmsTemplate(target.factory());
            Probe.untilConsumed(p -> template.convertAndSend(queue, p), got, WAIT);
            got.clear();
            for (int i = 0; i < 20; i++) {
                template.convertAndSend(queue, "order " + i);
            }
            for (int i = 0; i < 20; i++) {
                String body = got.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                while (Probe.isProbe(body)) {
                    body = got.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                }
                assertEquals("order " + i, body);
            }
            assertTrue(transacted.stream().allMatch(t -> t), "every listener call ran in a transacted session");
        } finally {
            c.shutdown();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ArgumentsSource(SpreadTargets.class)
    void listenerExceptionRollsBackAndTheMessageIsRedelivered(SpreadTarget target) throws Exception {
        String queue = SpreadTarget.unique("it.springtx");
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        DefaultMessageListenerContainer c = container(target, queue, (SessionAwareMessageListener<Message>)
                (m, session) -> {
                    String body = ((TextMessage) m).getText();
                    got.add(body + " redelivered=" + m.getJMSRedelivered() + " count="
                            + m.getIntProperty("JMSXDeliveryCount"));
                    if (body.equals("poison") && !m.getJMSRedelivered()) {
                        throw new IllegalStateException("fail the first delivery");
                    }
                });
        c.setErrorHandler(t -> { }); // the planned failure is not news
        try {
            JmsTemplate template = new JmsTemplate(target.factory());
            Probe.untilConsumed(p -> template.convertAndSend(queue, p), got, WAIT);
            template.convertAndSend(queue, "poison");
            assertEquals("poison redelivered=false count=1", nextReal(got));
            assertEquals("poison redelivered=true count=2", nextReal(got));
        } finally {
            c.shutdown();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ArgumentsSource(SpreadTargets.class)
    void sendInsideATransactedListenerIsPublishedOnCommit(SpreadTarget target) throws Exception {
        String queue = SpreadTarget.unique("it.springfwd");
        String out = SpreadTarget.unique("it.springout");
        BlockingQueue<String> probes = new LinkedBlockingQueue<>();
        DefaultMessageListenerContainer c = container(target, queue, (SessionAwareMessageListener<Message>)
                (m, session) -> {
                    String body = ((TextMessage) m).getText();
                    session.createProducer(session.createTopic(out)).send(session.createTextMessage("fwd " + body));
                    probes.add(body);
                });
        try (Connection watcher = target.factory().createConnection()) {
            Session ws = watcher.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer forwarded = ws.createConsumer(ws.createTopic(out));
            watcher.start();
            JmsTemplate template = new JmsTemplate(target.factory());
            Probe.untilConsumed(p -> template.convertAndSend(queue, p), probes, WAIT);
            template.convertAndSend(queue, "x");
            String body;
            do {
                body = assertInstanceOf(TextMessage.class, forwarded.receive(WAIT.toMillis())).getText();
            } while (Probe.isProbe(body));
            assertEquals("fwd x", body);
        } finally {
            c.shutdown();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ArgumentsSource(SpreadTargets.class)
    void jmsTemplateSendAndReceiveUsesATemporaryQueue(SpreadTarget target) throws Exception {
        String queue = SpreadTarget.unique("it.springrr");
        BlockingQueue<String> probes = new LinkedBlockingQueue<>();
        JmsTemplate replier = new JmsTemplate(target.factory());
        DefaultMessageListenerContainer c = container(target, queue, (SessionAwareMessageListener<Message>)
                (m, session) -> {
                    String body = ((TextMessage) m).getText();
                    probes.add(body);
                    if (m.getJMSReplyTo() != null) {
                        TextMessage reply = session.createTextMessage("re: " + body);
                        reply.setJMSCorrelationID(m.getJMSMessageID());
                        session.createProducer(m.getJMSReplyTo()).send(reply);
                    }
                });
        try {
            Probe.untilConsumed(p -> replier.convertAndSend(queue, p), probes, WAIT);
            JmsTemplate template = new JmsTemplate(target.factory());
            template.setReceiveTimeout(WAIT.toMillis());
            Message reply = template.sendAndReceive(queue, s -> s.createTextMessage("ping"));
            assertEquals("re: ping", assertInstanceOf(TextMessage.class, reply).getText());
        } finally {
            c.shutdown();
        }
    }

    private static String nextReal(BlockingQueue<String> got) throws InterruptedException, JMSException {
        String body;
        do {
            body = got.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } while (Probe.isProbe(body));
        return body;
    }
}
