package org.spreadjms.bench;

import java.time.Duration;

import org.spreadjms.client.DataMessage;
import org.spreadjms.client.ReceivedMessage;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadException;
import org.spreadjms.client.SpreadListener;
import org.spreadjms.client.SpreadOptions;

/**
 * The baseline: the same workloads with the plain Spread client, FIFO service, no JMS. The consumer and the responder
 * use a {@link SpreadListener} (the counterpart of a MessageListener); the requester uses {@code receive}.
 */
final class RawSpreadWorkloads {
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);

    private final SpreadOptions daemon;
    private final BenchOptions options;

    RawSpreadWorkloads(SpreadOptions daemon, BenchOptions options) {
        this.daemon = daemon;
        this.options = options;
    }

    private SpreadConnection connect() throws SpreadException {
        return SpreadConnection.connect(daemon);
    }

    /** One connection multicasts to a group, another (joined to it) receives. */
    Throughput topic(String group, Deadline deadline) throws Exception {
        FlowWindow window = new FlowWindow(options.window());
        int size = options.sizeBytes();
        try (SpreadConnection consumer = connect(); SpreadConnection producer = connect()) {
            consumer.addListener(new SpreadListener() {
                @Override
                public void onMessage(DataMessage m) {
                    if (m.data().length != size) {
                        window.fail(new IllegalStateException("got " + m.data().length + " bytes, expected " + size));
                        return;
                    }
                    window.consumed();
                }

                @Override
                public void onConnectionLost(SpreadException cause) {
                    window.fail(cause);
                }

                @Override
                public void onError(Throwable error) {
                    window.fail(error);
                }
            });
            consumer.join(group, JOIN_TIMEOUT);
            byte[] payload = new byte[size];
            long sent = pump(producer, group, payload, window, 0, options.warmup(), deadline);
            Throughput.Stopwatch watch = Throughput.start();
            pump(producer, group, payload, window, sent, options.messages(), deadline);
            return watch.stop(options.messages());
        }
    }

    private static long pump(SpreadConnection producer, String group, byte[] payload, FlowWindow window,
            long sentBefore, int count, Deadline deadline) throws Exception {
        long sent = sentBefore;
        for (int i = 0; i < count; i++) {
            window.beforeSend(sent, deadline);
            if ((i & 1023) == 0) {
                deadline.check("the producer to send " + count + " messages (" + i + " sent)");
            }
            producer.multicast(ServiceType.FIFO, group, (short) 0, payload);
            sent++;
        }
        window.awaitConsumed(sent, deadline);
        return sent;
    }

    /** The requester multicasts to the responder's private group, which echoes to the sender's private group. */
    Latencies requestReply(Deadline deadline) throws Exception {
        FlowWindow failures = new FlowWindow(0);
        try (SpreadConnection responder = connect(); SpreadConnection requester = connect()) {
            responder.addListener(new SpreadListener() {
                @Override
                public void onMessage(DataMessage m) {
                    try {
                        responder.multicast(ServiceType.FIFO, m.sender(), m.messType(), m.data());
                    } catch (SpreadException e) {
                        failures.fail(e);
                    }
                }

                @Override
                public void onConnectionLost(SpreadException cause) {
                    failures.fail(cause);
                }
            });
            String service = responder.privateGroup();
            byte[] payload = new byte[options.sizeBytes()];
            long[] rtt = new long[options.roundTrips()];
            for (int i = -options.rrWarmup(); i < rtt.length; i++) {
                short tag = (short) i;
                long t0 = System.nanoTime();
                requester.multicast(ServiceType.FIFO, service, tag, payload);
                awaitReply(requester, service, tag, failures, deadline);
                long t = System.nanoTime() - t0;
                if (i >= 0) {
                    rtt[i] = t;
                }
            }
            return new Latencies(rtt);
        }
    }

    private static void awaitReply(SpreadConnection requester, String service, short tag, FlowWindow failures,
            Deadline deadline) throws Exception {
        while (true) {
            failures.checkFailure();
            ReceivedMessage m = requester.receive(Duration.ofMillis(Math.min(1000, deadline.remainingMillis())));
            if (m instanceof DataMessage d && d.sender().equals(service) && d.messType() == tag) {
                return;
            }
            deadline.check("the reply to round trip " + tag);
        }
    }
}
