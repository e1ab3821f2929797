package org.spreadjms.camel;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.jms.JMSSecurityException;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.spreadjms.daemon.EmbeddedSpreadDaemon;
import org.spreadjms.daemon.UserFile;

/** The {@code username}/{@code password} endpoint options against a daemon with users and an ACL. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpreadSecurityTest extends CamelTestSupport {
    @TempDir
    static Path dir;
    static EmbeddedSpreadDaemon daemon;

    @BeforeAll
    static void startDaemon() throws Exception {
        Path users = dir.resolve("users");
        UserFile.write(users, "alice", "alice-pw", Set.of(), UserFile.DEFAULT_ITERATIONS);
        UserFile.write(users, "mallory", "mallory-pw", Set.of(), UserFile.DEFAULT_ITERATIONS);
        Path acl = dir.resolve("acl");
        Files.writeString(acl, "user:alice all orders.>\n* name >\n");
        daemon = EmbeddedSpreadDaemon.builder().users(users).acl(acl).authFailureDelay(Duration.ofMillis(10))
                .start();
    }

    @AfterAll
    static void stopDaemon() {
        daemon.stop();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getComponent("spread", SpreadComponent.class).setUrl("spread://127.0.0.1:" + daemon.port());
        return context;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("spread:topic:orders.camel?username=alice&password=alice-pw").to("mock:out");
            }
        };
    }

    @Test
    void credentialsAuthenticateProducerAndConsumer() throws Exception {
        MockEndpoint out = getMockEndpoint("mock:out");
        out.expectedBodiesReceived("hello");
        template.sendBody("spread:topic:orders.camel?username=alice&password=alice-pw", "hello");
        out.assertIsSatisfied(10_000);
    }

    @Test
    void wrongPasswordAndRefusedDestinationFailWithJmsSecurityException() {
        Exception wrong = assertThrows(Exception.class,
                () -> template.sendBody("spread:topic:orders.camel?username=alice&password=nope", "x"));
        assertTrue(hasCause(wrong, JMSSecurityException.class), wrong::toString);
        Exception refused = assertThrows(Exception.class,
                () -> template.sendBody("spread:topic:orders.camel?username=mallory&password=mallory-pw", "x"));
        assertTrue(hasCause(refused, JMSSecurityException.class), refused::toString);
    }

    private static boolean hasCause(Throwable t, Class<?> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
