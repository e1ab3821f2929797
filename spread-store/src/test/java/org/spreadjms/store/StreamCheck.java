package org.spreadjms.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.spreadjms.store.ListenerInbox.Received;

/**
 * What a durable subscription's consumers received, checked against what a producer sent: every message whose send
 * returned arrived; first copies arrived in send order; every further copy is marked JMSRedelivered; nothing else
 * arrived. Failed sends may or may not arrive (the message may have been stored before the failure), but by the same
 * rules. The counts go into the test's output line.
 */
final class StreamCheck {
    final int received;
    final int distinct;
    final int twice;
    final int redelivered;
    final int failedButReceived;

    /**
     * @param attempted every text sent, in send order
     * @param returned  the texts whose send returned
     * @param got       what the consumers received, in arrival order (several consumers one after the other)
     */
    StreamCheck(List<String> attempted, List<String> returned, List<Received> got) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < attempted.size(); i++) {
            index.put(attempted.get(i), i);
        }
        Set<String> returnedSet = new HashSet<>(returned);
        Map<String, Integer> copies = new HashMap<>();
        int dup = 0;
        int marked = 0;
        int failedGot = 0;
        int last = -1;
        for (Received r : got) {
            Integer i = index.get(r.text());
            assertTrue(i != null, "an unknown message: " + r);
            marked += r.redelivered() ? 1 : 0;
            if (copies.merge(r.text(), 1, Integer::sum) > 1) {
                dup++;
                assertTrue(r.redelivered(), "a second copy of " + r.text() + " not marked JMSRedelivered");
                continue;
            }
            assertTrue(i > last, "out of order: " + r.text() + " after " + attempted.get(Math.max(last, 0)));
            last = i;
            failedGot += returnedSet.contains(r.text()) ? 0 : 1;
        }
        List<String> missing = returned.stream().filter(t -> !copies.containsKey(t)).toList();
        assertEquals(List.of(), missing, "messages whose send returned were never received");
        this.received = got.size();
        this.distinct = copies.size();
        this.twice = dup;
        this.redelivered = marked;
        this.failedButReceived = failedGot;
    }

    /** {@code sent/returned/failed/received/distinct/redelivered/lost/twice} for the test's output line. */
    String counts(int sent, int returned, int failed) {
        return "sent " + sent + ", returned " + returned + ", failed " + failed + " (" + failedButReceived
                + " of them received), received " + received + " (" + distinct + " distinct), redelivered "
                + redelivered + ", lost 0, twice " + twice + " (all marked redelivered)";
    }

    /** Waits until no store member keeps a message of the subscription (all acknowledged and deleted). */
    static void awaitNothingKept(List<StoreMember> members, String group, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        for (StoreMember m : members) {
            List<String> kept;
            while (!(kept = StoreClient.contents(m.log(), group)).isEmpty()) {
                assertTrue(System.nanoTime() < deadline, m.privateGroup() + " still keeps " + kept.size() + ": "
                        + kept.subList(0, Math.min(10, kept.size())));
                m.log().barrier().get(max.toMillis(), TimeUnit.MILLISECONDS);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // deletes have no hook: poll, bounded
            }
        }
    }
}
