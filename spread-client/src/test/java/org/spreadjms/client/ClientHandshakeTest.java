package org.spreadjms.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spreadjms.client.ScriptedDaemon.hangUp;
import static org.spreadjms.client.ScriptedDaemon.expect;
import static org.spreadjms.client.ScriptedDaemon.expectEof;
import static org.spreadjms.client.ScriptedDaemon.expectInOneRead;
import static org.spreadjms.client.ScriptedDaemon.send;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.spreadjms.client.wire.CaptureVectors;
import org.spreadjms.client.wire.FrameEncoder;
import org.spreadjms.client.wire.GroupNames;
import org.spreadjms.client.wire.Handshake;

/** The connect handshake against a scripted fake daemon, including a cut at every step and every reject code. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ClientHandshakeTest {
    private static final byte[] ALICE_REQUEST = CaptureVectors.bytes("alice: connect request");
    private static final byte[] NULL_LIST = CaptureVectors.bytes("alice: auth method list");
    private static final byte[] NULL_CHOICE = CaptureVectors.bytes("alice: auth choice");
    private static final byte[] ALICE_ACCEPT = CaptureVectors.bytes("alice: accept + version + private group");
    /** A cut must be noticed at once, far below the 5 s connect bound. */
    private static final long QUICK_NANOS = TimeUnit.SECONDS.toNanos(3);

    @Test
    void connectsAndUsesThePrivateGroupTheDaemonSent() throws Exception {
        byte[] kill = killFrame("#alice#elsewhere");
        try (ScriptedDaemon d = ScriptedDaemon.start(ScriptedDaemon.handshake("alice", "#alice#elsewhere", "NULL"),
                expect(kill), expectEof())) {
            SpreadConnection c = SpreadConnection.connect(d.options().build());
            assertTrue(c.isOpen());
            assertEquals("#alice#elsewhere", c.privateGroup());
            assertEquals("alice", c.privateName());
            assertEquals("4.0.0", c.daemonVersion());
            assertEquals(DaemonLimits.SPREAD_4, c.limits());
            c.disconnect();
            d.awaitScript();
        }
    }

    @Test
    void connectRequestArrivesInOneReadWithTheCapturedBytes() throws Exception {
        // then the 90-byte choice and nothing else: the next thing the fake reads is the KILL of disconnect()
        try (ScriptedDaemon d = ScriptedDaemon.start(expectInOneRead(ALICE_REQUEST), send(NULL_LIST),
                expect(NULL_CHOICE), send(ALICE_ACCEPT), expect(CaptureVectors.bytes("alice: KILL (disconnect)")),
                expectEof())) {
            SpreadConnection.connect(d.options().build()).disconnect();
            d.awaitScript();
        }
    }

    @Test
    void connectRequestCarriesMembershipFlagAndName() throws Exception {
        byte[] request = {4, 0, 0, 0, 2, '$', '~'};
        try (ScriptedDaemon d = ScriptedDaemon.start(expectInOneRead(request), hangUp())) {
            assertThrows(SpreadException.ConnectionClosedException.class, () -> SpreadConnection.connect(
                    d.options().privateName("$~").membershipMessages(false).build()));
            d.awaitScript();
        }
    }

    @Test
    void authChoiceIsNullFollowedBy86Zeros() throws Exception {
        byte[] expected = new byte[90];
        expected[0] = 'N';
        expected[1] = 'U';
        expected[2] = 'L';
        expected[3] = 'L';
        try (ScriptedDaemon d = ScriptedDaemon.start(expect(ALICE_REQUEST), send(NULL_LIST), expect(expected),
                send(ALICE_ACCEPT), expect(FrameEncoder.frameLength(1, 0), b -> { }), expectEof())) {
            SpreadConnection.connect(d.options().build()).disconnect();
            d.awaitScript();
        }
    }

    /** Where the fake daemon cuts the exchange. */
    enum Cut {
        AT_ONCE(hangUp()),
        BEFORE_AUTH_LIST(expect(ALICE_REQUEST), hangUp()),
        MID_AUTH_LIST(expect(ALICE_REQUEST), send(0x05, 'N', 'U'), hangUp()),
        AFTER_AUTH_LIST(expect(ALICE_REQUEST), send(NULL_LIST), hangUp()),
        BEFORE_ACCEPT(expect(ALICE_REQUEST), send(NULL_LIST), expect(NULL_CHOICE), hangUp()),
        AFTER_ACCEPT_CODE(expect(ALICE_REQUEST), send(NULL_LIST), expect(NULL_CHOICE), send(0x01), hangUp()),
        MID_VERSION(expect(ALICE_REQUEST), send(NULL_LIST), expect(NULL_CHOICE), send(0x01, 4, 0), hangUp()),
        BEFORE_NAME_LENGTH(expect(ALICE_REQUEST), send(NULL_LIST), expect(NULL_CHOICE), send(0x01, 4, 0, 0), hangUp()),
        MID_NAME(expect(ALICE_REQUEST), send(NULL_LIST), expect(NULL_CHOICE),
                send(Arrays.copyOf(ALICE_ACCEPT, ALICE_ACCEPT.length - 3)), hangUp());

        final ScriptedDaemon.Step[] steps;

        Cut(ScriptedDaemon.Step... steps) {
            this.steps = steps;
        }
    }

    @ParameterizedTest
    @EnumSource(Cut.class)
    void cutHandshakeFailsQuicklyAsConnectionClosed(Cut cut) throws Exception {
        try (ScriptedDaemon d = ScriptedDaemon.start(cut.steps)) {
            long start = System.nanoTime();
            SpreadException e = assertThrows(SpreadException.class,
                    () -> SpreadConnection.connect(d.options().build()));
            long took = System.nanoTime() - start;
            assertInstanceOf(SpreadException.ConnectionClosedException.class, e, e.toString());
            assertEquals(SpreadError.CONNECTION_CLOSED, e.error());
            assertTrue(took < QUICK_NANOS, "took " + TimeUnit.NANOSECONDS.toMillis(took) + " ms");
            if (cut != Cut.AT_ONCE) {
                d.awaitScript();
            }
        }
    }

    static Stream<Arguments> rejectsInPlaceOfTheAuthList() {
        return Stream.of(Arguments.of(0xFD, SpreadError.REJECT_QUOTA), Arguments.of(0xFC, SpreadError.REJECT_NO_NAME),
                Arguments.of(0xFB, SpreadError.REJECT_ILLEGAL_NAME), Arguments.of(0xFA, SpreadError.REJECT_NOT_UNIQUE),
                Arguments.of(0xF9, SpreadError.REJECT_VERSION));
    }

    @ParameterizedTest
    @MethodSource("rejectsInPlaceOfTheAuthList")
    void rejectByteInPlaceOfTheAuthListIsReportedWithItsCode(int code, SpreadError error) throws Exception {
        try (ScriptedDaemon d = ScriptedDaemon.start(expect(ALICE_REQUEST), send(code), hangUp())) {
            SpreadException e = assertThrows(SpreadException.class,
                    () -> SpreadConnection.connect(d.options().build()));
            assertInstanceOf(SpreadException.ConnectionRejectedException.class, e, e.toString());
            assertEquals(error, e.error());
            assertEquals((byte) code, e.code());
            assertTrue(e.getMessage().contains(error.name()), e.getMessage());
            d.awaitScript();
        }
    }

    @Test
    void rejectAuthInPlaceOfTheAcceptIsReported() throws Exception {
        try (ScriptedDaemon d = ScriptedDaemon.start(expect(ALICE_REQUEST), send(NULL_LIST), expect(NULL_CHOICE),
                send(0xF7), hangUp())) {
            SpreadException e = assertThrows(SpreadException.class,
                    () -> SpreadConnection.connect(d.options().build()));
            assertInstanceOf(SpreadException.ConnectionRejectedException.class, e);
            assertEquals(SpreadError.REJECT_AUTH, e.error());
            d.awaitScript();
        }
    }

    @Test
    void unknownCodeInPlaceOfTheAuthListIsConnectionClosed() throws Exception {
        try (ScriptedDaemon d = ScriptedDaemon.start(expect(ALICE_REQUEST), send(0xF8), hangUp())) {
            SpreadException e = assertThrows(SpreadException.class,
                    () -> SpreadConnection.connect(d.options().build()));
            assertEquals(SpreadError.CONNECTION_CLOSED, e.error());
            assertTrue(e.getMessage().contains("-8"), e.getMessage());
            d.awaitScript();
        }
    }

    @Test
    void silentDaemonFailsWithinTheConnectTimeout() throws Exception {
        try (ScriptedDaemon d = ScriptedDaemon.start(expect(ALICE_REQUEST), expectEof())) {
            long start = System.nanoTime();
            SpreadException e = assertThrows(SpreadException.class, () -> SpreadConnection.connect(
                    d.options().connectTimeout(Duration.ofMillis(300)).build()));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(SpreadError.COULD_NOT_CONNECT, e.error(), e.toString());
            assertInstanceOf(SpreadException.ConnectionClosedException.class, e);
            assertTrue(tookMillis >= 250 && tookMillis < 2_000, "took " + tookMillis + " ms");
            d.awaitScript(); // the client closed its socket after giving up
        }
    }

    @Test
    void daemonStallingMidAcceptAlsoFailsWithinTheConnectTimeout() throws Exception {
        try (ScriptedDaemon d = ScriptedDaemon.start(expect(ALICE_REQUEST), send(NULL_LIST), expect(NULL_CHOICE),
                send(0x01, 4), expectEof())) {
            long start = System.nanoTime();
            SpreadException e = assertThrows(SpreadException.class, () -> SpreadConnection.connect(
                    d.options().connectTimeout(Duration.ofMillis(300)).build()));
            assertEquals(SpreadError.COULD_NOT_CONNECT, e.error(), e.toString());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2));
            d.awaitScript();
        }
    }

    @Test
    void authListWithoutNullIsRefusedLocallyWithoutSendingAChoice() throws Exception {
        try (ScriptedDaemon d = ScriptedDaemon.start(expect(ALICE_REQUEST),
                send(Handshake.authList(List.of("IP", "PWORD"))), expectEof())) {
            SpreadException e = assertThrows(SpreadException.class,
                    () -> SpreadConnection.connect(d.options().build()));
            assertInstanceOf(SpreadException.ConnectionRejectedException.class, e);
            assertEquals(SpreadError.REJECT_AUTH, e.error());
            assertTrue(e.getMessage().contains("[IP, PWORD]"), e.getMessage());
            d.awaitScript();
        }
    }

    @Test
    void emptyAuthListIsRefusedLocally() throws Exception {
        try (ScriptedDaemon d = ScriptedDaemon.start(expect(ALICE_REQUEST), send(0), expectEof())) {
            SpreadException e = assertThrows(SpreadException.class,
                    () -> SpreadConnection.connect(d.options().build()));
            assertEquals(SpreadError.REJECT_AUTH, e.error());
            d.awaitScript();
        }
    }

    @Test
    void daemonOlderThan310IsRefusedAsRejectVersion() throws Exception {
        try (ScriptedDaemon d = ScriptedDaemon.start(expect(ALICE_REQUEST), send(NULL_LIST), expect(NULL_CHOICE),
                send(Handshake.accept(3, 0, 0, true, "#alice#localhost")), expectEof())) {
            SpreadException e = assertThrows(SpreadException.class,
                    () -> SpreadConnection.connect(d.options().build()));
            assertInstanceOf(SpreadException.ConnectionRejectedException.class, e);
            assertEquals(SpreadError.REJECT_VERSION, e.error());
            assertTrue(e.getMessage().contains("3.0.0"), e.getMessage());
            d.awaitScript();
        }
    }

    @Test
    void extendedLimitsTokenInTheAuthListSelectsExtendedLimits() throws Exception {
        try (ScriptedDaemon d = ScriptedDaemon.start(
                ScriptedDaemon.handshake("alice", "#alice#localhost", "NULL " + Handshake.EXTENDED_LIMITS_TOKEN),
                expect(CaptureVectors.bytes("alice: KILL (disconnect)")), expectEof())) {
            SpreadConnection c = SpreadConnection.connect(d.options().build());
            assertEquals(DaemonLimits.EXTENDED, c.limits());
            c.disconnect();
            d.awaitScript();
        }
    }

    @Test
    void plainNullListSelectsSpread4Limits() throws Exception {
        try (ScriptedDaemon d = ScriptedDaemon.start(ScriptedDaemon.aliceHandshake(),
                expect(CaptureVectors.bytes("alice: KILL (disconnect)")), expectEof())) {
            SpreadConnection c = SpreadConnection.connect(d.options().build());
            assertEquals(DaemonLimits.SPREAD_4, c.limits());
            c.disconnect();
            d.awaitScript();
        }
    }

    @Test
    void illegalPrivateNameIsRefusedBeforeConnecting() throws Exception {
        try (ScriptedDaemon d = ScriptedDaemon.start()) {
            SpreadException e = assertThrows(SpreadException.class,
                    () -> SpreadConnection.connect(d.options().privateName("abcdefghijk").build()));
            assertEquals(SpreadError.REJECT_ILLEGAL_NAME, e.error());
            assertInstanceOf(SpreadException.IllegalRequestException.class, e);
        }
    }

    @Test
    void nothingListeningIsCouldNotConnect() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        SpreadException e = assertThrows(SpreadException.class, () -> SpreadConnection.connect(
                SpreadOptions.builder().daemon("127.0.0.1", port).privateName("alice").build()));
        assertEquals(SpreadError.COULD_NOT_CONNECT, e.error());
        assertFalse(e.getMessage().isEmpty());
    }

    static byte[] killFrame(String privateGroup) {
        byte[] b = new byte[FrameEncoder.frameLength(1, 0)];
        FrameEncoder.writeHeader(b, 0, SpreadConstants.KILL_MESS, GroupNames.toSlot(privateGroup), 1,
                org.spreadjms.client.wire.FrameHeader.hintLittleEndian(0), 0);
        FrameEncoder.writeSlot(b, 48, GroupNames.toSlot(privateGroup));
        return b;
    }
}
