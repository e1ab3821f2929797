package org.spreadjms.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;

import org.spreadjms.client.ServiceType;
import org.spreadjms.jms.SpreadConnectionFactory;

/**
 * JMS request/reply round trips, one at a time: a client sends a request with JMSReplyTo set to its temporary
 * queue; a server (its own connection, a MessageListener on a queue) echoes the body back with the correlation id.
 * The latency figures are full round trips.
 */
final class RequestReplyScenario implements BenchScenario {
    private final String uri;
    private final int size;
    private final ServiceType service;
    private final String name = "bench-rr-" + Long.toHexString(System.nanoTime() & 0xFFFFFF);
    private final List<Connection> connections = new ArrayList<>();
    private final AtomicReference<Throwable> serverError = new AtomicReference<>();
    private MessageProducer requests;
    private MessageConsumer replies;
    private BytesMessage request;

    RequestReplyScenario(String uri, int size, ServiceType service) {
        this.uri = uri;
        this.size = size;
        this.service = service;
    }

    @Override
    public String describe() {
        return "JMS: a client sends a request to queue '" + name + "' and waits for the reply on its temporary queue;"
                + " a server on another connection echoes it; one round trip at a time, "
                + (service == null ? "NON_PERSISTENT (FIFO)" : service);
    }

    @Override
    public void open() throws Exception {
        SpreadConnectionFactory factory = new SpreadConnectionFactory(uri);
        String dest = service == null ? name : name + "?serviceType=" + service;

        Connection server = factory.createConnection();
        connections.add(server);
        Session ss = server.createSession(Session.AUTO_ACKNOWLEDGE);
        MessageProducer replier = ss.createProducer(null);
        replier.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        ss.createConsumer(ss.createQueue(dest)).setMessageListener(m -> {
            try {
                BytesMessage in = (BytesMessage) m;
                byte[] body = new byte[(int) in.getBodyLength()];
                in.readBytes(body);
                BytesMessage reply = ss.createBytesMessage();
                reply.writeBytes(body);
                reply.setJMSCorrelationID(m.getJMSMessageID());
                replier.send(m.getJMSReplyTo(), reply);
            } catch (JMSException | RuntimeException e) {
                serverError.compareAndSet(null, e);
            }
        });
        server.start();

        Connection client = factory.createConnection();
        connections.add(client);
        Session cs = client.createSession(Session.AUTO_ACKNOWLEDGE);
        TemporaryQueue replyTo = cs.createTemporaryQueue();
        replies = cs.createConsumer(replyTo);
        Queue queue = cs.createQueue(dest);
        requests = cs.createProducer(queue);
        requests.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        request = cs.createBytesMessage();
        request.writeBytes(new byte[size]);
        request.setJMSReplyTo(replyTo);
        client.start();
    }

    @Override
    public BenchResult run(int count, ProgressBar progress, long deadlineNanos) throws Exception {
        long[] latencies = new long[count];
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            requests.send(request);
            String id = request.getJMSMessageID();
            Message reply = replies.receive(Deadlines.STALL.toMillis());
            if (reply == null) {
                Throwable e = serverError.get();
                throw e != null ? new IllegalStateException("the server failed: " + e.getMessage(), e)
                        : Deadlines.stalled("request-reply", i, count);
            }
            latencies[i] = System.nanoTime() - t0;
            if (!id.equals(reply.getJMSCorrelationID())) {
                throw new IllegalStateException("reply " + i + " answers " + reply.getJMSCorrelationID()
                        + ", not the request just sent (" + id + ")");
            }
            if ((i & 255) == 0) {
                Deadlines.check(deadlineNanos, "request-reply", i, count);
                if (progress != null) {
                    progress.update(i);
                }
            }
        }
        long nanos = System.nanoTime() - start;
        if (progress != null) {
            progress.update(count);
        }
        return new BenchResult(count, 2L * count * size, nanos, latencies);
    }

    @Override
    public void close() {
        for (Connection c : connections) {
            try {
                c.close();
            } catch (JMSException e) {
                serverError.compareAndSet(null, e);
            }
        }
        connections.clear();
    }
}
