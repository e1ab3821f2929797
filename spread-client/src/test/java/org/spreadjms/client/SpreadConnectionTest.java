package org.spreadjms.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spreadjms.client.ScriptedDaemon.aliceHandshake;
import static org.spreadjms.client.ScriptedDaemon.expect;
import static org.spreadjms.client.ScriptedDaemon.expectEof;
import static org.spreadjms.client.ScriptedDaemon.hangUp;
import static org.spreadjms.client.ScriptedDaemon.send;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.client.wire.CaptureVectors;
import org.spreadjms.client.wire.GroupNames;

/** A connected session against a scripted fake daemon: exact bytes sent, local refusals, and loss of the daemon. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SpreadConnectionTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final byte[] KILL = CaptureVectors.bytes("alice: KILL (disconnect)");
    private static final byte[] JOIN_DEMO = CaptureVectors.bytes("alice: JOIN demo");
    private static final byte[] AGREED_FRAME = CaptureVectors.bytes("alice: own AGREED message delivered back");

    @Test
    void joinWritesTheCapturedJoinFrame() throws Exception {
        try (ScriptedDaemon d = ScriptedDaemon.start(aliceHandshake(), expect(JOIN_DEMO), expect(KILL), expectEof())) {
            SpreadConnection c = SpreadConnection.connect(d.options().build());
            c.join("demo");
            c.disconnect();
            d.awaitScript();
        }
    }

    @Test
    void multicastsAndLeaveWriteTheCapturedFrames() throws Exception {
        try (ScriptedDaemon d = ScriptedDaemon.start(aliceHandshake(),
                expect(CaptureVectors.bytes("alice: AGREED multicast to demo, mess_type=0x1234")),
                expect(CaptureVectors.bytes("alice: SAFE multigroup multicast to demo+news, mess_type=7")),
                expect(CaptureVectors.bytes("alice: AGREED|SELF_DISCARD multicast to demo")),
                expect(CaptureVectors.bytes("alice: LEAVE demo")), expect(KILL), expectEof())) {
            SpreadConnection c = SpreadConnection.connect(d.options().build());
            c.multicast(ServiceType.AGREED, "demo", (short) 0x1234, ascii("hello"));
            c.multicast(Multicast.to("demo", "news").service(ServiceType.SAFE).messType((short) 7)
                    .data(ascii("multi")));
            c.multicast(Multicast.to("demo").selfDiscard(true).messType((short) 3).data(ascii("xsdx"), 1, 2));
            c.leave("demo");
            c.disconnect();
            d.awaitScript();
        }
    }

    @Test
    void disconnectSendsOneKillNamingTheOwnPrivateGroupAndASecondDisconnectDoesNothing() throws Exception {
        try (ScriptedDaemon d = ScriptedDaemon.start(aliceHandshake(), expect(80, kill -> {
            assertArrayEquals(KILL, kill);
            assertEquals(SpreadConstants.KILL_MESS | 0x80000080, intLE(kill, 0));
            assertEquals("#alice#localhost", GroupNames.fromSlot(kill, 48));
        }), expectEof())) {
            SpreadConnection c = SpreadConnection.connect(d.options().build());
            c.disconnect();
            assertFalse(c.isOpen());
            assertDoesNotThrow(c::disconnect);
            assertDoesNotThrow(c::close);
            d.awaitScript();
            SpreadException e = assertThrows(SpreadException.ConnectionClosedException.class,
                    () -> c.multicast(ServiceType.AGREED, "demo", (short) 0, new byte[0]));
            assertEquals(SpreadError.CONNECTION_CLOSED, e.error());
            assertThrows(SpreadException.ConnectionClosedException.class, () -> c.receive(WAIT));
        }
    }

    @Test
    void tooManyGroupsForASpread4DaemonIsRefusedWithoutSendingAnything() throws Exception {
        List<String> groups44 = IntStream.range(0, 44).mapToObj(i -> "g" + i).toList();
        try (ScriptedDaemon d = ScriptedDaemon.start(aliceHandshake(), expect(JOIN_DEMO),
                expect(48 + 43 * 32, f -> assertEquals(43, intLE(f, 36))), expect(KILL), expectEof())) {
            SpreadConnection c = SpreadConnection.connect(d.options().build());
            SpreadException e = assertThrows(SpreadException.class, () -> c.multicast(Multicast.to(groups44)));
            assertInstanceOf(SpreadException.IllegalRequestException.class, e);
            assertEquals(SpreadError.ILLEGAL_GROUP, e.error());
            assertTrue(e.getMessage().contains("44 groups") && e.getMessage().contains("limit of 43"),
                    e.getMessage());
            assertTrue(c.isOpen());
            // the fake's next bytes must be this JOIN: nothing of the refused multicast reached it
            c.join("demo");
            c.multicast(Multicast.to(groups44.subList(0, 43)));
            c.disconnect();
            d.awaitScript();
        }
    }

    @Test
    void oversizePayloadIsMessageTooLongAndNothingIsSent() throws Exception {
        int largest = DaemonLimits.SPREAD_4.maxDataBytes(1);
        assertEquals(143_599 - 48 - 32, largest);
        try (ScriptedDaemon d = ScriptedDaemon.start(aliceHandshake(), expect(JOIN_DEMO),
                expect(48 + 32 + largest, f -> assertEquals(largest, intLE(f, 44))), expect(KILL), expectEof())) {
            SpreadConnection c = SpreadConnection.connect(d.options().build());
            SpreadException e = assertThrows(SpreadException.class,
                    () -> c.multicast(ServiceType.RELIABLE, "demo", (short) 0, new byte[largest + 1]));
            assertInstanceOf(SpreadException.IllegalRequestException.class, e);
            assertEquals(SpreadError.MESSAGE_TOO_LONG, e.error());
            assertTrue(e.getMessage().contains(String.valueOf(largest + 1)), e.getMessage());
            c.join("demo");
            c.multicast(ServiceType.RELIABLE, "demo", (short) 0, new byte[largest]);
            c.disconnect();
            d.awaitScript();
        }
    }

    @Test
    void illegalGroupNamesAreRefusedWithoutSendingAnything() throws Exception {
        try (ScriptedDaemon d = ScriptedDaemon.start(aliceHandshake(), expect(JOIN_DEMO), expect(KILL),
                expectEof())) {
            SpreadConnection c = SpreadConnection.connect(d.options().build());
            for (ThrowingCall call : List.<ThrowingCall>of(() -> c.join("1abc"), () -> c.leave("a b"),
                    () -> c.join("#alice#localhost"),
                    () -> c.multicast(ServiceType.AGREED, "x".repeat(32), (short) 0, new byte[0]),
                    () -> c.multicast(Multicast.to("demo", "##x")), () -> c.multicast(Multicast.to(List.of())))) {
                SpreadException e = assertThrows(SpreadException.class, call::run);
                assertInstanceOf(SpreadException.IllegalRequestException.class, e);
                assertEquals(SpreadError.ILLEGAL_GROUP, e.error());
            }
            c.join("demo");
            c.disconnect();
            d.awaitScript();
        }
    }

    @Test
    void receiveReturnsTheLastFrameThenReportsTheClosedConnection() throws Exception {
        try (ScriptedDaemon d = ScriptedDaemon.start(aliceHandshake(), send(AGREED_FRAME), hangUp())) {
            SpreadConnection c = SpreadConnection.connect(d.options().build());
            DataMessage m = assertInstanceOf(DataMessage.class, c.receive(WAIT));
            assertEquals("#alice#localhost", m.sender());
            assertEquals(0x1234, m.messType());
            assertEquals(List.of("demo"), m.groups());
            assertArrayEquals(ascii("hello"), m.data());
            SpreadException e = assertThrows(SpreadException.ConnectionClosedException.class, () -> c.receive(WAIT));
            assertEquals(SpreadError.CONNECTION_CLOSED, e.error());
            assertFalse(e.getMessage().contains("middle"), e.getMessage());
            assertFalse(c.isOpen());
            assertThrows(SpreadException.ConnectionClosedException.class, () -> c.receive(WAIT), "again");
            d.awaitScript();
        }
    }

    @Test
    void daemonClosingInsideAFrameIsReportedAsCutInTheMiddleOfAMessage() throws Exception {
        try (ScriptedDaemon d = ScriptedDaemon.start(aliceHandshake(), send(Arrays.copyOf(AGREED_FRAME, 60)),
                hangUp())) {
            SpreadConnection c = SpreadConnection.connect(d.options().build());
            SpreadException e = assertThrows(SpreadException.ConnectionClosedException.class, () -> c.receive(WAIT));
            assertTrue(e.getMessage().contains("middle of a message"), e.getMessage());
            d.awaitScript();
        }
    }

    @Test
    void daemonClosingInsideAHeaderIsAlsoCutInTheMiddleOfAMessage() throws Exception {
        try (ScriptedDaemon d = ScriptedDaemon.start(aliceHandshake(), send(Arrays.copyOf(AGREED_FRAME, 5)),
                hangUp())) {
            SpreadConnection c = SpreadConnection.connect(d.options().build());
            SpreadException e = assertThrows(SpreadException.ConnectionClosedException.class, () -> c.receive(WAIT));
            assertTrue(e.getMessage().contains("middle of a message"), e.getMessage());
            d.awaitScript();
        }
    }

    @Test
    void malformedFrameFromTheDaemonEndsTheConnectionAsIllegalMessage() throws Exception {
        byte[] bad = AGREED_FRAME.clone();
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(36, -1);
        try (ScriptedDaemon d = ScriptedDaemon.start(aliceHandshake(), send(bad), expectEof())) {
            SpreadConnection c = SpreadConnection.connect(d.options().build());
            SpreadException e = assertThrows(SpreadException.class, () -> c.receive(WAIT));
            assertEquals(SpreadError.ILLEGAL_MESSAGE, e.error());
            assertFalse(c.isOpen());
            d.awaitScript(); // the client hung up on the daemon
        }
    }

    @Test
    void malformedFrameFromTheDaemonIsReportedAsALostConnection() throws Exception {
        byte[] bad = AGREED_FRAME.clone();
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(36, -1);
        try (ScriptedDaemon d = ScriptedDaemon.start(aliceHandshake(), send(bad), expectEof())) {
            SpreadConnection c = SpreadConnection.connect(d.options().build());
            SpreadException e = assertThrows(SpreadException.class, () -> c.receive(WAIT));
            // the connection is gone, so callers that catch ConnectionClosedException to reconnect must see one;
            // IllegalRequestException promises "refused before any byte was sent, the connection is still usable"
            assertInstanceOf(SpreadException.ConnectionClosedException.class, e, e.toString());
            d.awaitScript();
        }
    }

    @Test
    void listenerGetsTheMessagesThenOnConnectionLostExactlyOnce() throws Exception {
        byte[] membership = CaptureVectors.bytes("alice: membership (alice joined demo)");
        try (ScriptedDaemon d = ScriptedDaemon.start(aliceHandshake(), send(membership), send(AGREED_FRAME),
                hangUp())) {
            SpreadConnection c = SpreadConnection.connect(d.options().build());
            List<String> events = new CopyOnWriteArrayList<>();
            AtomicInteger lost = new AtomicInteger();
            CountDownLatch lostLatch = new CountDownLatch(1);
            c.addListener(new SpreadListener() {
                @Override
                public void onJoin(MembershipMessage message) {
                    events.add("join " + message.group());
                }

                @Override
                public void onMessage(DataMessage message) {
                    events.add("message " + new String(message.data(), StandardCharsets.US_ASCII));
                }

                @Override
                public void onConnectionLost(SpreadException cause) {
                    events.add("lost " + cause.error());
                    lost.incrementAndGet();
                    lostLatch.countDown();
                }
            });
            assertTrue(lostLatch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "onConnectionLost not called");
            Thread dispatcher = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("spread-dispatch-#alice#localhost")).findFirst().orElse(null);
            if (dispatcher != null) {
                dispatcher.join(WAIT.toMillis());
                assertFalse(dispatcher.isAlive(), "dispatcher thread outlived the connection");
            }
            assertEquals(1, lost.get());
            assertEquals(List.of("join demo", "message hello", "lost CONNECTION_CLOSED"), events);
            assertThrows(IllegalStateException.class, () -> c.receive(WAIT));
            d.awaitScript();
        }
    }

    @Test
    void listenerIsToldOfIdleOnceEverythingReceivedIsDelivered() throws Exception {
        byte[] membership = CaptureVectors.bytes("alice: membership (alice joined demo)");
        try (ScriptedDaemon d = ScriptedDaemon.start(aliceHandshake(), send(membership), send(AGREED_FRAME),
                send(AGREED_FRAME), expect(KILL), expectEof())) {
            SpreadConnection c = SpreadConnection.connect(d.options().build());
            List<String> events = new CopyOnWriteArrayList<>();
            CountDownLatch idleAfterBoth = new CountDownLatch(1);
            c.addListener(new SpreadListener() {
                @Override
                public void onJoin(MembershipMessage message) {
                    events.add("join");
                }

                @Override
                public void onMessage(DataMessage message) {
                    events.add("message");
                }

                @Override
                public void onIdle() {
                    events.add("idle");
                    if (events.stream().filter("message"::equals).count() == 2) {
                        idleAfterBoth.countDown();
                    }
                }
            });
            // the dispatcher, with nothing left to deliver, reports idle before it waits (the connection stays open)
            assertTrue(idleAfterBoth.await(WAIT.toMillis(), TimeUnit.MILLISECONDS),
                    "no onIdle after both messages: " + events);
            assertEquals(List.of("join", "message", "message"), events.stream().filter(e -> !e.equals("idle"))
                    .toList());
            assertEquals("idle", events.get(events.size() - 1));
            c.disconnect();
            d.awaitScript();
        }
    }

    @Test
    void listenerIsNotToldOfALossAfterDisconnect() throws Exception {
        try (ScriptedDaemon d = ScriptedDaemon.start(aliceHandshake(), expect(KILL), expectEof())) {
            SpreadConnection c = SpreadConnection.connect(d.options().build());
            AtomicInteger lost = new AtomicInteger();
            c.addListener(new SpreadListener() {
                @Override
                public void onConnectionLost(SpreadException cause) {
                    lost.incrementAndGet();
                }
            });
            c.disconnect(); // joins the dispatcher thread (bounded) before returning
            d.awaitScript();
            assertEquals(0, lost.get());
        }
    }

    @Test
    void callsAfterTheDaemonWentAwayThrowConnectionClosed() throws Exception {
        try (ScriptedDaemon d = ScriptedDaemon.start(aliceHandshake(), hangUp())) {
            SpreadConnection c = SpreadConnection.connect(d.options().build());
            assertThrows(SpreadException.ConnectionClosedException.class, () -> c.receive(WAIT));
            List<ThrowingCall> calls = List.of(
                    () -> c.multicast(ServiceType.AGREED, "demo", (short) 1, ascii("late")),
                    () -> c.multicast(Multicast.to("demo", "news")), () -> c.join("demo"), () -> c.leave("demo"),
                    c::poll);
            List<SpreadError> errors = new ArrayList<>();
            for (ThrowingCall call : calls) {
                errors.add(assertThrows(SpreadException.ConnectionClosedException.class, call::run).error());
            }
            assertEquals(List.of(SpreadError.CONNECTION_CLOSED, SpreadError.CONNECTION_CLOSED,
                    SpreadError.CONNECTION_CLOSED, SpreadError.CONNECTION_CLOSED, SpreadError.CONNECTION_CLOSED),
                    errors);
            assertDoesNotThrow(c::disconnect);
            d.awaitScript();
        }
    }

    @Test
    void membershipMessagesUpdateTheGroupView() throws Exception {
        try (ScriptedDaemon d = ScriptedDaemon.start(aliceHandshake(), expect(JOIN_DEMO),
                send(CaptureVectors.bytes("alice: membership (alice joined demo)")), expect(KILL), expectEof())) {
            SpreadConnection c = SpreadConnection.connect(d.options().build());
            var view = c.join("demo", WAIT);
            assertNotNull(view);
            assertEquals(List.of("#alice#localhost"), view.members());
            assertEquals(view, c.groupView("demo"));
            MembershipMessage m = assertInstanceOf(MembershipMessage.class, c.receive(WAIT));
            assertEquals(0, m.messType());
            c.disconnect();
            d.awaitScript();
        }
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static int intLE(byte[] b, int offset) {
        return ByteBuffer.wrap(b, offset, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }
}
