package org.spreadjms.camel.bench;

import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.spreadjms.camel.SpreadComponent;
import org.spreadjms.daemon.EmbeddedSpreadDaemon;
import org.spreadjms.jms.SpreadConnectionFactory;

/**
 * Throughput of the bridge route {@code from("spread:topic:a").to("spread:topic:b")} on an embedded daemon: a JMS
 * producer sends to topic {@code a}, a JMS consumer counts what arrives on {@code b}. At most {@code window}
 * messages are in the bridge at once, so no consumer buffer overflows.
 *
 * <p>Arguments: {@code [messages=50000] [bodyBytes=100] [persistent=false] [window=1000]}. Run with
 * {@code cd camel-spread && mvn -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.spreadjms.camel.bench.BridgeBench -Dexec.args="50000 100 false"}.
 */
public final class BridgeBench {
    private BridgeBench() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int bodyBytes = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        boolean persistent = args.length > 2 && Boolean.parseBoolean(args[2]);
        int window = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        try (EmbeddedSpreadDaemon daemon = EmbeddedSpreadDaemon.builder().bindAddress("127.0.0.1").port(0).start()) {
            String url = "spread://127.0.0.1:" + daemon.port();
            CamelContext camel = new DefaultCamelContext();
            camel.getComponent("spread", SpreadComponent.class).setUrl(url);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("spread:topic:a").to("spread:topic:b?deliveryPersistent=" + persistent);
                }
            });
            camel.start();
            SpreadConnectionFactory factory = new SpreadConnectionFactory(url);
            try (Connection in = factory.createConnection(); Connection out = factory.createConnection()) {
                out.start();
                Session outSession = out.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageConsumer counter = outSession.createConsumer(outSession.createTopic("b"));
                Semaphore inBridge = new Semaphore(window);
                CountDownLatch[] done = {null};
                counter.setMessageListener(m -> {
                    inBridge.release();
                    done[0].countDown();
                });
                Session inSession = in.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = inSession.createProducer(inSession.createTopic("a"));
                producer.setDeliveryMode(persistent ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
                TextMessage body = inSession.createTextMessage("x".repeat(bodyBytes));
                run(producer, body, inBridge, done, Math.min(5_000, messages));
                long start = System.nanoTime();
                run(producer, body, inBridge, done, messages);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "bridge spread:topic:a -> spread:topic:b: %d messages of %d bytes,"
                        + " %s, in %.2f s: %.0f msg/s%n", messages, bodyBytes,
                        persistent ? "PERSISTENT (SAFE)" : "NON_PERSISTENT (FIFO)", seconds, messages / seconds);
            } finally {
                camel.close();
            }
        }
    }

    private static void run(MessageProducer producer, TextMessage body, Semaphore inBridge, CountDownLatch[] done,
                            int messages) throws Exception {
        done[0] = new CountDownLatch(messages);
        for (int i = 0; i < messages; i++) {
            if (!inBridge.tryAcquire(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no message came out of the bridge for 30 s (after " + i + ")");
            }
            producer.send(body);
        }
        if (!done[0].await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(done[0].getCount() + " messages never came out of the bridge");
        }
    }
}
