package org.spreadjms.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;
import org.spreadjms.jms.SpreadConnectionFactory;
import org.spreadjms.store.ListenerInbox.Received;
import org.spreadjms.store.log.FsyncPolicy;

/**
 * Durable subscriptions when processes die (issue 14): a durable subscriber, the store member that forwards a
 * subscription's messages, or the only store member, each in a JVM of its own killed with SIGKILL
 * ({@link Process#destroyForcibly()}) in the middle of a flow of PERSISTENT messages sent with {@code storeAcks=1}
 * (each {@code send()} returns once a store member has the message on disk). Real embedded daemon, real sockets, real
 * store members on RocksDB. Each test prints its counts on standard output.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DurableCrashTest {
    private static final String CONTROL = "$store.dc";
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** After the last expected message: long enough for a duplicate to show (the store forwards in SAFE). */
    private static final Duration QUIET = Duration.ofMillis(1500);
    private static final String SUBSCRIPTION = "d";

    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    @TempDir
    Path dir;


    private String url(String options) {
        return "spread://127.0.0.1:" + daemon.port() + "?storeGroup=" + CONTROL
                + (options.contains("storeTimeout=") ? "" : "&storeTimeout=5000")
                + (options.isEmpty() ? "" : "&" + options);
    }

    private StoreMemberOptions options(String name) {
        return new StoreMemberOptions(daemon.port() + "@127.0.0.1", name, dir.resolve(name),
                FsyncPolicy.defaultPolicy(), List.of(), CONTROL, 1, StoreClient.WAIT, 64L << 20);
    }

    private StoreMember member(String name) throws Exception {
        StoreMember m = StoreMember.start(options(name));
        m.awaitServing(StoreClient.WAIT);
        return m;
    }

    /** A store member in a child JVM, serving when this returns. */
    private ChildJvm childMember(String name) throws Exception {
        ChildJvm child = ChildJvm.start(StoreMemberProcess.class, daemon.port() + "@127.0.0.1", name,
                dir.resolve(name).toString(), CONTROL);
        assertTrue(child.awaitLine("serving", WAIT), "the child store member never served:\n" + child.output());
        return child;
    }

    private Connection connection(String clientId) throws JMSException {
        Connection c = new SpreadConnectionFactory(url("")).createConnection();
        c.setClientID(clientId);
        return c;
    }

    /**
     * The durable consumer of {@link #SUBSCRIPTION}; while the store members still count a killed consumer as
     * attached (its leave not yet delivered), they refuse another one: that is retried until {@link #WAIT} passed.
     */
    private static MessageConsumer durableConsumer(Session s, String topic) throws JMSException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return s.createDurableConsumer(s.createTopic(topic), SUBSCRIPTION);
            } catch (IllegalStateException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    /** Receives until the message {@code last} came (failing after {@link #WAIT}). */
    private static List<Received> receiveUntil(MessageConsumer consumer, String last) throws JMSException {
        List<Received> got = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (got.isEmpty() || !got.get(got.size() - 1).text().equals(last)) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            assertTrue(left > 0, "'" + last + "' did not come; received " + got.size() + ": " + tail(got));
            Message m = consumer.receive(left);
            if (m != null) {
                got.add(new Received(((TextMessage) m).getText(), m.getJMSRedelivered()));
            }
        }
        return got;
    }

    private static String tail(List<?> l) {
        return l.subList(Math.max(0, l.size() - 20), l.size()).toString();
    }


    private static List<String> texts(String prefix, int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    private static long count(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).count();
    }

    /**
     * A durable subscriber in a child JVM is killed (SIGKILL) in the middle of a stream of PERSISTENT messages sent
     * with {@code storeAcks=1}; the producer sends more while no subscriber runs, then a new subscriber on the same
     * client id and subscription name attaches, and the producer sends some more. Three cases: CLIENT_ACKNOWLEDGE
     * (acknowledge() every 10 messages) killed right after the acknowledge() that follows its 300th message returned
     * ({@code client-acked}); CLIENT_ACKNOWLEDGE killed after its 305th message, in the middle of a batch
     * ({@code client-got}); AUTO_ACKNOWLEDGE with a message listener killed after its 300th message ({@code auto}).
     *
     * <p>What is asserted, and why. The first subscriber's acknowledgements go out in order, so what the store
     * deleted is always a prefix of what the first subscriber received. Hence the second subscriber must receive
     * exactly {@code sent[k..]}, all of the rest in order, none missing, none twice, for some k that is at most the
     * number of messages the first one acknowledged or was acknowledging when killed (CLIENT_ACKNOWLEDGE: up to its
     * last {@code acking} line; AUTO_ACKNOWLEDGE: every message its listener was given, since the session
     * acknowledges each after onMessage). Every message of {@code sent[k..]} the first one had received comes marked
     * JMSRedelivered; the redelivered ones are a prefix of what the second one receives (the store marks what it may
     * have forwarded before), and the messages sent after the second one attached are not marked. With
     * CLIENT_ACKNOWLEDGE, a message whose {@code acknowledge()} returned never comes again ({@code acknowledge()}
     * returns once its ACKs are written to the daemon). With AUTO_ACKNOWLEDGE the ACKs leave asynchronously (batched
     * for a few milliseconds, as Artemis and ActiveMQ do by default), so the last message or few the listener
     * returned from before the kill may come again, marked redelivered: they are counted.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"client-acked", "client-got", "auto"})
    void aDurableSubscriberKilledMidStreamResumesWithNoGap(String variant) throws Exception {
        String mode = variant.startsWith("client") ? "client" : "auto";
        String topic = "dcs-" + variant;
        String clientId = "dcs-" + variant;
        List<String> sent = new ArrayList<>();
        List<String> childLines;
        try (StoreMember store = member("s" + variant.charAt(0) + variant.charAt(variant.length() - 1));
             PersistentTopicProducer producer = new PersistentTopicProducer(url("storeAcks=1"), topic)) {
            try (ChildJvm child = ChildJvm.start(DurableSubscriberProcess.class, url(""), clientId, SUBSCRIPTION,
                    topic, mode, "10")) {
                assertTrue(child.awaitLine("ready", WAIT), "the subscriber never got ready:\n" + child.output());
                switch (variant) {
                    case "client-acked" -> child.killWhen(lines -> count(lines, "got ") >= 300
                            && lines.get(lines.size() - 1).startsWith("acked "));
                    case "client-got" -> child.killWhen(lines -> count(lines, "got ") >= 305);
                    default -> child.killWhen(lines -> count(lines, "got ") >= 300);
                }
                for (String text : texts("m-", 0, 600)) {
                    assertTrue(producer.send(text), "send of " + text + ": " + producer.firstFailure);
                    sent.add(text);
                }
                assertTrue(child.awaitEnd(WAIT), "the subscriber was not killed:\n" + child.output());
                assertTrue(child.killed(), "the subscriber died by itself:\n" + child.output());
                childLines = child.lines();
            }
            // sent while no subscriber runs
            for (String text : texts("m-", 600, 800)) {
                assertTrue(producer.send(text), "send of " + text + ": " + producer.firstFailure);
                sent.add(text);
            }
            List<Received> got;
            try (Connection c = connection(clientId)) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = durableConsumer(s, topic);
                c.start();
                got = new ArrayList<>(receiveUntil(consumer, "m-799"));
                for (String text : texts("m-", 800, 850)) {
                    assertTrue(producer.send(text), "send of " + text + ": " + producer.firstFailure);
                    sent.add(text);
                }
                got.addAll(receiveUntil(consumer, "m-849"));
                Message extra = consumer.receive(QUIET.toMillis());
                assertNull(extra, "a message more: " + extra);
            }
            checkResumption(variant, mode, sent, childLines, got);
        }
    }

    private static void checkResumption(String variant, String mode, List<String> sent, List<String> childLines,
                                        List<Received> got) {
        List<String> childGot = new ArrayList<>();
        int acking = 0; // messages the first subscriber acknowledged or was acknowledging
        int acked = 0; // messages whose acknowledge() had returned
        for (String line : childLines) {
            String[] f = line.split(" ");
            if (f[0].equals("got")) {
                assertEquals("false", f[2], "the first subscriber got a fresh message marked redelivered: " + line);
                childGot.add(f[1]);
            } else if (f[0].equals("acking")) {
                acking = childGot.size();
            } else if (f[0].equals("acked")) {
                acked = childGot.size();
            } else {
                assertTrue(f[0].equals("ready"), "the first subscriber printed: " + line);
            }
        }
        if (mode.equals("auto")) {
            acking = childGot.size();
            acked = Math.max(0, childGot.size() - 1); // the listener's last message may not be acknowledged yet
        }
        assertEquals(sent.subList(0, childGot.size()), childGot, "the first subscriber got the first messages in"
                + " order");
        assertTrue(childGot.size() < 600, "killed mid-stream, after " + childGot.size() + " of the 600 sent");

        List<String> texts = got.stream().map(Received::text).toList();
        int k = texts.isEmpty() ? sent.size() : sent.indexOf(texts.get(0));
        assertTrue(k >= 0, "an unknown message: " + texts.get(0));
        assertEquals(sent.subList(k, sent.size()), texts, "the second subscriber gets everything from the first"
                + " message not acknowledged, in order, once each");
        assertTrue(k <= acking, "messages the first subscriber never acknowledged are missing: the second starts at "
                + sent.get(k) + " (index " + k + ") but the first acknowledged at most " + acking);
        if (mode.equals("client")) {
            // acknowledge() returns once its ACKs are written to the daemon: the kill cannot take them back
            assertTrue(k >= acked, "messages whose acknowledge() returned came again: from " + sent.get(k) + " to "
                    + sent.get(acked - 1));
        }
        int redelivered = 0;
        for (int i = 0; i < got.size(); i++) {
            Received r = got.get(i);
            if (k + i < childGot.size()) {
                assertTrue(r.redelivered(), r.text() + " reached the first subscriber: it must come marked"
                        + " redelivered");
            }
            if (r.redelivered()) {
                redelivered++;
                assertTrue(i == 0 || got.get(i - 1).redelivered(), "redelivered " + r.text() + " after a fresh"
                        + " one: " + got.subList(Math.max(0, i - 3), i + 1));
                assertTrue(sent.indexOf(r.text()) < 800, "a message sent after the second subscriber attached is"
                        + " marked redelivered: " + r.text());
            }
        }
        int acknowledgedAgain = Math.max(0, acked - k);
        System.out.printf("durable subscriber (%s) SIGKILL: %d sent, %d returned; the first received %d,"
                        + " acknowledged %d (%d incl. the acknowledge in progress; auto: all but the last)"
                        + " before the kill; the second"
                        + " received %d (from m-%d), %d marked redelivered (%d received by the first and not"
                        + " acknowledged, %d acknowledged but the ACK died with the process), 0 lost, 0 twice%n",
                variant, sent.size(), sent.size(), childGot.size(), acked, acking, got.size(), k, redelivered,
                Math.max(0, childGot.size() - Math.max(k, acked)), acknowledgedAgain);
    }


    /**
     * Two store members; the one that forwards the subscription's messages (the first of the control view: the
     * daemon lists members by private name, so the child's name sorts first) runs in a child JVM and is killed with
     * SIGKILL after 400 sends returned, while a producer sends PERSISTENT messages and a durable subscriber receives.
     * Every send returns: with {@code storeAcks=1} the other member acknowledges too; with {@code storeAcks=all} the
     * sends in flight at the kill (delivered while both members were in view) stop waiting for the killed member
     * once it has left the store's presence group. The other member must take over forwarding (it restarts from the first stored
     * message and marks what may have been forwarded before redelivered; the subscriber ignores copies of messages it
     * holds or acknowledged). Asserted: every message whose send returned is received at least once, every second
     * copy is marked JMSRedelivered, and nothing else arrives.
     */
    @ParameterizedTest(name = "storeAcks={0}")
    @ValueSource(strings = {"1", "all"})
    void whenTheForwardingStoreMemberIsKilledTheOtherTakesOverAndLosesNothing(String storeAcks) throws Exception {
        String topic = "dcf" + storeAcks;
        int total = 1500;
        int killAfter = 400;
        String suffix = storeAcks.substring(0, 1);
        try (ChildJvm forwarder = childMember("fa" + suffix); StoreMember survivor = member("fb" + suffix);
             PersistentTopicProducer producer = new PersistentTopicProducer(url("storeAcks=" + storeAcks), topic);
             Connection c = connection(topic)) {
            String daemonName = survivor.privateGroup().substring(survivor.privateGroup().lastIndexOf('#'));
            String childGroup = "#$stfa" + suffix + daemonName;
            assertTrue(childGroup.compareTo(survivor.privateGroup()) < 0, "the child is the first store member");
            assertEquals(2, survivor.storeMembers());
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createDurableConsumer(s.createTopic(topic), SUBSCRIPTION);
            ListenerInbox inbox = new ListenerInbox();
            consumer.setMessageListener(inbox::add);
            c.start();
            int receivedAtKill = -1;
            List<String> attempted = texts("m-", 0, total);
            for (String text : attempted) {
                producer.send(text);
                if (producer.returnedCount() == killAfter && receivedAtKill < 0) {
                    receivedAtKill = inbox.size();
                    forwarder.kill(); // the next sends are in flight while it dies
                }
            }
            assertTrue(forwarder.awaitEnd(WAIT), "the forwarding store member did not die");
            assertEquals(List.of(), producer.failed, "sends failed: " + producer.firstFailure);
            assertTrue(receivedAtKill > 0, "the subscriber was receiving when the forwarder was killed");
            assertTrue(inbox.awaitAll(producer.returned, WAIT), "returned sends not received: " + missing(
                    producer.returned, inbox.received()));
            inbox.awaitQuiet(QUIET, WAIT);
            List<Received> got = inbox.received();
            Map<String, Integer> copies = new HashMap<>();
            int duplicates = 0;
            int redeliveredFirstCopies = 0;
            int outOfOrder = 0;
            int lastIndex = -1;
            for (Received r : got) {
                int index = attempted.indexOf(r.text());
                assertTrue(index >= 0, "an unknown message: " + r);
                int n = copies.merge(r.text(), 1, Integer::sum);
                if (n > 1) {
                    duplicates++;
                    assertTrue(r.redelivered(), "a second copy of " + r.text() + " not marked redelivered");
                } else {
                    redeliveredFirstCopies += r.redelivered() ? 1 : 0;
                    outOfOrder += index < lastIndex ? 1 : 0;
                    lastIndex = Math.max(lastIndex, index);
                }
            }
            assertEquals(List.of(), missing(producer.returned, got), "returned sends never received");
            System.out.printf("forwarding store member SIGKILL (of 2), storeAcks=%s: %d sent, %d returned, %d failed"
                            + " (first: %s); %d received by the kill; the subscriber received %d, %d distinct, %d"
                            + " duplicates (all marked redelivered), %d first copies marked redelivered, %d out of"
                            + " order, 0 lost%n",
                    storeAcks, total, producer.returned.size(), producer.failed.size(), producer.firstFailure,
                    receivedAtKill, got.size(), copies.size(), duplicates, redeliveredFirstCopies, outOfOrder);
        }
    }

    private static List<String> missing(List<String> expected, List<Received> got) {
        Set<String> have = new HashSet<>();
        got.forEach(r -> have.add(r.text()));
        return expected.stream().filter(t -> !have.contains(t)).toList();
    }

    /**
     * The only store member, in a child JVM, is killed with SIGKILL while its durable subscriber is offline and a
     * producer sends PERSISTENT messages with {@code storeAcks=1} (the first send after the kill fails after
     * {@code storeTimeout}); restarted on the same data, it serves the subscription, and the subscriber gets every
     * message whose send returned, in order, once each (plus, possibly, the one whose send failed: it may have been
     * written before the kill).
     */
    @Test
    void theOnlyStoreMemberKilledWhileTheSubscriberIsOfflineKeepsEveryReturnedSend() throws Exception {
        String topic = "dco";
        int killAfter = 300;
        PersistentTopicProducer producer;
        try (ChildJvm store = childMember("o")) {
            try (Connection c = connection("dco")) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                s.createDurableConsumer(s.createTopic(topic), SUBSCRIPTION).close();
            }
            try (PersistentTopicProducer p = new PersistentTopicProducer(url("storeAcks=1&storeTimeout=2000"),
                    topic)) {
                producer = p;
                for (int i = 0; i < 5000 && p.failed.isEmpty(); i++) {
                    p.send("m-" + i);
                    if (p.returnedCount() == killAfter && !store.killed()) {
                        store.kill(); // the next sends are in flight while it dies
                    }
                }
            }
            assertTrue(store.awaitEnd(WAIT), "the store member did not die");
        }
        assertTrue(producer.firstFailure != null
                && producer.firstFailure.getMessage().contains("no store member acknowledged"),
                "the first send after the kill fails: " + producer.firstFailure);
        List<String> attempted = new ArrayList<>(producer.returned);
        attempted.addAll(producer.failed);
        try (StoreMember restarted = member("o"); Connection c = connection("dco")) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = durableConsumer(s, topic);
            c.start();
            List<Received> got = receiveUntil(consumer, producer.returned.get(producer.returned.size() - 1));
            Message m;
            while ((m = consumer.receive(QUIET.toMillis())) != null) {
                got.add(new Received(((TextMessage) m).getText(), m.getJMSRedelivered()));
            }
            List<String> texts = got.stream().map(Received::text).toList();
            assertEquals(List.of(), missing(producer.returned, got), "returned sends never received");
            int last = -1;
            for (String t : texts) {
                int index = attempted.indexOf(t);
                assertTrue(index > last, "out of order, twice or unknown: " + t + " in " + tail(texts));
                last = index;
            }
            long redelivered = got.stream().filter(Received::redelivered).count();
            System.out.printf("only store member SIGKILL, subscriber offline: %d returned, %d failed; after the"
                            + " restart the subscriber received %d in order (%d not returned), none twice, %d"
                            + " marked redelivered, 0 lost%n", producer.returned.size(), producer.failed.size(),
                    got.size(), got.size() - producer.returned.size(), redelivered);
        }
    }
}
