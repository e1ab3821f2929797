package org.spreadjms.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.Session;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.ExceptionHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.jms.SpreadConnectionFactory;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SpreadComponentTest extends SpreadTestSupport {

    @Test
    void topicFansOutToEverySubscriber() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("spread:topic:fan").to("mock:a");
                from("spread:topic:fan").to("mock:b");
            }
        });
        MockEndpoint a = getMockEndpoint("mock:a");
        MockEndpoint b = getMockEndpoint("mock:b");
        a.expectedBodiesReceived("m0", "m1", "m2", "m3", "m4");
        b.expectedBodiesReceived("m0", "m1", "m2", "m3", "m4");
        a.expectedHeaderReceived(SpreadConstants.SPREAD_GROUPS, "fan");
        a.expectedHeaderReceived("color", "red");
        for (int i = 0; i < 5; i++) {
            template.sendBodyAndHeader("spread:topic:fan", "m" + i, "color", "red");
        }
        MockEndpoint.assertIsSatisfied(context, 10, TimeUnit.SECONDS);
        assertTrue(a.getExchanges().get(0).getIn().getHeader(SpreadConstants.SPREAD_SENDER, String.class)
                .startsWith("#"));
    }

    @Test
    void selectorFiltersAndSelfDiscardSkipsOwnMessages() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("spread:topic:sel?selector=color = 'red'").to("mock:red");
                from("spread:topic:sel?selfDiscard=true").to("mock:others");
            }
        });
        MockEndpoint red = getMockEndpoint("mock:red");
        MockEndpoint others = getMockEndpoint("mock:others");
        red.expectedBodiesReceived("red one");
        others.expectedBodiesReceived("from elsewhere");
        template.sendBodyAndHeader("spread:topic:sel", "blue one", "color", "blue");
        template.sendBodyAndHeader("spread:topic:sel", "red one", "color", "red");
        try (Connection c = new SpreadConnectionFactory(url()).createConnection()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createTopic("sel")).send(s.createTextMessage("from elsewhere"));
        }
        MockEndpoint.assertIsSatisfied(context, 10, TimeUnit.SECONDS);
    }

    @Test
    void queueConsumersCompeteEachMessageTakenOnce() throws Exception {
        context.getRegistry().bind("cfA", new SpreadConnectionFactory(url()));
        context.getRegistry().bind("cfB", new SpreadConnectionFactory(url()));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("spread:queue:work?connectionFactory=#cfA&concurrentConsumers=2").routeId("A")
                        .setHeader("by", constant("A")).to("mock:work");
                from("spread:queue:work?connectionFactory=#cfB").routeId("B")
                        .setHeader("by", constant("B")).to("mock:work");
            }
        });
        MockEndpoint work = getMockEndpoint("mock:work");
        work.expectedMessageCount(60);
        for (int i = 0; i < 60; i++) {
            template.sendBody("spread:queue:work", "job" + i);
        }
        MockEndpoint.assertIsSatisfied(context, 10, TimeUnit.SECONDS);
        Set<String> bodies = new HashSet<>();
        Set<String> takers = new HashSet<>();
        for (Exchange e : work.getExchanges()) {
            bodies.add(e.getIn().getBody(String.class));
            takers.add(e.getIn().getHeader("by", String.class));
        }
        assertEquals(60, bodies.size(), "every job exactly once");
        assertEquals(Set.of("A", "B"), takers, "both connections took work");
    }

    @Test
    void inOutRequestReplyOverTemporaryQueue() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("spread:queue:svc").transform(simple("echo ${body}"));
            }
        });
        assertEquals("echo hi", template.requestBody("spread:queue:svc", "hi", String.class));
        assertEquals("echo again", template.requestBody("spread:queue:svc", "again", String.class));
    }

    @Test
    void inOutWithoutResponderTimesOut() {
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.requestBody("spread:queue:nobody?requestTimeout=300ms", "anyone?"));
        assertInstanceOf(ExchangeTimedOutException.class, e.getCause());
    }

    @Test
    void membershipChangesArriveAsExchanges() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("spread:membership:club").to("mock:members");
            }
        });
        MockEndpoint members = getMockEndpoint("mock:members");
        members.expectedMessageCount(2);
        members.message(0).header(SpreadConstants.SPREAD_MEMBERSHIP_REASON).isEqualTo("JOIN");
        members.message(1).header(SpreadConstants.SPREAD_MEMBERSHIP_REASON).isEqualTo("JOIN");
        members.message(1).header(SpreadConstants.SPREAD_MEMBER_COUNT).isEqualTo(2);
        members.message(1).header(SpreadConstants.SPREAD_GROUPS).isEqualTo("club");
        try (Connection c = new SpreadConnectionFactory(url()).createConnection()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(s.createTopic("club"));
            MockEndpoint.assertIsSatisfied(context, 10, TimeUnit.SECONDS);
            Exchange join = members.getExchanges().get(1);
            List<?> all = join.getIn().getHeader(SpreadConstants.SPREAD_MEMBERS, List.class);
            List<?> changed = join.getIn().getHeader(SpreadConstants.SPREAD_CHANGED_MEMBERS, List.class);
            assertEquals(2, all.size());
            assertTrue(all.containsAll(changed));
            members.reset();
            members.expectedMessageCount(1);
            members.message(0).header(SpreadConstants.SPREAD_MEMBER_COUNT).isEqualTo(1);
        }
        members.assertIsSatisfied(10_000);
        assertNotEquals("JOIN", members.getExchanges().get(0).getIn()
                .getHeader(SpreadConstants.SPREAD_MEMBERSHIP_REASON));
    }

    @Test
    void transactedRouteRollsBackAndTheMessageIsRedelivered() throws Exception {
        List<Throwable> handled = new CopyOnWriteArrayList<>();
        context.getRegistry().bind("recording", (ExceptionHandler) new RecordingHandler(handled, new CountDownLatch(1)));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("spread:queue:tx?transacted=true&exceptionHandler=#recording")
                        .to("mock:attempts")
                        .process(e -> {
                            if (!e.getIn().getHeader("JMSRedelivered", Boolean.class)) {
                                throw new IllegalStateException("first attempt fails");
                            }
                        })
                        .to("mock:done");
            }
        });
        MockEndpoint attempts = getMockEndpoint("mock:attempts");
        MockEndpoint done = getMockEndpoint("mock:done");
        attempts.expectedMessageCount(2);
        attempts.message(0).header("JMSRedelivered").isEqualTo(false);
        attempts.message(1).header("JMSRedelivered").isEqualTo(true);
        attempts.message(1).header("JMSXDeliveryCount").isEqualTo(2);
        done.expectedBodiesReceived("pay");
        template.sendBody("spread:queue:tx", "pay");
        MockEndpoint.assertIsSatisfied(context, 10, TimeUnit.SECONDS);
        assertEquals(1, handled.size());
        assertEquals("first attempt fails", handled.get(0).getMessage());
    }

    @Test
    void stoppingARouteLetsTheExchangeInFlightFinish() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("spread:queue:slow").routeId("slow")
                        .process(e -> {
                            started.countDown();
                            assertTrue(release.await(10, TimeUnit.SECONDS));
                        })
                        .to("mock:slow");
            }
        });
        MockEndpoint slow = getMockEndpoint("mock:slow");
        slow.expectedBodiesReceived("in flight");
        template.sendBody("spread:queue:slow", "in flight");
        assertTrue(started.await(10, TimeUnit.SECONDS));
        CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> {
            try {
                context.getRouteController().stopRoute("slow", 20, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // the stop waits for the exchange the processor holds
        assertThrows(TimeoutException.class, () -> stop.get(300, TimeUnit.MILLISECONDS));
        release.countDown();
        stop.get(10, TimeUnit.SECONDS);
        slow.assertIsSatisfied(5_000);
        assertEquals(ServiceStatus.Stopped, context.getRouteController().getRouteStatus("slow"));
    }

    /** A Serializable the JDK defaults do not allow. */
    record Order(String id) implements Serializable {
    }

    @Test
    void objectBodiesDeserializeOnlyIntoAllowedClasses() throws Exception {
        List<Throwable> handled = new CopyOnWriteArrayList<>();
        CountDownLatch seen = new CountDownLatch(1);
        context.getRegistry().bind("recording", (ExceptionHandler) new RecordingHandler(handled, seen));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("spread:topic:objs?deserializationAllowlist=org.spreadjms.camel.*").to("mock:allowed");
                from("spread:topic:objs?exceptionHandler=#recording").to("mock:refused");
            }
        });
        MockEndpoint allowed = getMockEndpoint("mock:allowed");
        allowed.expectedBodiesReceived(new Order("o-1"));
        template.sendBody("spread:topic:objs", new Order("o-1"));
        allowed.assertIsSatisfied(10_000);
        assertTrue(seen.await(10, TimeUnit.SECONDS), "the refusing route reported the failure");
        assertEquals(0, getMockEndpoint("mock:refused").getReceivedCounter());
        assertEquals(1, handled.size());
        assertInstanceOf(jakarta.jms.MessageFormatException.class, handled.get(0));
    }

    @Test
    void unknownEndpointOptionIsNamed() {
        ResolveEndpointFailedException e = assertThrows(ResolveEndpointFailedException.class,
                () -> context.getEndpoint("spread:topic:x?concurrentConsumerz=2"));
        assertTrue(e.getMessage().contains("concurrentConsumerz"), e.getMessage());
        ResolveEndpointFailedException type = assertThrows(ResolveEndpointFailedException.class,
                () -> context.getEndpoint("spread:channel:x"));
        assertTrue(type.getMessage().contains("'channel'"), type.getMessage());
        ResolveEndpointFailedException url = assertThrows(ResolveEndpointFailedException.class,
                () -> context.getEndpoint("spread:topic:x?url=RAW(spread://127.0.0.1:1?joinTimeoutz=5)"));
        assertTrue(url.getMessage().contains("joinTimeoutz"), url.getMessage());
    }

    private record RecordingHandler(List<Throwable> handled, CountDownLatch seen) implements ExceptionHandler {
        @Override
        public void handleException(Throwable exception) {
            handleException(null, null, exception);
        }

        @Override
        public void handleException(String message, Throwable exception) {
            handleException(message, null, exception);
        }

        @Override
        public void handleException(String message, Exchange exchange, Throwable exception) {
            handled.add(exception);
            seen.countDown();
        }
    }
}
