package org.spreadjms.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.spreadjms.client.SpreadConstants.AGREED_MESS;
import static org.spreadjms.client.SpreadConstants.CAUSED_BY_DISCONNECT;
import static org.spreadjms.client.SpreadConstants.CAUSED_BY_JOIN;
import static org.spreadjms.client.SpreadConstants.REG_MEMB_MESS;
import static org.spreadjms.client.SpreadConstants.RELIABLE_MESS;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.client.wire.RawFrame;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

/** Total order, virtual synchrony at a join, the slow-client cut-off, and many connections. */
@Timeout(60)
class OrderingAndLoadTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    private ExecutorService pool;

    @BeforeEach
    void startPool() {
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }

    private static String text(RawFrame f) {
        return new String(f.copyData(), StandardCharsets.ISO_8859_1);
    }

    /** Reads data payloads until {@code count} of them arrived. */
    private Future<List<String>> collect(RawSpreadClient c, int count) {
        return pool.submit(() -> {
            List<String> got = new ArrayList<>(count);
            while (got.size() < count) {
                RawFrame f = c.readFrame();
                if (f.isRegular()) {
                    got.add(text(f));
                }
            }
            return got;
        });
    }

    @Test
    void twoReceiversSeeConcurrentSendersInOneOrder() throws Exception {
        int perSender = 2000;
        try (RawSpreadClient r1 = RawSpreadClient.connect(daemon.port(), "tor1", true);
             RawSpreadClient r2 = RawSpreadClient.connect(daemon.port(), "tor2", true);
             RawSpreadClient s1 = RawSpreadClient.connect(daemon.port(), "tos1", false);
             RawSpreadClient s2 = RawSpreadClient.connect(daemon.port(), "tos2", false)) {
            r1.joinAndAwait("total");
            r2.joinAndAwait("total");
            r1.readFrame(); // r2's join
            Future<List<String>> seen1 = collect(r1, 2 * perSender);
            Future<List<String>> seen2 = collect(r2, 2 * perSender);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> senders = new ArrayList<>();
            for (RawSpreadClient s : List.of(s1, s2)) {
                senders.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perSender; i++) {
                        s.multicast(AGREED_MESS, 0, s.privateGroup() + " " + i, "total");
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : senders) {
                f.get(30, TimeUnit.SECONDS);
            }
            List<String> a = seen1.get(30, TimeUnit.SECONDS);
            List<String> b = seen2.get(30, TimeUnit.SECONDS);
            assertEquals(a, b, "both receivers see the same sequence");
            for (RawSpreadClient s : List.of(s1, s2)) {
                int next = 0;
                for (String m : a) {
                    if (m.startsWith(s.privateGroup() + " ")) {
                        assertEquals(s.privateGroup() + " " + next++, m, "FIFO per sender");
                    }
                }
                assertEquals(perSender, next);
            }
        }
    }

    @Test
    void joinerSeesExactlyTheMessagesAfterItsJoin() throws Exception {
        try (RawSpreadClient old = RawSpreadClient.connect(daemon.port(), "vsold", true);
             RawSpreadClient sender = RawSpreadClient.connect(daemon.port(), "vssend", false);
             RawSpreadClient joiner = RawSpreadClient.connect(daemon.port(), "vsjoin", true)) {
            old.joinAndAwait("vsync");
            CountDownLatch hundredSeen = new CountDownLatch(1);
            CountDownLatch joinerIn = new CountDownLatch(1);
            Future<List<String>> oldView = pool.submit(() -> {
                List<String> events = new ArrayList<>();
                while (true) {
                    RawFrame f = old.readFrame();
                    if (f.isMembership()) {
                        events.add("JOIN " + RawSpreadClient.changedMember(f));
                        continue;
                    }
                    events.add(text(f));
                    if (text(f).equals("100")) {
                        hundredSeen.countDown();
                    }
                    if (text(f).equals("end")) {
                        return events;
                    }
                }
            });
            Future<?> stream = pool.submit(() -> {
                for (int i = 0; i < 400; i++) {
                    sender.multicast(AGREED_MESS, 0, Integer.toString(i), "vsync");
                }
                // the rest only after the join is surely ordered, so that "end" comes after it
                joinerIn.await();
                for (int i = 400; i < 500; i++) {
                    sender.multicast(AGREED_MESS, 0, Integer.toString(i), "vsync");
                }
                sender.multicast(AGREED_MESS, 0, "end", "vsync");
                return null;
            });
            assertTrue(hundredSeen.await(20, TimeUnit.SECONDS));
            joiner.join("vsync");
            List<String> joinerEvents = new ArrayList<>();
            while (true) {
                RawFrame f = joiner.readFrame();
                if (f.isMembership()) {
                    assertEquals(REG_MEMB_MESS | CAUSED_BY_JOIN, f.type());
                    assertTrue(joinerEvents.isEmpty(), "the join notice comes first");
                    joinerEvents.add("JOIN " + RawSpreadClient.changedMember(f));
                    joinerIn.countDown();
                    continue;
                }
                joinerEvents.add(text(f));
                if (text(f).equals("end")) {
                    break;
                }
            }
            stream.get(20, TimeUnit.SECONDS);
            List<String> oldEvents = oldView.get(20, TimeUnit.SECONDS);
            int join = oldEvents.indexOf("JOIN #vsjoin#localhost");
            assertTrue(join > 100, "joined after message 100: " + join);
            assertEquals(oldEvents.subList(join, oldEvents.size()), joinerEvents);
            for (int i = 0; i < 500; i++) {
                assertEquals(Integer.toString(i), oldEvents.get(i < join ? i : i + 1));
            }
        }
    }

    @Test
    void cutsOffAClientThatStopsReadingAfterTheCongestionTimeoutWhileOthersLoseNothing() throws Exception {
        try (EmbeddedSpreadDaemon d = EmbeddedSpreadDaemon.builder().maxQueuedMessages(64)
                .congestionTimeout(java.time.Duration.ofMillis(300)).start();
             RawSpreadClient slow = RawSpreadClient.openWithReceiveBuffer(d.port(), 4096);
             RawSpreadClient watcher = RawSpreadClient.connect(d.port(), "watcher", true);
             RawSpreadClient sender = RawSpreadClient.connect(d.port(), "sender", false)) {
            slow.handshake("slow", false);
            watcher.joinAndAwait("flood");
            slow.join("flood");
            watcher.readFrame(); // slow's join
            byte[] payload = new byte[4096];
            Semaphore window = new Semaphore(32);
            AtomicBoolean stop = new AtomicBoolean();
            int maxMessages = 50_000;
            Future<Integer> sent = pool.submit(() -> {
                int i = 0;
                while (!stop.get() && i < maxMessages) {
                    window.acquire();
                    byte[] seq = Integer.toString(i).getBytes(StandardCharsets.ISO_8859_1);
                    System.arraycopy(seq, 0, payload, 0, seq.length);
                    payload[seq.length] = 0;
                    sender.write(sender.frame(RELIABLE_MESS, 0, payload, "flood"));
                    i++;
                }
                sender.multicast(RELIABLE_MESS, 0, "end", "flood");
                return i;
            });
            int received = 0;
            boolean cutOff = false;
            while (true) {
                RawFrame f = watcher.readFrame();
                if (f.isMembership()) {
                    assertEquals(REG_MEMB_MESS | CAUSED_BY_DISCONNECT, f.type());
                    assertEquals("#slow#localhost", RawSpreadClient.changedMember(f));
                    cutOff = true;
                    stop.set(true);
                    continue;
                }
                String s = text(f);
                if (s.equals("end")) {
                    break;
                }
                assertEquals(Integer.toString(received), s.substring(0, s.indexOf('\0')), "no message lost");
                received++;
                window.release();
            }
            if (!cutOff) {
                fail("the slow client was never cut off");
            }
            assertEquals(sent.get(10, TimeUnit.SECONDS), received);
            assertEquals(1, d.counters().slowClientDrops());
            slow.readToEnd();
        }
    }

    @Test
    void backPressureSlowsAFastSenderInsteadOfCuttingOffASlowReader() throws Exception {
        int count = 3000;
        try (EmbeddedSpreadDaemon d = EmbeddedSpreadDaemon.builder().maxQueuedMessages(64).start();
             RawSpreadClient reader = RawSpreadClient.connect(d.port(), "reader", true);
             RawSpreadClient sender = RawSpreadClient.connect(d.port(), "sender", false)) {
            reader.joinAndAwait("bp");
            byte[] payload = new byte[4096];
            Future<Integer> sent = pool.submit(() -> {
                for (int i = 0; i < count; i++) {
                    sender.write(sender.frame(RELIABLE_MESS, 0, payload, "bp"));
                }
                return count;
            });
            for (int i = 0; i < count; i++) {
                assertEquals(4096, reader.readFrame().dataLength(), "message " + i);
                // a reader slower than the sender: about 0.1 ms of work per message
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
            assertEquals(count, sent.get(10, TimeUnit.SECONDS));
            assertEquals(0, d.counters().slowClientDrops(), "the slow reader must not be cut off");
        }
    }

    @Test
    void survivesThousandsOfConnectDisconnectCycles() throws IOException {
        for (int i = 0; i < 3000; i++) {
            RawSpreadClient c = RawSpreadClient.connect(daemon.port(), "cyc" + i, i % 3 == 0);
            if (i % 2 == 0) {
                c.kill();
                c.readToEnd();
            }
            c.close();
        }
        try (RawSpreadClient a = RawSpreadClient.connect(daemon.port(), "cycA", true)) {
            a.joinAndAwait("cycles");
            a.multicast(AGREED_MESS, 0, "still serving", "cycles");
            assertEquals("still serving", text(a.readFrame()));
        }
        // every client of this class is closed by now
        Await.until("all sessions are gone", () -> daemon.daemon().counters().sessions() == 0);
    }
}
