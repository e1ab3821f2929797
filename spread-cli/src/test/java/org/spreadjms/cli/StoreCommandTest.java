package org.spreadjms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.ReceivedMessage;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadOptions;
import org.spreadjms.daemon.EmbeddedSpreadSegment;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;
import org.spreadjms.jms.store.PersistentMessages;
import org.spreadjms.jms.store.StoreControlCodec;
import org.spreadjms.jms.store.StoreFrame;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StoreCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    @TempDir
    Path dir;

    @Test
    void storesAMessageAcknowledgesItAndReportsOnStop() throws Exception {
        CliRun store = CliRun.start("store", "--url", "spread://127.0.0.1:" + daemon.port(), "--data",
                dir.toString(), "--group", "cliorders", "--control", "$store.cli", "--fsync", "always",
                "--timeout", "4");
        assertTrue(store.out.await("serving: 1 store member(s)", WAIT), () -> store.out + " / " + store.err);
        try (SpreadConnection p = SpreadConnection.connect(SpreadOptions.builder().daemon("127.0.0.1",
                daemon.port()).build())) {
            p.multicast(ServiceType.SAFE, "cliorders", PersistentMessages.KEYED,
                    PersistentMessages.keyed("o-1", "hello".getBytes(StandardCharsets.UTF_8)));
            ReceivedMessage r = p.receive(WAIT);
            assertTrue(r instanceof DataMessage d && d.messType() == StoreControlCodec.MESS_TYPE, "STORED: " + r);
            StoreFrame.Stored s = (StoreFrame.Stored) StoreControlCodec.decode(((DataMessage) r).data());
            assertEquals(new StoreFrame.Ref("cliorders", "o-1"), s.refs().get(0));
        }
        assertEquals(0, store.future.get(20, TimeUnit.SECONDS), store.err::toString);
        assertTrue(store.out.toString().contains("stopping: applied index 1, last sequences {cliorders=1}"),
                store.out::toString);
    }

    /** The first daemon of the list refuses connections: the member starts on the next one and serves. */
    @Test
    void aFailoverListStartsTheMemberOnTheFirstDaemonThatTakesIt() throws Exception {
        int down;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            down = s.getLocalPort(); // closed again: nothing listens there
        }
        CliRun store = CliRun.start("store", "--url", "spread:failover:(spread://127.0.0.1:" + down
                + ",spread://127.0.0.1:" + daemon.port() + ")?failover.initialReconnectDelay=20", "--data",
                dir.toString(), "--group", "clifail", "--control", "$store.clf", "--timeout", "3");
        assertTrue(store.out.await("serving: 1 store member(s)", WAIT), () -> store.out + " / " + store.err);
        assertEquals(0, store.future.get(20, TimeUnit.SECONDS), store.err::toString);
        assertTrue(store.out.toString().contains("starting on [" + down + "@127.0.0.1, " + daemon.port()
                + "@127.0.0.1]"), store.out::toString);
        assertTrue(store.out.toString().contains("stopping: applied index 0"), store.out::toString);
    }

    /** The member's daemon crashes: the command starts it again on the next daemon of the list, where it serves. */
    @Test
    void theMemberComesBackOnTheNextDaemonWhenItsDaemonCrashes() throws Exception {
        try (EmbeddedSpreadSegment segment = EmbeddedSpreadSegment.start("d1", "d2")) {
            CliRun store = CliRun.start("store", "--url", "spread:failover:(spread://127.0.0.1:" + segment.port("d1")
                    + ",spread://127.0.0.1:" + segment.port("d2") + ")?failover.initialReconnectDelay=20", "--data",
                    dir.toString(), "--group", "clicrash", "--control", "$store.clc", "--name", "cc", "--timeout",
                    "8");
            assertTrue(store.out.await("serving: 1 store member(s)", WAIT), () -> store.out + " / " + store.err);
            segment.crash("d1");
            assertTrue(store.out.await("serving again on " + segment.port("d2") + "@127.0.0.1: 1 store member(s)",
                    WAIT), () -> store.out + " / " + store.err);
            assertTrue(store.out.toString().contains("lost the daemon (the connection to the daemon was lost"),
                    store.out::toString);
            try (SpreadConnection p = SpreadConnection.connect(SpreadOptions.builder().daemon("127.0.0.1",
                    segment.port("d2")).build())) {
                p.multicast(ServiceType.SAFE, "clicrash", PersistentMessages.KEYED,
                        PersistentMessages.keyed("c-1", "after".getBytes(StandardCharsets.UTF_8)));
                ReceivedMessage r = p.receive(WAIT);
                assertTrue(r instanceof DataMessage d && d.messType() == StoreControlCodec.MESS_TYPE, "STORED: " + r);
                StoreFrame.Stored s = (StoreFrame.Stored) StoreControlCodec.decode(((DataMessage) r).data());
                assertEquals(new StoreFrame.Ref("clicrash", "c-1"), s.refs().get(0));
                assertTrue(((DataMessage) r).sender().startsWith("#$stcc#"), ((DataMessage) r).sender());
            }
            assertEquals(0, store.future.get(20, TimeUnit.SECONDS), store.err::toString);
            assertTrue(store.out.toString().contains("stopping: applied index 1, last sequences {clicrash=1}"),
                    store.out::toString);
        }
    }

    @Test
    void aFailoverOptionAStoreMemberDoesNotTakeIsBadUsage() {
        CliRun r = CliRun.run("store", "--data", dir.toString(), "--url",
                "spread:failover:(spread://127.0.0.1:1,spread://127.0.0.1:2)?storeAcks=1");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.toString().contains("do not apply to a store member"), r.err::toString);
    }

    @Test
    void aBadFsyncPolicyIsBadUsage() {
        CliRun r = CliRun.run("store", "--data", dir.toString(), "--group", "g", "--fsync", "sometimes");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.toString().contains("fsync policy 'sometimes' is not one of"), r.err::toString);
    }

    @Test
    void aDataDirectoryIsRequired() {
        // --group is optional (durable subscriptions are created at run time); --data is not
        CliRun r = CliRun.run("store", "--group", "g");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.toString().contains("--data"), r.err::toString);
    }
}
