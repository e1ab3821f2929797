package org.spreadjms.it;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Waits until a consumer started elsewhere (a Spring container, a Camel route) is subscribed. Spread has no broker
 * to hold a message for a consumer that is not there yet, so tests send a probe again and again until one comes
 * through, with a bounded number of tries and a deadline.
 */
final class Probe {
    private Probe() {
    }

    interface Send {
        void send(String probe) throws Exception;
    }

    /**
     * Sends {@code "probe-N"} with {@code send} until one of them shows up in {@code arrived}, then drains the rest.
     *
     * @throws AssertionError if none arrived within {@code timeout}
     */
    static void untilConsumed(Send send, BlockingQueue<String> arrived, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int n = 1; System.nanoTime() - deadline < 0; n++) {
            send.send("probe-" + n);
            String got = arrived.poll(200, TimeUnit.MILLISECONDS);
            if (got != null && got.contains("probe-")) {
                return;
            }
        }
        throw new AssertionError("no probe got through within " + timeout);
    }

    static boolean isProbe(String body) {
        return body != null && body.contains("probe-");
    }
}
