package org.spreadjms.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.ReceivedMessage;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;
import org.spreadjms.jms.store.StoreControlCodec;
import org.spreadjms.jms.store.StoreFrame;
import org.spreadjms.store.log.FsyncPolicy;
import org.spreadjms.store.log.MessageLog;

/**
 * The only store member, in its own JVM, killed with SIGKILL in the middle of a flow: every message it had
 * acknowledged as stored is in its log afterwards, and a member restarted on that log serves all of them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StoreCrashTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    @TempDir
    Path dir;

    @Test
    void killingTheOnlyStoreMemberLosesNothingItAcknowledged() throws Exception {
        String control = "$store.crash";
        String queue = "crashq";
        Path data = dir.resolve("member");
        int total = 5000;
        Process child = new ProcessBuilder(new File(System.getProperty("java.home"), "bin/java").getPath(), "-cp",
                System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                StoreMemberProcess.class.getName(), daemon.port() + "@127.0.0.1", "crash", data.toString(),
                control, queue).redirectErrorStream(true).start();
        Set<String> acknowledged = new HashSet<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8)); StoreClient p = new StoreClient(daemon.port(), "pcrash")) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("serving")) {
                assertTrue(child.isAlive(), "child died: " + line);
            }
            assertEquals("serving", line, "the child member never served");
            // as PERSISTENT producers do: at most 200 messages waiting for their acknowledgement
            int sent = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // kill once about a third is acknowledged, while appends are still in flight
            while (acknowledged.size() < total / 3) {
                assertTrue(System.nanoTime() < deadline, "only " + acknowledged.size() + " acknowledged");
                while (sent < total && sent - acknowledged.size() < 200) {
                    p.send(queue, "m" + sent++);
                }
                ReceivedMessage r = p.connection.receive(java.time.Duration.ofSeconds(5));
                if (r instanceof DataMessage d && d.messType() == StoreControlCodec.MESS_TYPE) {
                    ((StoreFrame.Stored) StoreControlCodec.decode(d.data())).refs()
                            .forEach(ref -> acknowledged.add(ref.id()));
                }
            }
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not die");
            // acknowledgements already on their way count too: take what arrives until the stream is quiet
            ReceivedMessage r;
            while ((r = p.connection.receive(java.time.Duration.ofMillis(500))) != null) {
                if (r instanceof DataMessage d && d.messType() == StoreControlCodec.MESS_TYPE) {
                    ((StoreFrame.Stored) StoreControlCodec.decode(d.data())).refs()
                            .forEach(ref -> acknowledged.add(ref.id()));
                }
            }
        }
        Set<String> stored = new HashSet<>();
        try (MessageLog log = MessageLog.open(data, FsyncPolicy.always())) {
            StoreClient.contents(log, queue).forEach(s -> stored.add(s.substring(s.indexOf('/') + 1)));
        }
        Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(stored);
        assertEquals(Set.of(), lost, "acknowledged but not in the log after SIGKILL");
        assertTrue(stored.size() < total, "the kill happened mid-flow (" + stored.size() + " of " + total
                + " stored)");
        System.out.printf("SIGKILL of the only store member: %d acknowledged, %d in the log, 0 lost%n",
                acknowledged.size(), stored.size());

        // a member restarted on the same data serves everything it had acknowledged
        StoreMemberOptions o = new StoreMemberOptions(daemon.port() + "@127.0.0.1", "crash", data,
                FsyncPolicy.defaultPolicy(), List.of(queue), control, 1, StoreClient.WAIT, 64L << 20);
        try (StoreMember m = StoreMember.start(o)) {
            m.awaitServing(StoreClient.WAIT);
            Set<String> served = new HashSet<>();
            StoreClient.contents(m.log(), queue).forEach(s -> served.add(s.substring(s.indexOf('/') + 1)));
            assertTrue(served.containsAll(acknowledged));
        }
    }

    @Test
    void killingOneOfTwoStoreMembersLosesNothingAndItCatchesUpOnRestart() throws Exception {
        String control = "$store.crash2";
        String queue = "crashq2";
        Path dataA = dir.resolve("a");
        Path dataB = dir.resolve("b");
        int total = 4000;
        StoreMemberOptions optionsA = new StoreMemberOptions(daemon.port() + "@127.0.0.1", "ca", dataA,
                FsyncPolicy.defaultPolicy(), List.of(queue), control, 1, StoreClient.WAIT, 64L << 20);
        try (StoreMember a = StoreMember.start(optionsA); StoreClient p = new StoreClient(daemon.port(), "pcrash2")) {
            a.awaitServing(StoreClient.WAIT);
            Process child = new ProcessBuilder(new File(System.getProperty("java.home"), "bin/java").getPath(), "-cp",
                    System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    StoreMemberProcess.class.getName(), daemon.port() + "@127.0.0.1", "cb", dataB.toString(),
                    control, queue).redirectErrorStream(true).start();
            String b;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null && !line.equals("serving")) {
                    assertTrue(child.isAlive(), "child died: " + line);
                }
                assertEquals("serving", line, "the child member never served");
                b = "#$stcb#" + a.privateGroup().substring(a.privateGroup().lastIndexOf('#') + 1);
                // send with a window of 200 on A's acknowledgements; kill B once it acknowledged a third
                int sent = 0;
                boolean killed = false;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (p.stored.getOrDefault(a.privateGroup(), Set.of()).size() < total) {
                    assertTrue(System.nanoTime() < deadline, "A acknowledged only "
                            + p.stored.getOrDefault(a.privateGroup(), Set.of()).size());
                    while (sent < total && sent - p.stored.getOrDefault(a.privateGroup(), Set.of()).size() < 200) {
                        p.send(queue, "m" + sent++);
                    }
                    if (!killed && p.stored.getOrDefault(b, Set.of()).size() >= total / 3) {
                        child.destroyForcibly();
                        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not die");
                        killed = true;
                    }
                    // until B is killed, wait for both: A (in this JVM) could otherwise finish before the child
                    // JVM's B has acknowledged a third, and B would never be killed mid-flow
                    p.awaitStored(killed ? List.of(a.privateGroup()) : List.of(a.privateGroup(), b),
                            Set.of("m" + (sent - 1)), StoreClient.WAIT);
                }
                assertTrue(killed, "B was killed mid-flow");
            }
            Set<String> ackedByB = Set.copyOf(p.stored.get(b));
            Set<String> inA = new HashSet<>();
            StoreClient.contents(a.log(), queue).forEach(s -> inA.add(s.substring(s.indexOf('/') + 1)));
            assertEquals(StoreClient.ids("m", 0, total), inA, "the survivor has every message");
            Set<String> inB = new HashSet<>();
            try (MessageLog log = MessageLog.open(dataB, FsyncPolicy.always())) {
                StoreClient.contents(log, queue).forEach(s -> inB.add(s.substring(s.indexOf('/') + 1)));
            }
            Set<String> lost = new HashSet<>(ackedByB);
            lost.removeAll(inB);
            assertEquals(Set.of(), lost, "acknowledged by the killed member but not in its log");
            assertTrue(inB.size() < total, "B was killed before the end (" + inB.size() + " of " + total + ")");

            // B restarts on its data and catches up from A
            StoreMemberOptions optionsB = new StoreMemberOptions(daemon.port() + "@127.0.0.1", "cb", dataB,
                    FsyncPolicy.defaultPolicy(), List.of(queue), control, 1, StoreClient.WAIT, 64L << 20);
            try (StoreMember rb = StoreMember.start(optionsB)) {
                rb.awaitServing(StoreClient.WAIT);
                assertEquals(StoreClient.contents(a.log(), queue), StoreClient.contents(rb.log(), queue));
            }
            System.out.printf("SIGKILL of one of two store members: %d sent, all %d on the survivor, the killed one"
                    + " acknowledged %d and had %d, 0 lost; caught up on restart%n", total, inA.size(),
                    ackedByB.size(), inB.size());
        }
    }
}
