package org.spreadjms.cli;

import java.time.Duration;

import org.spreadjms.client.DataMessage;
import org.spreadjms.client.ReceivedMessage;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadAddress;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadOptions;

/**
 * Spread's flooder workload: one connection multicasts to a group it has joined and receives every message back,
 * with at most {@code window} messages in flight, from one thread (as Spread's own flooder does). Each payload
 * carries its send time, so the run also yields round-trip latencies (under full load).
 */
final class FloodScenario implements BenchScenario {
    private static final Duration STALL = Deadlines.STALL;

    private final SpreadAddress address;
    private final int size;
    private final int window;
    private final ServiceType service;
    private final String group = "flood" + Long.toHexString(System.nanoTime() & 0xFFFFFF);
    private SpreadConnection connection;

    FloodScenario(SpreadAddress address, int size, int window, ServiceType service) {
        this.address = address;
        this.size = Math.max(size, 8);
        this.window = window;
        this.service = service;
    }

    @Override
    public String describe() {
        return "one raw client multicasts " + service + " to its own group '" + group + "' and receives every message"
                + " back, " + window + " in flight";
    }

    @Override
    public void open() throws Exception {
        connection = SpreadConnection.connect(SpreadOptions.builder().daemon(address).build());
        connection.join(group, STALL);
    }

    @Override
    public BenchResult run(int count, ProgressBar progress, long deadlineNanos) throws Exception {
        long[] latencies = new long[count];
        byte[] payload = new byte[size];
        long start = System.nanoTime();
        int sent = 0;
        int received = 0;
        while (received < count) {
            while (sent < count && sent - received < window) {
                writeLong(payload, System.nanoTime());
                connection.multicast(service, group, (short) 0, payload);
                sent++;
            }
            ReceivedMessage m = connection.receive(STALL);
            if (m == null) {
                throw Deadlines.stalled("flood", received, count);
            }
            if (m instanceof DataMessage d && d.sender().equals(connection.privateGroup())) {
                latencies[received] = System.nanoTime() - readLong(d.data());
                received++;
                if ((received & 1023) == 0) {
                    Deadlines.check(deadlineNanos, "flood", received, count);
                    if (progress != null) {
                        progress.update(received);
                    }
                }
            }
        }
        long nanos = System.nanoTime() - start;
        if (progress != null) {
            progress.update(count);
        }
        return new BenchResult(count, (long) count * size, nanos, latencies);
    }

    private static void writeLong(byte[] b, long v) {
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (56 - 8 * i));
        }
    }

    private static long readLong(byte[] b) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.disconnect();
        }
    }
}
