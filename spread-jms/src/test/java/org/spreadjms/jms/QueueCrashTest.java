package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

/**
 * Consumers of a named queue that leave or crash in the middle of a stream: every message is consumed, and a message
 * is delivered a second time only when its first consumer never acknowledged it, marked redelivered.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class QueueCrashTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    private SpreadConnectionFactory factory() {
        return new SpreadConnectionFactory(JmsTestSupport.storeless("spread://127.0.0.1:" + daemon.port()));
    }

    /** What one consumer saw: message text, and whether it was marked redelivered. */
    private record Seen(String consumer, String text, boolean redelivered) {
    }

    @Test
    void unacknowledgedMessagesOfAConsumerThatLeavesGoToAnotherMarkedRedelivered() throws Exception {
        int count = 300;
        try (Connection a = factory().createConnection(); Connection b = factory().createConnection();
             Connection quitter = factory().createConnection(); Connection producer = factory().createConnection()) {
            List<Seen> seen = new ArrayList<>();
            Session qs = quitter.createSession(Session.CLIENT_ACKNOWLEDGE);
            Queue queue = qs.createQueue("crash.leave");
            MessageConsumer never = qs.createConsumer(queue);
            Session as = a.createSession(Session.AUTO_ACKNOWLEDGE);
            Session bs = b.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer ca = as.createConsumer(queue);
            MessageConsumer cb = bs.createConsumer(queue);
            quitter.start();
            Session ps = producer.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = ps.createProducer(queue);
            for (int i = 0; i < count; i++) {
                p.send(ps.createTextMessage("m" + i));
            }
            // the quitter receives its share but never acknowledges it, then leaves
            int quitterGot = 0;
            Message m;
            while ((m = never.receive(300)) != null) {
                seen.add(new Seen("quitter", ((TextMessage) m).getText(), m.getJMSRedelivered()));
                quitterGot++;
            }
            quitter.close();
            a.start();
            b.start();
            for (MessageConsumer c : List.of(ca, cb)) {
                while ((m = c.receive(500)) != null) {
                    seen.add(new Seen(c == ca ? "a" : "b", ((TextMessage) m).getText(), m.getJMSRedelivered()));
                }
            }
            Map<String, List<Seen>> byText = new HashMap<>();
            seen.forEach(s -> byText.computeIfAbsent(s.text(), k -> new ArrayList<>()).add(s));
            assertEquals(count, byText.size(), "every message consumed");
            int redelivered = 0;
            for (List<Seen> copies : byText.values()) {
                List<Seen> acknowledged = copies.stream().filter(s -> !s.consumer().equals("quitter")).toList();
                assertEquals(1, acknowledged.size(), "exactly one acknowledged consumption of " + copies);
                if (copies.size() == 2) {
                    assertTrue(acknowledged.get(0).redelivered(), "second delivery marked redelivered: " + copies);
                    redelivered++;
                }
            }
            assertTrue(quitterGot > 0, "the quitter got a share");
            assertEquals(quitterGot, redelivered, "everything the quitter left unacknowledged was redelivered");
            System.out.printf("queue leave: %d messages, quitter took %d unacknowledged, %d redelivered to others%n",
                    count, quitterGot, redelivered);
        }
    }

    @Test
    void killingAConsumerJvmMidStreamLosesNothing() throws Exception {
        int count = 2000;
        String queue = "crash.kill";
        Process child = new ProcessBuilder(new File(System.getProperty("java.home"), "bin/java").getPath(), "-cp",
                System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                QueueCrashConsumer.class.getName(), Integer.toString(daemon.port()), queue)
                .redirectErrorStream(true).start();
        Map<String, Boolean> childGot = new ConcurrentHashMap<>();
        AtomicInteger childCount = new AtomicInteger();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8));
             Connection survivor = factory().createConnection(); Connection producer = factory().createConnection()) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("ready")) {
                assertTrue(child.isAlive(), "child died: " + line);
            }
            Thread reader = new Thread(() -> {
                try {
                    String l;
                    while ((l = out.readLine()) != null) {
                        if (l.startsWith("got ")) {
                            childGot.put(l.split(" ")[1], true);
                            childCount.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    // the child was killed: its output ends
                }
            });
            reader.start();
            Session ss = survivor.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer sc = ss.createConsumer(ss.createQueue(queue));
            survivor.start();
            Session ps = producer.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = ps.createProducer(ps.createQueue(queue));
            Map<String, Integer> survivorGot = new HashMap<>();
            int redeliveredToSurvivor = 0;
            // first half, then SIGKILL while the child is still consuming its share, then the second half
            for (int i = 0; i < count / 2; i++) {
                p.send(ps.createTextMessage("m" + i));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (childCount.get() < 100 && System.nanoTime() < deadline) {
                Message m = sc.receive(10);
                if (m != null) {
                    survivorGot.merge(((TextMessage) m).getText(), 1, Integer::sum);
                    redeliveredToSurvivor += m.getJMSRedelivered() ? 1 : 0;
                }
            }
            assertTrue(childCount.get() >= 100, "the child never got 100 messages");
            // SIGKILL through the handle: Process.destroyForcibly() also closes our end of the child's output, so
            // lines it printed (messages it consumed and acknowledged) could go unread and count as lost
            child.toHandle().destroyForcibly();
            for (int i = count / 2; i < count; i++) {
                p.send(ps.createTextMessage("m" + i));
            }
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
            Message m;
            while ((m = sc.receive(2000)) != null) {
                survivorGot.merge(((TextMessage) m).getText(), 1, Integer::sum);
                redeliveredToSurvivor += m.getJMSRedelivered() ? 1 : 0;
            }
            // every line the child printed before it died must be read before counting (on a loaded machine the
            // reader thread can lag behind: a message the child reported and acknowledged is not lost)
            reader.join(30_000);
            assertFalse(reader.isAlive(), "the child's output was not read to its end");
            int lost = 0;
            int both = 0;
            for (int i = 0; i < count; i++) {
                String t = "m" + i;
                boolean s = survivorGot.containsKey(t);
                boolean c = childGot.containsKey(t);
                if (!s && !c) {
                    lost++;
                    System.out.println("queue kill -9: lost " + t);
                }
                both += s && c ? 1 : 0;
                assertTrue(survivorGot.getOrDefault(t, 0) <= 1, "the survivor got " + t + " twice");
            }
            System.out.printf("queue kill -9: %d messages; child consumed %d before SIGKILL; survivor consumed %d"
                            + " (%d redelivered); consumed by both %d; lost %d%n", count, childGot.size(),
                    survivorGot.size(), redeliveredToSurvivor, both, lost);
            assertEquals(0, lost, "messages lost");
            assertTrue(both <= redeliveredToSurvivor, "a message consumed twice must be marked redelivered");
        } finally {
            child.destroyForcibly();
        }
    }
}
