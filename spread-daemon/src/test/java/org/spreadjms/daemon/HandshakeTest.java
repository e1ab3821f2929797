package org.spreadjms.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spreadjms.daemon.Bytes.ascii;
import static org.spreadjms.daemon.Bytes.concat;
import static org.spreadjms.daemon.Bytes.hex;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spreadjms.client.wire.Handshake;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

/** Handshake bytes against the protocol reference §3 and the test vectors of §11.1, §11.9, §11.10 and §11.15. */
@Timeout(30)
class HandshakeTest {
    private static final Duration TIMEOUT = Duration.ofMillis(300);

    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension(b -> b.handshakeTimeout(TIMEOUT));

    private static final byte[] NULL_CHOICE = concat(ascii("NULL"), new byte[86]);

    @Test
    void connectsAliceWithGoldenBytes() throws IOException {
        try (RawSpreadClient c = RawSpreadClient.open(daemon.port())) {
            c.write(hex("04 00 00 01 05 61 6c 69 63 65"));
            // the real daemon sends 05 "NULL "; ours adds the SPREADJMS-LIMITS token after NULL
            assertArrayEquals(concat("16", ascii("NULL SPREADJMS-LIMITS ")), c.readExactly(23));
            c.write(NULL_CHOICE);
            assertArrayEquals(hex("01 04 00 00 10 23 61 6c 69 63 65 23 6c 6f 63 61 6c 68 6f 73 74"),
                    c.readExactly(21));
        }
    }

    @Test
    void rejectsDuplicatePrivateName() throws IOException {
        try (RawSpreadClient first = RawSpreadClient.connect(daemon.port(), "dup", true);
             RawSpreadClient second = RawSpreadClient.open(daemon.port())) {
            assertEquals("#dup#localhost", first.privateGroup());
            second.write(hex("04 00 00 01 03 64 75 70"));
            assertEquals(0xFA, second.readByte());
            second.readToEnd();
        }
    }

    @Test
    void nameIsFreeAgainAfterKill() throws IOException {
        try (RawSpreadClient first = RawSpreadClient.connect(daemon.port(), "again", true)) {
            first.kill();
            assertEquals(0, first.readToEnd());
        }
        try (RawSpreadClient second = RawSpreadClient.connect(daemon.port(), "again", true)) {
            assertEquals("#again#localhost", second.privateGroup());
        }
    }

    static Stream<Arguments> illegalNames() {
        return Stream.of(
                Arguments.of("a#b", hex("04 00 00 01 03 61 23 62")),
                Arguments.of("a b", hex("04 00 00 01 03 61 20 62")),
                Arguments.of("11 characters", hex("04 00 00 01 0b 61 62 63 64 65 66 67 68 69 6a 6b")),
                Arguments.of("L byte 0x80", hex("04 00 00 01 80 78")),
                Arguments.of("a\\x7f", hex("04 00 00 01 02 61 7f")),
                Arguments.of("quote", hex("04 00 00 01 02 61 22")),
                Arguments.of("pipelined auth choice", concat("04 00 00 01 03 70 69 70", NULL_CHOICE)),
                Arguments.of("L=5 with 3 bytes (after the timeout)", hex("04 00 00 01 05 61 62 63")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("illegalNames")
    void rejectsIllegalName(String what, byte[] request) throws IOException {
        try (RawSpreadClient c = RawSpreadClient.open(daemon.port())) {
            c.write(request);
            assertEquals(0xFB, c.readByte());
            c.readToEnd();
        }
    }

    @Test
    void rejectsMissingFlagsAndLengthAfterTheTimeout() throws IOException {
        try (RawSpreadClient c = RawSpreadClient.open(daemon.port())) {
            c.write(hex("04 00 00 01"));
            assertEquals(0xFC, c.readByte());
            c.readToEnd();
        }
    }

    @Test
    void closesSilentClientAfterTheTimeoutWithoutAByte() throws IOException {
        try (RawSpreadClient c = RawSpreadClient.open(daemon.port())) {
            long start = System.nanoTime();
            assertEquals(-1, c.readByte());
            long waited = System.nanoTime() - start;
            assertTrue(waited >= TIMEOUT.toNanos() - Duration.ofMillis(50).toNanos(), "closed after " + waited + " ns");
        }
    }

    @Test
    void acceptsRequestWrittenByteByByte() throws IOException {
        try (RawSpreadClient c = RawSpreadClient.open(daemon.port())) {
            for (byte b : hex("04 00 00 01 05 73 70 6c 69 74")) {
                c.write(new byte[] {b});
            }
            assertArrayEquals(RawSpreadClient.AUTH_LIST, c.readExactly(23));
            for (int i = 0; i < NULL_CHOICE.length; i += 7) {
                c.write(java.util.Arrays.copyOfRange(NULL_CHOICE, i, Math.min(i + 7, NULL_CHOICE.length)));
            }
            assertArrayEquals(concat("01 04 00 00 10", ascii("#split#localhost")), c.readExactly(21));
        }
    }

    @Test
    void rejectsVersionBelow3_1() throws IOException {
        try (RawSpreadClient c = RawSpreadClient.open(daemon.port())) {
            c.write(hex("03 00 00 01 03 6f 6c 64"));
            assertEquals(0xF9, c.readByte());
            c.readToEnd();
        }
    }

    @Test
    void answers3_14ClientWithoutAuthAndTwoVersionBytes() throws IOException {
        try (RawSpreadClient c = RawSpreadClient.open(daemon.port())) {
            c.write(concat("03 0e 01 03", ascii("c14")));
            byte[] accept = concat("01 04 00 0e", ascii("#c14#localhost"));
            assertArrayEquals(accept, c.readExactly(accept.length));
        }
    }

    @Test
    void answers3_15ClientWithoutAuthAndThreeVersionBytes() throws IOException {
        try (RawSpreadClient c = RawSpreadClient.open(daemon.port())) {
            c.write(concat("03 0f 00 01 03", ascii("c15")));
            byte[] accept = concat("01 04 00 00 0e", ascii("#c15#localhost"));
            assertArrayEquals(accept, c.readExactly(accept.length));
        }
    }

    static Stream<Arguments> authPhaseClients() {
        return Stream.of(
                Arguments.of("3.16.0", concat("03 10 00 01 03", ascii("c16")), "#c16#localhost"),
                Arguments.of("5.0.0", concat("05 00 00 01 03", ascii("c50")), "#c50#localhost"),
                Arguments.of("priority flag", concat("04 00 00 11 03", ascii("pri")), "#pri#localhost"),
                Arguments.of("name $~", hex("04 00 00 01 02 24 7e"), "#$~#localhost"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("authPhaseClients")
    void runsAuthPhase(String what, byte[] request, String privateGroup) throws IOException {
        try (RawSpreadClient c = RawSpreadClient.open(daemon.port())) {
            c.write(request);
            assertArrayEquals(RawSpreadClient.AUTH_LIST, c.readExactly(23));
            c.write(NULL_CHOICE);
            assertArrayEquals(concat("01 04 00 00", new byte[] {(byte) privateGroup.length()}, ascii(privateGroup)),
                    c.readExactly(5 + privateGroup.length()));
        }
    }

    static Stream<Arguments> badAuthChoices() {
        return Stream.of(
                Arguments.of("IP", Handshake.authChoice("IP")),
                Arguments.of("FOO", Handshake.authChoice("FOO")),
                Arguments.of("our limits token is no method", Handshake.authChoice("SPREADJMS-LIMITS")),
                Arguments.of("NULL then FOO", Handshake.authChoice("NULL", "FOO")),
                Arguments.of("all zero", new byte[90]),
                Arguments.of("short, after the timeout", ascii("NULL")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badAuthChoices")
    void rejectsAuthChoice(String what, byte[] choice) throws IOException {
        try (RawSpreadClient c = RawSpreadClient.open(daemon.port())) {
            c.write(concat("04 00 00 01 04", ascii("auth")));
            assertArrayEquals(RawSpreadClient.AUTH_LIST, c.readExactly(23));
            c.write(choice);
            assertEquals(0xF7, c.readByte());
            c.readToEnd();
        }
    }

    @Test
    void acceptsNullInTwoSlots() throws IOException {
        try (RawSpreadClient c = RawSpreadClient.open(daemon.port())) {
            c.write(concat("04 00 00 01 04", ascii("null")));
            assertArrayEquals(RawSpreadClient.AUTH_LIST, c.readExactly(23));
            c.write(Handshake.authChoice("NULL", "NULL"));
            assertArrayEquals(concat("01 04 00 00 0f", ascii("#null#localhost")), c.readExactly(20));
        }
    }

    @Test
    void inventsUniqueNameForEmptyName() throws IOException {
        try (RawSpreadClient a = RawSpreadClient.connect(daemon.port(), "", false);
             RawSpreadClient b = RawSpreadClient.connect(daemon.port(), "", false)) {
            for (RawSpreadClient c : new RawSpreadClient[] {a, b}) {
                String pg = c.privateGroup();
                assertTrue(pg.matches("#r\\d{1,4}-\\d*#localhost"), pg);
                assertTrue(pg.indexOf('#', 1) - 1 <= 9, pg + " has a private name longer than 9");
            }
            assertTrue(!a.privateGroup().equals(b.privateGroup()));
        }
    }

    @Test
    void rejectsOverQuotaBeforeTheClientSpeaks() throws IOException {
        try (EmbeddedSpreadDaemon small = EmbeddedSpreadDaemon.builder().maxSessions(2).start();
             RawSpreadClient one = RawSpreadClient.connect(small.port(), "one", false);
             RawSpreadClient two = RawSpreadClient.open(small.port())) {
            // a connection still in its handshake counts too
            two.write(hex("04 00"));
            try (RawSpreadClient three = RawSpreadClient.open(small.port())) {
                assertEquals(0xFD, three.readByte());
                assertEquals(0, three.readToEnd());
            }
            one.kill();
            one.readToEnd();
            // the daemon finished one's disconnect before it could accept another connection
            try (RawSpreadClient four = RawSpreadClient.connect(small.port(), "four", false)) {
                assertEquals("#four#localhost", four.privateGroup());
            }
            assertEquals(2, small.counters().sessionsAccepted());
            assertTrue(small.counters().handshakeRejects() >= 1);
        }
    }

    @Test
    void usesConfiguredDaemonName() throws IOException {
        try (EmbeddedSpreadDaemon named = EmbeddedSpreadDaemon.builder().name("node-7").start();
             RawSpreadClient c = RawSpreadClient.open(named.port())) {
            c.write(concat("04 00 00 00 01", ascii("n")));
            c.readExactly(23);
            c.write(NULL_CHOICE);
            byte[] accept = c.readExactly(5 + 9);
            assertEquals("#n#node-7", new String(accept, 5, 9, StandardCharsets.ISO_8859_1));
        }
    }
}
