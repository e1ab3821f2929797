package org.spreadjms.jms.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.jms.JMSException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.MembershipMessage;
import org.spreadjms.jms.provider.FakeProvider;
import org.spreadjms.jms.provider.FakeSpread;
import org.spreadjms.jms.provider.ProviderListener;

/** ControlOutbox: queue control messages go out in order from the timer thread, retried until sent or closed. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ControlOutboxTest {
    private static final String GROUP = "q~outbox";
    /** Longer than the outbox's largest retry delay (2 s). */
    private static final long BEYOND_LONGEST_RETRY_MS = 2_200;

    private final FakeSpread bus = new FakeSpread();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private FakeProvider member;
    private ControlOutbox outbox;

    @BeforeEach
    void start() throws JMSException {
        member = bus.provider("m");
        member.startIgnoringEvents();
        outbox = new ControlOutbox(GROUP, member, timer);
    }

    @AfterEach
    void stop() {
        outbox.close();
        timer.shutdownNow();
        callers.shutdownNow();
        member.close();
    }

    private QueueControl ack(String id) {
        return new QueueControl(QueueControl.Kind.ACK, member.privateGroup(), List.of(id));
    }

    private List<String> sentIds() {
        return bus.sent().stream().map(s -> QueueControlCodec.decode(s.payload()).ids().get(0)).toList();
    }

    /** Occupies the (single) timer thread, so no drain runs until the returned latch is counted down. */
    private CountDownLatch pauseTimer() throws InterruptedException {
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        timer.execute(() -> {
            paused.countDown();
            try {
                resume.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(paused.await(5, TimeUnit.SECONDS));
        return resume;
    }

    @Test
    void controlsGoOutInPostedOrderAsAgreedMessagesToTheGroup() {
        for (int i = 0; i < 50; i++) {
            outbox.post(ack("ID:" + i));
        }
        assertTrue(outbox.flush(Duration.ofSeconds(5)));
        assertEquals(0, outbox.backlog());
        assertEquals(50, bus.sent().size());
        for (int i = 0; i < 50; i++) {
            FakeSpread.Sent s = bus.sent().get(i);
            assertEquals(List.of(GROUP), s.groups());
            assertEquals(org.spreadjms.client.ServiceType.AGREED, s.service());
            assertEquals(QueueControlCodec.MESS_TYPE, s.messType());
            assertEquals("ID:" + i, sentIds().get(i));
        }
    }

    @Test
    void failedSendsAreRetriedAndOrderIsKept() {
        bus.failSends(member.privateGroup(), 3);
        for (int i = 0; i < 5; i++) {
            outbox.post(ack("ID:" + i));
        }
        assertTrue(outbox.flush(Duration.ofSeconds(10)));
        assertEquals(List.of("ID:0", "ID:1", "ID:2", "ID:3", "ID:4"), sentIds());
        assertEquals(8, bus.attempts(member.privateGroup()));
    }

    @Test
    void flushReportsFalseWhileSendsFailAndTrueOnceTheyGoOut() {
        bus.failSends(member.privateGroup(), Integer.MAX_VALUE);
        outbox.post(ack("ID:1"));
        assertFalse(outbox.flush(Duration.ofMillis(150)));
        assertEquals(1, outbox.backlog(), "nothing is dropped while the member is in the group");
        bus.failSends(member.privateGroup(), 0);
        assertTrue(outbox.flush(Duration.ofSeconds(5)));
        assertEquals(List.of("ID:1"), sentIds());
    }

    @Test
    void closeStopsRetryingAFailingSend() throws Exception {
        String me = member.privateGroup();
        bus.failSends(me, Integer.MAX_VALUE);
        outbox.post(ack("ID:1"));
        bus.await(() -> bus.attempts(me) >= 2, "a retry", Duration.ofSeconds(5));
        CountDownLatch resume = pauseTimer(); // no drain runs now: the count cannot move under us
        int attempts = bus.attempts(me);
        outbox.close();
        resume.countDown();
        CountDownLatch later = new CountDownLatch(1);
        timer.schedule(later::countDown, BEYOND_LONGEST_RETRY_MS, TimeUnit.MILLISECONDS);
        assertTrue(later.await(10, TimeUnit.SECONDS));
        assertEquals(attempts, bus.attempts(me), "a closed outbox tried again");
        assertEquals(0, outbox.backlog());
        assertTrue(bus.sent().isEmpty());
    }

    @Test
    void closeReleasesAFlushWaitingForAFailingSend() throws Exception {
        bus.failSends(member.privateGroup(), Integer.MAX_VALUE);
        outbox.post(ack("ID:1"));
        Future<Boolean> flushed = callers.submit(() -> outbox.flush(Duration.ofSeconds(30)));
        bus.await(() -> bus.attempts(member.privateGroup()) >= 1, "an attempt", Duration.ofSeconds(5));
        outbox.close();
        assertFalse(flushed.get(5, TimeUnit.SECONDS));
    }

    @Test
    void postAfterCloseIsDropped() throws Exception {
        outbox.close();
        outbox.post(ack("ID:1"));
        assertEquals(0, outbox.backlog());
        timer.submit(() -> { }).get(5, TimeUnit.SECONDS); // a drain posted before this task would have run
        assertTrue(bus.sent().isEmpty());
        assertEquals(0, bus.attempts(member.privateGroup()));
    }

    @Test
    void aTimerThatRefusesWorkClosesTheOutboxInsteadOfThrowing() {
        timer.shutdownNow();
        outbox.post(ack("ID:1"));
        assertEquals(0, outbox.backlog());
        assertFalse(outbox.flush(Duration.ofSeconds(1)));
    }
}
