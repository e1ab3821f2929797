package org.spreadjms.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.spreadjms.client.AuthMethod;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadError;
import org.spreadjms.client.SpreadException;
import org.spreadjms.client.SpreadOptions;
import org.spreadjms.client.wire.AuthMessages;
import org.spreadjms.client.wire.Handshake;

/** Users, SCRAM-SHA-256 and PWORD in the embedded daemon, with our client and with raw bytes; the login throttle. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuthenticationTest {
    @TempDir
    Path dir;

    private Path users() throws Exception {
        Path f = dir.resolve("users");
        UserFile.write(f, "alice", "secret1", Set.of("ops"), UserFile.DEFAULT_ITERATIONS);
        UserFile.write(f, "bob", "a much longer password", Set.of(), UserFile.DEFAULT_ITERATIONS);
        return f;
    }

    private EmbeddedSpreadDaemon daemon(boolean pword, Duration delay) throws Exception {
        return EmbeddedSpreadDaemon.builder().users(users()).pword(pword).authFailureDelay(delay).start();
    }

    private static SpreadOptions.Builder options(EmbeddedSpreadDaemon d) {
        return SpreadOptions.builder().daemon("127.0.0.1", d.port()).connectTimeout(Duration.ofSeconds(20));
    }

    @Test
    void userFileHoldsNoClearTextAndRefusesClearText() throws Exception {
        String text = Files.readString(users());
        assertTrue(!text.contains("secret1") && text.contains("alice SCRAM-SHA-256$4096:"), text);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UserFile.parse(java.util.List.of("carol secret"), "f"));
        assertTrue(e.getMessage().contains("f line 1") && e.getMessage().contains("clear-text"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = AuthMethod.class, names = {"SCRAM_SHA_256", "PWORD"})
    void rightCredentialsConnect(AuthMethod method) throws Exception {
        try (EmbeddedSpreadDaemon d = daemon(true, Duration.ofMillis(50))) {
            SpreadConnection c = SpreadConnection.connect(options(d).privateName("a1").credentials("alice", "secret1")
                    .authMethod(method).build());
            assertTrue(c.isOpen());
            c.disconnect();
        }
    }

    @ParameterizedTest
    @EnumSource(value = AuthMethod.class, names = {"SCRAM_SHA_256", "PWORD"})
    void wrongPasswordAndUnknownUserAreRefusedWithRejectAuth(AuthMethod method) throws Exception {
        try (EmbeddedSpreadDaemon d = daemon(true, Duration.ofMillis(10))) {
            SpreadException wrong = assertThrows(SpreadException.AuthenticationException.class,
                    () -> SpreadConnection.connect(options(d).credentials("alice", "secret2").authMethod(method)
                            .build()));
            assertEquals(SpreadError.REJECT_AUTH, wrong.error());
            assertThrows(SpreadException.AuthenticationException.class,
                    () -> SpreadConnection.connect(options(d).credentials("mallory", "secret1").authMethod(method)
                            .build()));
            assertEquals(2, d.counters().authFailures());
            assertEquals(0, d.counters().sessions());
        }
    }

    @Test
    void absentCredentialsAreRefusedWhenThereAreUsers() throws Exception {
        try (EmbeddedSpreadDaemon d = daemon(false, Duration.ofMillis(10))) {
            SpreadException e = assertThrows(SpreadException.AuthenticationException.class,
                    () -> SpreadConnection.connect(options(d).build()));
            assertTrue(e.getMessage().contains("needs a user and password"), e.getMessage());
            // a client that insists on NULL gets REJECT_AUTH from the daemon itself
            assertThrows(SpreadException.AuthenticationException.class,
                    () -> SpreadConnection.connect(options(d).authMethod(AuthMethod.NULL).build()));
        }
    }

    @Test
    void anonymousMayBeAllowedBesideUsers() throws Exception {
        try (EmbeddedSpreadDaemon d = EmbeddedSpreadDaemon.builder().users(users()).allowAnonymous(true).start()) {
            SpreadConnection.connect(options(d).build()).disconnect();
            SpreadConnection.connect(options(d).credentials("bob", "a much longer password").build()).disconnect();
        }
    }

    @Test
    void withoutAUserFileCredentialsAreIgnoredAsBefore() throws Exception {
        try (EmbeddedSpreadDaemon d = EmbeddedSpreadDaemon.builder().start()) {
            SpreadConnection.connect(options(d).credentials("invalid", "invalid").build()).disconnect();
        }
    }

    /**
     * PWORD byte for byte as the real 4.0.0 daemon answered Spread's own spuser (captured on a PWORD-enabled build):
     * list, 90-byte choice, 32 + 8 bytes, then {@code 01} and the accept, or {@code 00 f7} and close.
     */
    @Test
    void pwordBytesMatchTheRealDaemon() throws Exception {
        try (EmbeddedSpreadDaemon d = EmbeddedSpreadDaemon.builder().users(users()).pword(true)
                .authFailureDelay(Duration.ZERO).start()) {
            try (RawSpreadClient c = RawSpreadClient.open(d.port())) {
                c.write(Bytes.hex("04 00 00 01 04 63 61 70 31"));
                byte[] list = Bytes.ascii("SCRAM-SHA-256 PWORD SPREADJMS-LIMITS ");
                assertArrayEquals(Bytes.concat(new byte[] {(byte) list.length}, list), c.readExactly(1 + list.length));
                c.write(Handshake.authChoice("PWORD"));
                c.write(Bytes.concat(Bytes.ascii("alice"), new byte[27], Bytes.ascii("secret1"), new byte[1]));
                assertArrayEquals(Bytes.concat(Bytes.hex("01 01 04 00 00 0f"), Bytes.ascii("#cap1#localhost")),
                        c.readExactly(21));
            }
            try (RawSpreadClient c = RawSpreadClient.open(d.port())) {
                c.write(Bytes.hex("04 00 00 01 04 63 61 70 32"));
                c.readExactly(1 + 37);
                c.write(Bytes.concat(Handshake.authChoice("PWORD"), AuthMessages.pwordCredentials("alice", "wrongpw")));
                assertArrayEquals(Bytes.hex("00 f7"), c.readExactly(2));
                assertEquals(-1, c.readByte(), "closed after REJECT_AUTH");
            }
        }
    }

    @Test
    void aMethodThatIsNotOfferedGetsOnlyRejectAuth() throws Exception {
        try (EmbeddedSpreadDaemon d = daemon(false, Duration.ZERO); RawSpreadClient c = RawSpreadClient.open(d.port())) {
            c.write(Handshake.connectRequest(4, 0, 0, true, false, "p"));
            c.readExactly(1 + "SCRAM-SHA-256 SPREADJMS-LIMITS ".length());
            c.write(Handshake.authChoice("PWORD"));
            assertEquals(0xF7, c.readByte());
            assertEquals(-1, c.readByte());
        }
    }

    /** Each failure doubles the wait for the next answer to that address or user; a success waits for the lock. */
    @Test
    void refusedAttemptsAreDelayedMoreAndMore() throws Exception {
        Duration base = Duration.ofMillis(200);
        try (EmbeddedSpreadDaemon d = daemon(false, base)) {
            long[] took = new long[3];
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                assertThrows(SpreadException.AuthenticationException.class,
                        () -> SpreadConnection.connect(options(d).credentials("alice", "guess").build()));
                took[i] = System.nanoTime() - t0;
            }
            assertTrue(took[0] >= ms(200) && took[1] >= ms(400) && took[2] >= ms(800),
                    "answers after " + ms(took));
            // the right password right after: still waits for the lock (no faster guessing by being right)
            long t0 = System.nanoTime();
            SpreadConnection.connect(options(d).credentials("alice", "secret1").build()).disconnect();
            long right = System.nanoTime() - t0;
            assertTrue(right < ms(3000), "right password answered after " + right / 1_000_000 + " ms");
            // the success cleared the locks: the next failure waits the base penalty again, not 1.6 s
            long t1 = System.nanoTime();
            assertThrows(SpreadException.AuthenticationException.class,
                    () -> SpreadConnection.connect(options(d).credentials("alice", "guess").build()));
            long after = System.nanoTime() - t1;
            assertTrue(after >= ms(200) && after < ms(1500), "after a success: " + after / 1_000_000 + " ms");
        }
    }

    @Test
    void parallelGuessesAreSerializedByTheLock() throws Exception {
        Duration base = Duration.ofMillis(100);
        try (EmbeddedSpreadDaemon d = daemon(false, base)) {
            int n = 4;
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
            try {
                long t0 = System.nanoTime();
                java.util.List<java.util.concurrent.Future<?>> fs = new java.util.ArrayList<>();
                for (int i = 0; i < n; i++) {
                    fs.add(pool.submit(() -> assertThrows(SpreadException.AuthenticationException.class,
                            () -> SpreadConnection.connect(options(d).credentials("bob", "guess").build()))));
                }
                for (java.util.concurrent.Future<?> f : fs) {
                    f.get(30, TimeUnit.SECONDS);
                }
                long took = System.nanoTime() - t0;
                // 100 + 200 + 400 + 800 ms of penalties, one after the other
                assertTrue(took >= ms(1500), "4 parallel guesses answered within " + took / 1_000_000 + " ms");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void brokenOrMissingFilesFailTheStartWithTheLine() throws Exception {
        Path bad = dir.resolve("bad-users");
        Files.writeString(bad, "# users\nalice SCRAM-SHA-256$4096:xx\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmbeddedSpreadDaemon.builder().users(bad).start());
        assertTrue(e.getMessage().contains("bad-users line 2"), e.getMessage());
        assertThrows(java.nio.file.NoSuchFileException.class,
                () -> EmbeddedSpreadDaemon.builder().acl(dir.resolve("missing")).start());
        IllegalArgumentException nobody = assertThrows(IllegalArgumentException.class,
                () -> EmbeddedSpreadDaemon.builder().allowAnonymous(false).start());
        assertTrue(nobody.getMessage().contains("nobody could connect"), nobody.getMessage());
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static String ms(long[] nanos) {
        StringBuilder b = new StringBuilder();
        for (long n : nanos) {
            b.append(n / 1_000_000).append(" ms ");
        }
        return b.toString();
    }
}
