package org.spreadjms.bench;

import java.util.ArrayList;
import java.util.List;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;

/**
 * The three workloads through plain jakarta.jms, identical for every provider: separate connections for producer and
 * each consumer, AUTO_ACKNOWLEDGE sessions, NON_PERSISTENT BytesMessages created per send, consumers with a
 * MessageListener that reads the whole body.
 */
final class JmsWorkloads {
    private final ConnectionFactory factory;
    private final BenchOptions options;

    JmsWorkloads(ConnectionFactory factory, BenchOptions options) {
        this.factory = factory;
        this.options = options;
    }

    /** One producer, one consumer on a topic. */
    Throughput topic(String topicName, Deadline deadline) throws Exception {
        return throughput(false, topicName, 1, deadline);
    }

    /** One producer, {@code consumers} competing consumers on a queue. */
    Throughput queue(String queueName, int consumers, Deadline deadline) throws Exception {
        return throughput(true, queueName, consumers, deadline);
    }

    private Throughput throughput(boolean queue, String name, int consumerCount, Deadline deadline)
            throws Exception {
        FlowWindow window = new FlowWindow(options.window());
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < consumerCount; i++) {
                Connection c = open(connections, window);
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Destination d = queue ? s.createQueue(name) : s.createTopic(name);
                s.createConsumer(d).setMessageListener(new CountingListener(window, options.sizeBytes()));
                c.start();
            }
            Connection pc = open(connections, window);
            Session ps = pc.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = ps.createProducer(queue ? ps.createQueue(name) : ps.createTopic(name));
            producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            byte[] payload = new byte[options.sizeBytes()];
            long sent = pump(ps, producer, payload, window, 0, options.warmup(), deadline);
            Throughput.Stopwatch watch = Throughput.start();
            pump(ps, producer, payload, window, sent, options.messages(), deadline);
            return watch.stop(options.messages());
        } finally {
            closeAll(connections);
        }
    }

    /** Sends {@code count} messages within the window and waits until all are consumed; returns the new total. */
    private static long pump(Session session, MessageProducer producer, byte[] payload, FlowWindow window,
            long sentBefore, int count, Deadline deadline) throws Exception {
        long sent = sentBefore;
        for (int i = 0; i < count; i++) {
            window.beforeSend(sent, deadline);
            if ((i & 1023) == 0) {
                deadline.check("the producer to send " + count + " messages (" + i + " sent)");
            }
            BytesMessage m = session.createBytesMessage();
            m.writeBytes(payload);
            producer.send(m);
            sent++;
        }
        window.awaitConsumed(sent, deadline);
        return sent;
    }

    /** A responder on a queue echoes each request to its JMSReplyTo; one requester, one request at a time. */
    Latencies requestReply(String queueName, Deadline deadline) throws Exception {
        FlowWindow failures = new FlowWindow(0);
        List<Connection> connections = new ArrayList<>();
        try {
            Connection server = open(connections, failures);
            Session ss = server.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer replies = ss.createProducer(null);
            replies.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            ss.createConsumer(ss.createQueue(queueName)).setMessageListener(m -> echo(ss, replies, m, failures));
            server.start();

            Connection client = open(connections, failures);
            client.start();
            Session cs = client.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replyTo = cs.createTemporaryQueue();
            MessageConsumer replyConsumer = cs.createConsumer(replyTo);
            MessageProducer requests = cs.createProducer(cs.createQueue(queueName));
            requests.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            byte[] payload = new byte[options.sizeBytes()];
            long[] rtt = new long[options.roundTrips()];
            for (int i = -options.rrWarmup(); i < rtt.length; i++) {
                BytesMessage request = cs.createBytesMessage();
                request.writeBytes(payload);
                request.setJMSReplyTo(replyTo);
                long t0 = System.nanoTime();
                requests.send(request);
                awaitReply(replyConsumer, request.getJMSMessageID(), failures, deadline);
                long t = System.nanoTime() - t0;
                if (i >= 0) {
                    rtt[i] = t;
                }
            }
            return new Latencies(rtt);
        } finally {
            closeAll(connections);
        }
    }

    private static void echo(Session session, MessageProducer replies, Message m, FlowWindow failures) {
        try {
            BytesMessage request = (BytesMessage) m;
            byte[] body = new byte[(int) request.getBodyLength()];
            request.readBytes(body);
            BytesMessage reply = session.createBytesMessage();
            reply.writeBytes(body);
            reply.setJMSCorrelationID(m.getJMSMessageID());
            replies.send(m.getJMSReplyTo(), reply);
        } catch (JMSException | RuntimeException e) {
            failures.fail(e);
        }
    }

    private static void awaitReply(MessageConsumer consumer, String requestId, FlowWindow failures, Deadline deadline)
            throws Exception {
        while (true) {
            failures.checkFailure();
            Message reply = consumer.receive(Math.min(1000, deadline.remainingMillis()));
            if (reply != null && requestId.equals(reply.getJMSCorrelationID())) {
                return;
            }
            deadline.check("the reply to " + requestId);
        }
    }

    private Connection open(List<Connection> connections, FlowWindow window) throws JMSException {
        Connection c = factory.createConnection();
        connections.add(c);
        c.setExceptionListener(window::fail);
        return c;
    }

    /** Closes in reverse order; a failure to close is reported, not thrown, so it cannot hide the run's own. */
    static void closeAll(List<Connection> connections) {
        for (int i = connections.size() - 1; i >= 0; i--) {
            try {
                connections.get(i).close();
            } catch (JMSException | RuntimeException e) {
                System.err.println("closing a connection failed: " + e);
            }
        }
    }

    /** Reads each body whole (so lazy decoding is paid for) and counts it against the window. */
    private static final class CountingListener implements MessageListener {
        private final FlowWindow window;
        private final byte[] buffer;

        CountingListener(FlowWindow window, int sizeBytes) {
            this.window = window;
            this.buffer = new byte[sizeBytes];
        }

        @Override
        public void onMessage(Message message) {
            try {
                BytesMessage m = (BytesMessage) message;
                if (m.getBodyLength() != buffer.length || m.readBytes(buffer) != buffer.length) {
                    window.fail(new IllegalStateException("body of " + m.getBodyLength() + " bytes, expected "
                            + buffer.length));
                    return;
                }
            } catch (JMSException | RuntimeException e) {
                window.fail(e);
                return;
            }
            window.consumed();
        }
    }
}
