package org.spreadjms.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.ReceivedMessage;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadException;
import org.spreadjms.client.SpreadOptions;

/** The ACL: joins, sends and private names allowed and refused; refusals leave sessions and others alone; reload. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AccessControlTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private Path users;
    private Path acl;

    @BeforeEach
    void files() throws Exception {
        users = dir.resolve("users");
        UserFile.write(users, "alice", "alice-pw", Set.of("orders"), UserFile.DEFAULT_ITERATIONS);
        UserFile.write(users, "mallory", "mallory-pw", Set.of(), UserFile.DEFAULT_ITERATIONS);
        acl = dir.resolve("acl");
        writeAcl("""
                # alice reads and writes orders, owns queue orders; mallory has her own corner
                role:orders   all     orders.>  queue:orders
                user:alice    name    alice*
                user:mallory  all     mallory.>  queue:mallory.>
                user:mallory  name    mallory*
                *             read    public.>
                """);
    }

    private void writeAcl(String text) throws Exception {
        Path tmp = dir.resolve("acl.tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, acl, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private EmbeddedSpreadDaemon daemon() throws Exception {
        return EmbeddedSpreadDaemon.builder().users(users).acl(acl).authFailureDelay(Duration.ZERO)
                .securityPollInterval(Duration.ofMillis(50)).start();
    }

    private static SpreadConnection connect(EmbeddedSpreadDaemon d, String name, String user) throws Exception {
        return SpreadConnection.connect(SpreadOptions.builder().daemon("127.0.0.1", d.port()).privateName(name)
                .credentials(user, user + "-pw").build());
    }

    @Test
    void joinIsAllowedOrRefusedAndTheSessionSurvives() throws Exception {
        try (EmbeddedSpreadDaemon d = daemon(); SpreadConnection alice = connect(d, "alice", "alice");
             SpreadConnection mallory = connect(d, "mallory", "mallory")) {
            assertTrue(alice.accessControlled());
            alice.join("orders.eu", WAIT);
            SpreadException.AccessRefusedException e = assertThrows(SpreadException.AccessRefusedException.class,
                    () -> mallory.join("orders.eu", WAIT));
            assertEquals(List.of("orders.eu"), e.groups());
            assertTrue(e.getMessage().contains("orders.eu"), e.getMessage());
            // mallory's session is fine, and alice never saw her
            mallory.join("mallory.x", WAIT);
            mallory.join("public.news", WAIT);
            assertEquals(List.of(alice.privateGroup()), alice.groupView("orders.eu").members());
            assertEquals(1, d.counters().accessRefusals());
        }
    }

    @Test
    void aRefusedSendReachesNobodyAndIsReportedToTheSender() throws Exception {
        try (EmbeddedSpreadDaemon d = daemon(); SpreadConnection alice = connect(d, "alice", "alice");
             SpreadConnection mallory = connect(d, "mallory", "mallory")) {
            alice.join("orders.eu", WAIT);
            long mark = mallory.refusalMark();
            mallory.multicast(ServiceType.AGREED, "orders.eu", (short) 1, "forged".getBytes());
            SpreadException.AccessRefusedException e = assertThrows(SpreadException.AccessRefusedException.class,
                    () -> mallory.checkAccepted(mark, List.of("orders.eu"), WAIT));
            assertEquals(List.of("orders.eu"), e.groups());
            // the reject is also handed to the application, as Spread's SP_receive does
            DataMessage rejected = receiveData(mallory);
            assertTrue(rejected.rejected());
            assertEquals("forged", new String(rejected.data()));
            // an allowed send passes the check and arrives; the forged one never did
            mallory.multicast(ServiceType.AGREED, "mallory.x", (short) 1, "ok".getBytes());
            mallory.checkAccepted(List.of("mallory.x"), WAIT);
            alice.multicast(ServiceType.AGREED, "orders.eu", (short) 1, "real".getBytes());
            assertEquals("real", new String(receiveData(alice).data()));
        }
    }

    @Test
    void privateNamesFollowTheNameRules() throws Exception {
        try (EmbeddedSpreadDaemon d = daemon()) {
            connect(d, "alice2", "alice").disconnect();
            SpreadException e = assertThrows(SpreadException.AuthenticationException.class,
                    () -> connect(d, "alice", "mallory"));
            assertEquals(-9, e.code());
            // a name the daemon invents is always allowed
            SpreadConnection invented = connect(d, "", "mallory");
            assertTrue(invented.privateName().startsWith("r"), invented.privateName());
            invented.disconnect();
        }
    }

    /** The hostile client may not join another user's queue group, send into it, or take its owner's name. */
    @Test
    void aHostileClientCannotReadAnotherUsersQueue() throws Exception {
        try (EmbeddedSpreadDaemon d = daemon(); SpreadConnection alice = connect(d, "alice", "alice");
             SpreadConnection mallory = connect(d, "mallory", "mallory")) {
            alice.join("q~orders", WAIT);
            assertThrows(SpreadException.AccessRefusedException.class, () -> mallory.join("q~orders", WAIT));
            // queue control messages (acknowledgements) are a member's right only
            long mark = mallory.refusalMark();
            mallory.multicast(ServiceType.AGREED, "q~orders", AccessControlList.QUEUE_CONTROL_MESS_TYPE, new byte[1]);
            assertThrows(SpreadException.AccessRefusedException.class,
                    () -> mallory.checkAccepted(mark, List.of("q~orders"), WAIT));
            alice.multicast(ServiceType.AGREED, "q~orders", AccessControlList.QUEUE_CONTROL_MESS_TYPE, new byte[1]);
            alice.checkAccepted(List.of("q~orders"), WAIT);
            assertThrows(SpreadException.AuthenticationException.class, () -> connect(d, "alice9", "mallory"));
        }
    }

    @Test
    void anonymousSessionsGetTheAnonymousRules() throws Exception {
        try (EmbeddedSpreadDaemon d = EmbeddedSpreadDaemon.builder().users(users).acl(acl).allowAnonymous(true)
                .start()) {
            writeAcl("anonymous read public.>\nanonymous name >\n");
            d.reloadSecurity();
            SpreadConnection anon = SpreadConnection.connect(SpreadOptions.builder().daemon("127.0.0.1", d.port())
                    .privateName("anon").build());
            anon.join("public.news", WAIT);
            assertThrows(SpreadException.AccessRefusedException.class, () -> anon.join("orders.eu", WAIT));
            anon.disconnect();
        }
    }

    @Test
    void aChangedAclFileIsPickedUpWithoutRestart() throws Exception {
        try (EmbeddedSpreadDaemon d = daemon(); SpreadConnection mallory = connect(d, "mallory", "mallory")) {
            assertThrows(SpreadException.AccessRefusedException.class, () -> mallory.join("orders.eu", WAIT));
            long mark = mallory.refusalMark();
            mallory.multicast(ServiceType.AGREED, "orders.eu", (short) 0, new byte[1]);
            assertThrows(SpreadException.AccessRefusedException.class,
                    () -> mallory.checkAccepted(mark, List.of("orders.eu"), WAIT));
            long before = d.securityGeneration();
            writeAcl("user:mallory all orders.>\n");
            Await.until("the daemon reloads the changed ACL", () -> d.securityGeneration() > before);
            mallory.join("orders.eu", WAIT);
            // the daemon's cached write decision went with the old ACL
            long mark2 = mallory.refusalMark();
            mallory.multicast(ServiceType.AGREED, "orders.eu", (short) 0, new byte[1]);
            mallory.checkAccepted(mark2, List.of("orders.eu"), WAIT);
            // a broken file keeps the rules in force
            long good = d.securityGeneration();
            writeAcl("user:mallory fly orders.>\n");
            assertEquals(false, d.reloadSecurity());
            assertEquals(good, d.securityGeneration());
            mallory.join("orders.us", WAIT);
        }
    }

    @Test
    void aclParseErrorsNameTheLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AccessControlList.parse(List.of("# c", "user:x read a.>.b"), "acl"));
        assertTrue(e.getMessage().startsWith("acl line 2:"), e.getMessage());
        assertNull(AccessControlList.parse(List.of(), "acl").allows(Principal.ANONYMOUS,
                AccessControlList.Right.READ, "x") ? "" : null);
    }

    private static DataMessage receiveData(SpreadConnection c) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            ReceivedMessage m = c.receive(WAIT);
            if (m instanceof DataMessage d) {
                return d;
            }
        }
        throw new AssertionError("no data message within " + WAIT);
    }
}
