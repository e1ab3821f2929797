package org.spreadjms.camel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.ReceivedMessage;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadOptions;
import org.spreadjms.jms.SpreadConnectionFactory;

/** The component next to other programs: a plain spread-client program (raw), and Camel's generic jms: component. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SpreadInteropTest extends SpreadTestSupport {

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.addComponent("jms", JmsComponent.jmsComponentAutoAcknowledge(new SpreadConnectionFactory(url())));
        return context;
    }

    private static SpreadConnection plainClient(String privateName) throws Exception {
        return SpreadConnection.connect(SpreadOptions.builder().daemon("127.0.0.1", daemon.port())
                .privateName(privateName).membershipMessages(true).build());
    }

    private static DataMessage nextData(SpreadConnection c) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            ReceivedMessage m = c.receive(Duration.ofMillis(500));
            if (m instanceof DataMessage d) {
                return d;
            }
        }
        throw new AssertionError("no data message within 10 s");
    }

    @Test
    void rawMessagesReachAPlainSpreadProgram() throws Exception {
        try (SpreadConnection plain = plainClient("plain1")) {
            plain.join("legacy", Duration.ofSeconds(5));
            template.sendBody("spread:topic:legacy?raw=true&messageType=7", "hello, C program");
            DataMessage got = nextData(plain);
            assertEquals("hello, C program", new String(got.data(), StandardCharsets.UTF_8));
            assertEquals(7, got.messType());
            assertEquals("legacy", got.groups().get(0));
            template.sendBodyAndHeader("spread:topic:legacy?raw=true", new byte[] {1, 2, 3},
                    SpreadConstants.SPREAD_MESSAGE_TYPE, 42);
            DataMessage second = nextData(plain);
            assertArrayEquals(new byte[] {1, 2, 3}, second.data());
            assertEquals(42, second.messType());
        }
    }

    @Test
    void aPlainSpreadProgramsMessagesArriveAsBytes() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("spread:topic:fromc").to("mock:fromc");
            }
        });
        MockEndpoint fromC = getMockEndpoint("mock:fromc");
        fromC.expectedMessageCount(1);
        fromC.expectedHeaderReceived(SpreadConstants.SPREAD_MESSAGE_TYPE, (short) 9);
        try (SpreadConnection plain = plainClient("plain2")) {
            plain.multicast(ServiceType.AGREED, "fromc", (short) 9, "ping".getBytes(StandardCharsets.UTF_8));
            MockEndpoint.assertIsSatisfied(context, 10, TimeUnit.SECONDS);
            assertArrayEquals("ping".getBytes(StandardCharsets.UTF_8),
                    fromC.getExchanges().get(0).getIn().getBody(byte[].class));
            assertEquals(plain.privateGroup(), fromC.getExchanges().get(0).getIn()
                    .getHeader(SpreadConstants.SPREAD_SENDER));
        }
    }

    @Test
    void genericJmsComponentWorksWithTheSpreadConnectionFactory() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("jms:queue:viaJms").to("mock:viaJms");
                from("spread:queue:mixed.svc").transform(simple("spread says ${body}"));
            }
        });
        MockEndpoint viaJms = getMockEndpoint("mock:viaJms");
        viaJms.expectedBodiesReceived("one", "two");
        viaJms.expectedHeaderReceived("origin", "spread");
        // one message from jms:, one from spread: to the same queue
        template.sendBodyAndHeader("jms:queue:viaJms", "one", "origin", "spread");
        template.sendBodyAndHeader("spread:queue:viaJms", "two", "origin", "spread");
        MockEndpoint.assertIsSatisfied(context, 10, TimeUnit.SECONDS);
        // request/reply from camel-jms (its own temporary queue and correlation) to a spread: consumer
        assertEquals("spread says hi", template.requestBody("jms:queue:mixed.svc", "hi", String.class));
    }
}
