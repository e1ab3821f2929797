package org.spreadjms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;
import org.spreadjms.camel.SpreadComponent;

/** Camel's generic {@code jms:} component (camel-jms) and this project's {@code spread:} component, with plain JMS. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CamelTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @ParameterizedTest(name = "{0}")
    @ArgumentsSource(SpreadTargets.class)
    void camelJmsRoutesFromAQueueToATopic(SpreadTarget target) throws Exception {
        String in = SpreadTarget.unique("it.camel.in");
        String out = SpreadTarget.unique("it.camel.out");
        try (CamelContext camel = new DefaultCamelContext();
             Connection watcher = target.factory().createConnection()) {
            camel.addComponent("jms", JmsComponent.jmsComponentAutoAcknowledge(target.factory()));
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("jms:queue:" + in)
                            .process(e -> e.getMessage().setBody(e.getMessage().getBody(String.class)
                                    + " routed by camel-jms"))
                            .to("jms:topic:" + out);
                }
            });
            camel.start();
            MessageConsumer routed = subscribe(watcher, out);
            ProducerTemplate template = camel.createProducerTemplate();
            awaitRoute(p -> template.sendBody("jms:queue:" + in, p), routed);
            template.sendBody("jms:queue:" + in, "order 1");
            assertEquals("order 1 routed by camel-jms", nextReal(routed));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ArgumentsSource(SpreadTargets.class)
    void camelSpreadConsumesWhatPlainJmsSendsAndPlainJmsReadsWhatItSends(SpreadTarget target) throws Exception {
        String in = SpreadTarget.unique("it.cs.in");
        String out = SpreadTarget.unique("it.cs.out");
        try (CamelContext camel = new DefaultCamelContext();
             Connection jms = target.factory().createConnection()) {
            SpreadComponent spread = new SpreadComponent();
            spread.setUrl(target.jmsUrl());
            camel.addComponent("spread", spread);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("spread:queue:" + in)
                            .process(e -> e.getMessage().setBody(e.getMessage().getBody(String.class)
                                    + " (color " + e.getMessage().getHeader("color") + ")"))
                            .to("spread:topic:" + out);
                }
            });
            camel.start();
            MessageConsumer routed = subscribe(jms, out);
            Session s = jms.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(in));
            awaitRoute(probe -> p.send(s.createTextMessage(probe)), routed);
            TextMessage order = s.createTextMessage("order 2");
            order.setStringProperty("color", "red");
            p.send(order);
            assertEquals("order 2 (color red)", nextReal(routed));
        }
    }

    private static MessageConsumer subscribe(Connection c, String topic) throws Exception {
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createTopic(topic));
        c.start();
        return consumer;
    }

    /** Probes until the route's consumer is subscribed: Spread keeps nothing for consumers not yet there. */
    private static void awaitRoute(Probe.Send send, MessageConsumer routed) throws Exception {
        BlockingQueue<String> arrived = new LinkedBlockingQueue<>();
        Probe.untilConsumed(p -> {
            send.send(p);
            TextMessage m = (TextMessage) routed.receive(200);
            if (m != null) {
                arrived.add(m.getText());
            }
        }, arrived, WAIT);
    }

    private static String nextReal(MessageConsumer routed) throws Exception {
        String body;
        do {
            body = assertInstanceOf(TextMessage.class, routed.receive(WAIT.toMillis())).getText();
        } while (Probe.isProbe(body));
        return body;
    }
}
