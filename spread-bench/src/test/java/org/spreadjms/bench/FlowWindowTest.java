package org.spreadjms.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FlowWindowTest {
    @Test
    void fullWindowHoldsTheProducerUntilHalfAWindowIsConsumed() throws Exception {
        FlowWindow w = new FlowWindow(4);
        Deadline d = Deadline.in(Duration.ofSeconds(5));
        for (int sent = 0; sent < 4; sent++) {
            w.beforeSend(sent, d);
        }
        AtomicLong consumedWhenReleased = new AtomicLong(-1);
        CountDownLatch released = new CountDownLatch(1);
        Thread producer = new Thread(() -> {
            try {
                w.beforeSend(4, d);
                consumedWhenReleased.set(w.consumedCount());
                released.countDown();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        producer.start();
        w.consumed();
        assertEquals(1, released.getCount(), "released after 1 of 4 consumed");
        w.consumed();
        assertTrue(released.await(5, TimeUnit.SECONDS));
        assertEquals(2, consumedWhenReleased.get());
        producer.join(5000);
    }

    @Test
    void waitingEndsWithTheDeadlineOrAConsumerFailure() {
        FlowWindow w = new FlowWindow(2);
        Deadline.BenchTimeoutException timeout = assertThrows(Deadline.BenchTimeoutException.class,
                () -> w.awaitConsumed(1, Deadline.in(Duration.ofMillis(50))));
        assertTrue(timeout.getMessage().contains("1 messages consumed (0 so far)"), timeout.getMessage());
        w.fail(new IllegalStateException("consumer lost"));
        IllegalStateException failed = assertThrows(IllegalStateException.class,
                () -> w.awaitConsumed(1, Deadline.in(Duration.ofSeconds(5))));
        assertTrue(failed.getMessage().contains("consumer lost"), failed.getMessage());
    }
}
