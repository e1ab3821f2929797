package org.spreadjms.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;

import org.spreadjms.client.DataMessage;
import org.spreadjms.client.ReceivedMessage;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadOptions;
import org.spreadjms.jms.SpreadConnectionFactory;
import org.spreadjms.store.StoreMember;
import org.spreadjms.store.StoreMemberOptions;
import org.spreadjms.store.log.FsyncPolicy;

/** The steps of {@code spread demo}, each narrating what it sends and what arrives, each wait bounded. */
final class DemoSteps {
    private static final long WAIT_MILLIS = 5000;

    /** A step did not see what it announced. */
    static final class NotAsExpected extends Exception {
        NotAsExpected(String message) {
            super(message);
        }
    }

    private final String url;
    private final PrintWriter out;
    private final SpreadConnectionFactory factory;
    private int step;

    DemoSteps(String url, PrintWriter out) {
        this.url = url;
        this.out = out;
        // steps 1-5 run without a store member: the storeless mode (PERSISTENT messages are not kept)
        this.factory = new SpreadConnectionFactory(url + "?storeAcks=0");
    }

    void publishSubscribe() throws Exception {
        title("Publish/subscribe on a topic",
                "alice and bob subscribe to topic 'demo.news' (a topic is a Spread group: subscribing joins it).",
                "A publisher on a third connection sends 3 messages; every subscriber gets every one, in order.");
        try (Connection alice = factory.createConnection(); Connection bob = factory.createConnection();
             Connection publisher = factory.createConnection()) {
            MessageConsumer a = subscriber(alice, "demo.news");
            MessageConsumer b = subscriber(bob, "demo.news");
            Session ps = publisher.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = ps.createProducer(ps.createTopic("demo.news"));
            for (int i = 1; i <= 3; i++) {
                String text = "headline " + i;
                p.send(ps.createTextMessage(text));
                say("publisher sent    '" + text + "'");
            }
            for (int i = 1; i <= 3; i++) {
                expectText(a, "alice", "headline " + i);
                expectText(b, "bob", "headline " + i);
            }
        }
    }

    void competingConsumers() throws Exception {
        title("Competing consumers on a queue",
                "3 workers, each on its own connection, consume from queue 'demo.work'. There is no broker: the",
                "workers' connections form a Spread group and each job goes to exactly one of them.");
        int jobs = 6;
        Map<String, String> takenBy = new ConcurrentHashMap<>();
        CountDownLatch allTaken = new CountDownLatch(jobs);
        List<Connection> workers = new ArrayList<>();
        try (Connection producer = factory.createConnection()) {
            for (int w = 1; w <= 3; w++) {
                Connection c = factory.createConnection();
                workers.add(c);
                String worker = "worker-" + w;
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                s.createConsumer(s.createQueue("demo.work")).setMessageListener(m -> {
                    try {
                        String job = ((TextMessage) m).getText();
                        if (takenBy.putIfAbsent(job, worker) == null) {
                            allTaken.countDown();
                        } else {
                            takenBy.put(job, takenBy.get(job) + " AND " + worker);
                        }
                    } catch (JMSException e) {
                        takenBy.put("error", e.getMessage());
                    }
                });
                c.start();
            }
            Session ps = producer.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = ps.createProducer(ps.createQueue("demo.work"));
            for (int i = 1; i <= jobs; i++) {
                p.send(ps.createTextMessage("job " + i));
            }
            say("producer sent     job 1 .. job " + jobs);
            boolean done = allTaken.await(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            Map<String, Integer> perWorker = new TreeMap<>();
            for (Map.Entry<String, String> e : new TreeMap<>(takenBy).entrySet()) {
                say(e.getValue() + " took  '" + e.getKey() + "'");
                perWorker.merge(e.getValue(), 1, Integer::sum);
            }
            if (!done || takenBy.values().stream().anyMatch(v -> v.contains(" AND "))) {
                throw new NotAsExpected("step " + step + ": expected each of " + jobs + " jobs taken by exactly one"
                        + " worker, saw " + takenBy);
            }
            say("each job was taken exactly once; jobs per worker: " + perWorker);
        } finally {
            for (Connection c : workers) {
                c.close();
            }
        }
    }

    void requestReply() throws Exception {
        title("Request/reply",
                "A service listens on queue 'demo.upper' and answers in capitals. The client sends each request with",
                "JMSReplyTo set to its temporary queue and waits for the answer, matched by JMSCorrelationID.");
        try (Connection server = factory.createConnection(); Connection client = factory.createConnection()) {
            Session ss = server.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer replier = ss.createProducer(null);
            ss.createConsumer(ss.createQueue("demo.upper")).setMessageListener(m -> {
                try {
                    TextMessage reply = ss.createTextMessage(((TextMessage) m).getText().toUpperCase());
                    reply.setJMSCorrelationID(m.getJMSMessageID());
                    replier.send(m.getJMSReplyTo(), reply);
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            server.start();
            Session cs = client.createSession(Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replyTo = cs.createTemporaryQueue();
            MessageConsumer replies = cs.createConsumer(replyTo);
            MessageProducer requests = cs.createProducer(cs.createQueue("demo.upper"));
            client.start();
            for (String text : List.of("hello spread", "request/reply works")) {
                TextMessage request = cs.createTextMessage(text);
                request.setJMSReplyTo(replyTo);
                requests.send(request);
                say("client sent       '" + text + "' (reply to " + replyTo + ")");
                Message reply = replies.receive(WAIT_MILLIS);
                if (!(reply instanceof TextMessage t) || !text.toUpperCase().equals(t.getText())
                        || !request.getJMSMessageID().equals(reply.getJMSCorrelationID())) {
                    throw new NotAsExpected("step " + step + ": expected the reply '" + text.toUpperCase()
                            + "' correlated to " + request.getJMSMessageID() + ", got " + reply);
                }
                say("client got reply  '" + t.getText() + "' (correlation id matches the request)");
            }
        }
    }

    void membershipAdvisories() throws Exception {
        title("Membership advisories",
                "A watcher subscribes to topic 'Spread.Membership.demo.room' and gets a MapMessage for every change of",
                "the group behind topic 'demo.room' (the watcher joins it too: Spread tells membership to members).");
        try (Connection watcher = factory.createConnection()) {
            Session ws = watcher.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer advisories = ws.createConsumer(ws.createTopic("Spread.Membership.demo.room"));
            watcher.start();
            advisory(advisories, Set.of("JOIN"), 1, "the watcher itself joined");
            Connection carol = factory.createConnection();
            try (Connection dave = factory.createConnection()) {
                say("carol subscribes to topic 'demo.room'");
                subscriber(carol, "demo.room");
                String carolName = advisory(advisories, Set.of("JOIN"), 2, "carol joined");
                say("dave subscribes to topic 'demo.room'");
                subscriber(dave, "demo.room");
                advisory(advisories, Set.of("JOIN"), 3, "dave joined");
                say("carol's program closes its connection");
                carol.close();
                // a closing JMS connection leaves its groups (LEAVE); a crashed program would show DISCONNECT
                String gone = advisory(advisories, Set.of("LEAVE", "DISCONNECT"), 2, "carol left");
                if (!gone.equals(carolName)) {
                    throw new NotAsExpected("step " + step + ": expected " + carolName + " to leave, saw " + gone);
                }
            } finally {
                carol.close();
            }
        }
    }

    void plainSpreadClient() throws Exception {
        title("A plain Spread program and JMS",
                "A raw Spread client (no JMS) joins group 'demo.raw'. JMS sends to 'demo.raw?raw=true', which carries",
                "only the body bytes, and the raw client reads plain text. Then the raw client answers to the group.");
        try (SpreadConnection raw = SpreadConnection.connect(SpreadOptions.builder().daemon(
                DaemonUrl.parse(url)).build());
             Connection jms = new SpreadConnectionFactory(url + "?rawMessagesAsText=true").createConnection()) {
            raw.join("demo.raw", Duration.ofMillis(WAIT_MILLIS));
            Session s = jms.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer fromRaw = s.createConsumer(s.createTopic("demo.raw"));
            jms.start();
            s.createProducer(s.createTopic("demo.raw?raw=true")).send(s.createTextMessage("hi from JMS"));
            say("JMS sent          'hi from JMS' to topic 'demo.raw?raw=true'");
            String got = rawText(raw);
            say("raw client got    '" + got + "' as plain bytes");
            if (!"hi from JMS".equals(got)) {
                throw new NotAsExpected("step " + step + ": the raw client expected 'hi from JMS', got '" + got + "'");
            }
            raw.multicast(ServiceType.AGREED, "demo.raw", (short) 0, "hi from plain Spread".getBytes(
                    StandardCharsets.UTF_8));
            say("raw client sent   'hi from plain Spread' (AGREED) to group 'demo.raw'");
            say("a JMS subscriber of topic 'demo.raw' sees both:");
            expectText(fromRaw, "JMS subscriber", "hi from JMS");
            expectText(fromRaw, "JMS subscriber", "hi from plain Spread");
        }
    }

    private String rawText(SpreadConnection raw) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (System.nanoTime() - deadline < 0) {
            ReceivedMessage m = raw.receive(Duration.ofNanos(deadline - System.nanoTime()));
            if (m instanceof DataMessage d) {
                return new String(d.data(), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private MessageConsumer subscriber(Connection c, String topic) throws JMSException {
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createTopic(topic));
        c.start();
        return consumer;
    }

    private void expectText(MessageConsumer consumer, String who, String expected) throws Exception {
        Message m = consumer.receive(WAIT_MILLIS);
        String got = m == null ? null : MessageText.of(m);
        if (!expected.equals(got)) {
            throw new NotAsExpected("step " + step + ": " + who + " expected '" + expected + "', got "
                    + (got == null ? "nothing within " + WAIT_MILLIS + " ms" : "'" + got + "'"));
        }
        say(String.format("%-17s '%s'", who + " got", got));
    }

    /**
     * A store member keeps PERSISTENT messages: a queue's wait for a consumer that starts later, and a durable
     * subscriber that was offline gets what it missed. {@code daemon} is the daemon's "port@host" for the member.
     */
    void storedMessages(String daemon) throws Exception {
        title("A store member keeps what nobody is there to receive",
                "A store member (a Spread client writing to RocksDB in a temporary directory) joins queue",
                "'demo.orders'. 4 PERSISTENT orders are sent while no consumer runs; each send() returns once the",
                "store has it on disk (storeAcks=1). A consumer started afterwards gets all 4. Then a durable",
                "subscriber to topic 'demo.prices' goes offline, 3 prices are published, and it comes back to them.");
        Path data = Files.createTempDirectory("spread-demo-store");
        SpreadConnectionFactory stored = new SpreadConnectionFactory(url + "?storeAcks=1");
        StoreMemberOptions options = new StoreMemberOptions(daemon, "demo", data, FsyncPolicy.defaultPolicy(),
                List.of("q~demo.orders"), StoreMemberOptions.CONTROL_GROUP, 1, Duration.ofMillis(WAIT_MILLIS),
                64L << 20);
        try (StoreMember store = StoreMember.start(options)) {
            store.awaitServing(Duration.ofMillis(WAIT_MILLIS));
            say("store member " + store.privateGroup() + " serves (data in " + data + ")");
            try (Connection producer = stored.createConnection()) {
                Session ps = producer.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageProducer p = ps.createProducer(ps.createQueue("demo.orders"));
                p.setDeliveryMode(DeliveryMode.PERSISTENT);
                for (int i = 1; i <= 4; i++) {
                    p.send(ps.createTextMessage("order " + i));
                    say("producer sent     'order " + i + "' (stored, no consumer yet)");
                }
            }
            try (Connection consumer = stored.createConnection()) {
                Session cs = consumer.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageConsumer c = cs.createConsumer(cs.createQueue("demo.orders"));
                consumer.start();
                say("a consumer starts now");
                for (int i = 1; i <= 4; i++) {
                    expectText(c, "consumer", "order " + i);
                }
            }
            try (Connection subscriber = stored.createConnection()) {
                subscriber.setClientID("demo-subscriber");
                Session ss = subscriber.createSession(Session.AUTO_ACKNOWLEDGE);
                ss.createDurableConsumer(ss.createTopic("demo.prices"), "prices").close();
                say("durable subscription 'prices' created; its subscriber goes offline");
            }
            try (Connection publisher = stored.createConnection()) {
                Session ps = publisher.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageProducer p = ps.createProducer(ps.createTopic("demo.prices"));
                for (int i = 1; i <= 3; i++) {
                    p.send(ps.createTextMessage("price " + i));
                    say("publisher sent    'price " + i + "' (subscriber offline)");
                }
            }
            try (Connection subscriber = stored.createConnection()) {
                subscriber.setClientID("demo-subscriber");
                Session ss = subscriber.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageConsumer c = ss.createDurableConsumer(ss.createTopic("demo.prices"), "prices");
                subscriber.start();
                say("the subscriber is back");
                for (int i = 1; i <= 3; i++) {
                    expectText(c, "subscriber", "price " + i);
                }
                c.close();
                ss.unsubscribe("prices");
            }
        } finally {
            deleteTree(data);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Waits for one advisory, checks its reason and member count, tells it; returns the changed member. */
    private String advisory(MessageConsumer advisories, Set<String> reasons, int members, String meaning)
            throws Exception {
        Message m = advisories.receive(WAIT_MILLIS);
        if (!(m instanceof MapMessage map) || !reasons.contains(map.getString("reason"))
                || map.getInt("memberCount") != members) {
            throw new NotAsExpected("step " + step + ": expected a " + String.join(" or ", reasons) + " advisory with "
                    + members + " members, got " + (m == null ? "nothing" : MessageText.of(m)));
        }
        String reason = map.getString("reason");
        String changed = map.getString("changedMembers");
        say("advisory: " + reason + " of " + changed + ", now " + members + " member" + (members == 1 ? "" : "s")
                + "  <- " + meaning);
        return changed;
    }

    private void title(String title, String... lines) {
        step++;
        out.println();
        out.println("Step " + step + ": " + title);
        for (String l : lines) {
            out.println("  " + l);
        }
        out.flush();
    }

    private void say(String line) {
        out.println("    " + line);
        out.flush();
    }
}
