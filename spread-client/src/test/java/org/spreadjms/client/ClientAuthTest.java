package org.spreadjms.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spreadjms.client.ScriptedDaemon.expect;
import static org.spreadjms.client.ScriptedDaemon.expectEof;
import static org.spreadjms.client.ScriptedDaemon.expectInOneRead;
import static org.spreadjms.client.ScriptedDaemon.hangUp;
import static org.spreadjms.client.ScriptedDaemon.send;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spreadjms.client.wire.AuthMessages;
import org.spreadjms.client.wire.Handshake;

/** PWORD and SCRAM-SHA-256 in the handshake against a scripted fake daemon: accept, refuse, and a cut at every step. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ClientAuthTest {
    private static final byte[] REQUEST = Handshake.connectRequest(4, 0, 0, true, false, "alice");
    private static final byte[] ACCEPT = Handshake.accept(4, 0, 0, true, "#alice#localhost");
    private static final byte[] PWORD_CHOICE = Handshake.authChoice("PWORD");
    private static final byte[] SCRAM_CHOICE = Handshake.authChoice("SCRAM-SHA-256");

    private static byte[] list(String... methods) {
        return Handshake.authList(List.of(methods));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static ScriptedDaemon.Step readScram(AtomicReference<String> into) {
        return p -> {
            byte[] len = p.readExactly(2);
            into.set(new String(p.readExactly(((len[0] & 0xFF) << 8) | (len[1] & 0xFF)), StandardCharsets.UTF_8));
        };
    }

    @Test
    void pwordSendsChoiceUserAndPasswordExactlyAsSpreadsLibrary() throws Exception {
        byte[] credentials = AuthMessages.pwordCredentials("alice", "secret1");
        try (ScriptedDaemon d = ScriptedDaemon.start(expectInOneRead(REQUEST), send(list("PWORD")),
                expect(concat(PWORD_CHOICE, credentials)), send(1), send(ACCEPT), hangUp())) {
            SpreadConnection c = SpreadConnection.connect(d.options().credentials("alice", "secret1").build());
            assertEquals("#alice#localhost", c.privateGroup());
            d.awaitScript();
            c.disconnect();
        }
    }

    @Test
    void pwordRefusalIsAnAuthenticationExceptionWithRejectAuth() throws Exception {
        try (ScriptedDaemon d = ScriptedDaemon.start(expectInOneRead(REQUEST), send(list("PWORD")),
                expect(130, b -> { }), send(0, 0xF7), expectEof())) {
            SpreadException e = assertThrows(SpreadException.AuthenticationException.class,
                    () -> SpreadConnection.connect(d.options().credentials("alice", "wrong").build()));
            assertEquals(SpreadError.REJECT_AUTH, e.error());
            assertEquals(-9, e.code());
            assertInstanceOf(SpreadException.ConnectionRejectedException.class, e);
            assertTrue(e.getMessage().contains("refused user 'alice'"), e.getMessage());
            d.awaitScript();
        }
    }

    /** The daemon hangs up after 0..2 script steps of PWORD: always a clear CONNECTION_CLOSED, never a hang. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void pwordCutAtEveryStep(int steps) throws Exception {
        List<ScriptedDaemon.Step> script = new ArrayList<>(List.of(expectInOneRead(REQUEST), send(list("PWORD")),
                expect(130, b -> { }), send(1)));
        List<ScriptedDaemon.Step> played = new ArrayList<>(script.subList(0, steps + 1));
        played.add(hangUp());
        try (ScriptedDaemon d = ScriptedDaemon.start(played.toArray(ScriptedDaemon.Step[]::new))) {
            long start = System.nanoTime();
            SpreadException e = assertThrows(SpreadException.class,
                    () -> SpreadConnection.connect(d.options().credentials("alice", "secret1").build()));
            assertEquals(SpreadError.CONNECTION_CLOSED, e.error(), e.toString());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3));
            d.awaitScript();
        }
    }

    @Test
    void scramIsPreferredAndNeverSendsThePassword() throws Exception {
        ScramTestServer server = new ScramTestServer("s3cret-long-password");
        AtomicReference<String> first = new AtomicReference<>();
        AtomicReference<String> last = new AtomicReference<>();
        AtomicReference<String> serverFinal = new AtomicReference<>();
        try (ScriptedDaemon d = ScriptedDaemon.start(expectInOneRead(REQUEST),
                send(list("NULL", "PWORD", "SCRAM-SHA-256")), expect(SCRAM_CHOICE), readScram(first),
                p -> send(AuthMessages.scramMessage(server.serverFirst(first.get()))).play(p), readScram(last),
                p -> {
                    serverFinal.set(server.serverFinal(last.get(), false));
                    send(AuthMessages.scramMessage(serverFinal.get())).play(p);
                }, send(ACCEPT), hangUp())) {
            SpreadConnection c = SpreadConnection.connect(d.options().credentials("alice", "s3cret-long-password")
                    .build());
            d.awaitScript();
            assertTrue(first.get().startsWith("n,,n=alice,r="), first.get());
            assertTrue(serverFinal.get().startsWith("v="), serverFinal.get());
            assertTrue(!first.get().contains("s3cret") && !last.get().contains("s3cret"));
            c.disconnect();
        }
    }

    @Test
    void scramWrongPasswordIsRefused() throws Exception {
        ScramTestServer server = new ScramTestServer("right");
        AtomicReference<String> first = new AtomicReference<>();
        AtomicReference<String> last = new AtomicReference<>();
        try (ScriptedDaemon d = ScriptedDaemon.start(expectInOneRead(REQUEST), send(list("SCRAM-SHA-256")),
                expect(SCRAM_CHOICE), readScram(first),
                p -> send(AuthMessages.scramMessage(server.serverFirst(first.get()))).play(p), readScram(last),
                p -> send(AuthMessages.scramMessage(server.serverFinal(last.get(), false))).play(p),
                send(0xF7), expectEof())) {
            SpreadException e = assertThrows(SpreadException.AuthenticationException.class,
                    () -> SpreadConnection.connect(d.options().credentials("alice", "wrong").build()));
            assertTrue(e.getMessage().contains("proof is invalid"), e.getMessage());
            d.awaitScript();
        }
    }

    @Test
    void scramDaemonThatDoesNotKnowThePasswordIsNotTrusted() throws Exception {
        ScramTestServer server = new ScramTestServer("pw");
        AtomicReference<String> first = new AtomicReference<>();
        AtomicReference<String> last = new AtomicReference<>();
        try (ScriptedDaemon d = ScriptedDaemon.start(expectInOneRead(REQUEST), send(list("SCRAM-SHA-256")),
                expect(SCRAM_CHOICE), readScram(first),
                p -> send(AuthMessages.scramMessage(server.serverFirst(first.get()))).play(p), readScram(last),
                p -> send(AuthMessages.scramMessage(server.serverFinal(last.get(), true))).play(p),
                send(ACCEPT), expectEof())) {
            SpreadException e = assertThrows(SpreadException.AuthenticationException.class,
                    () -> SpreadConnection.connect(d.options().credentials("alice", "pw").build()));
            assertTrue(e.getMessage().contains("could not prove"), e.getMessage());
            d.awaitScript();
        }
    }

    /** A reject byte in place of a SCRAM length (the daemon gave up) is reported with its code. */
    @Test
    void scramRejectByteInPlaceOfTheChallenge() throws Exception {
        try (ScriptedDaemon d = ScriptedDaemon.start(expectInOneRead(REQUEST), send(list("SCRAM-SHA-256")),
                expect(SCRAM_CHOICE), readScram(new AtomicReference<>()), send(0xF7, 0), expectEof())) {
            SpreadException e = assertThrows(SpreadException.AuthenticationException.class,
                    () -> SpreadConnection.connect(d.options().credentials("alice", "pw").build()));
            assertEquals(SpreadError.REJECT_AUTH, e.error());
            d.awaitScript();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void scramCutAtEveryStep(int steps) throws Exception {
        ScramTestServer server = new ScramTestServer("pw");
        AtomicReference<String> first = new AtomicReference<>();
        AtomicReference<String> last = new AtomicReference<>();
        List<ScriptedDaemon.Step> script = List.of(expectInOneRead(REQUEST), send(list("SCRAM-SHA-256")),
                p -> {
                    expect(SCRAM_CHOICE).play(p);
                    readScram(first).play(p);
                },
                p -> send(AuthMessages.scramMessage(server.serverFirst(first.get()))).play(p), readScram(last),
                p -> send(AuthMessages.scramMessage(server.serverFinal(last.get(), false))).play(p));
        List<ScriptedDaemon.Step> played = new ArrayList<>(script.subList(0, Math.min(script.size(), steps + 2)));
        played.add(hangUp());
        try (ScriptedDaemon d = ScriptedDaemon.start(played.toArray(ScriptedDaemon.Step[]::new))) {
            SpreadException e = assertThrows(SpreadException.class,
                    () -> SpreadConnection.connect(d.options().credentials("alice", "pw").build()));
            assertEquals(SpreadError.CONNECTION_CLOSED, e.error(), e.toString());
            d.awaitScript();
        }
    }

    @Test
    void withoutCredentialsADaemonThatNeedsThemIsRefusedLocally() throws Exception {
        try (ScriptedDaemon d = ScriptedDaemon.start(expectInOneRead(REQUEST), send(list("SCRAM-SHA-256", "PWORD")),
                expectEof())) {
            SpreadException e = assertThrows(SpreadException.AuthenticationException.class,
                    () -> SpreadConnection.connect(d.options().build()));
            assertTrue(e.getMessage().contains("needs a user and password"), e.getMessage());
            d.awaitScript();
        }
    }

    @Test
    void credentialsAreNotUsedWithADaemonThatOnlyOffersNull() throws Exception {
        try (ScriptedDaemon d = ScriptedDaemon.start(ScriptedDaemon.aliceHandshake(), hangUp())) {
            SpreadConnection c = SpreadConnection.connect(d.options().credentials("alice", "pw").build());
            d.awaitScript();
            c.disconnect();
        }
    }

    @Test
    void aForcedMethodTheDaemonDoesNotOfferIsRefusedLocally() throws Exception {
        try (ScriptedDaemon d = ScriptedDaemon.start(expectInOneRead(REQUEST), send(list("NULL", "PWORD")),
                expectEof())) {
            SpreadException e = assertThrows(SpreadException.AuthenticationException.class,
                    () -> SpreadConnection.connect(d.options().credentials("alice", "pw")
                            .authMethod(AuthMethod.SCRAM_SHA_256).build()));
            assertTrue(e.getMessage().contains("set to use SCRAM-SHA-256"), e.getMessage());
            d.awaitScript();
        }
    }

    @Test
    void rejectAuthInPlaceOfTheAcceptIsAnAuthenticationException() throws Exception {
        try (ScriptedDaemon d = ScriptedDaemon.start(expectInOneRead(REQUEST), send(list("NULL")),
                expect(Handshake.authChoice("NULL")), send(0xF7), expectEof())) {
            assertThrows(SpreadException.AuthenticationException.class,
                    () -> SpreadConnection.connect(d.options().build()));
            d.awaitScript();
        }
    }

    /**
     * The real Spread 4.0.0 daemon built with PWORD, as captured answering Spread's own spuser ({@code -u cap1 -n alice
     * -p secret1}): the list {@code 06 "PWORD "}, then {@code 01} and the accept; for a wrong password {@code 00 f7}.
     * Our client's bytes are those of the C client (which sends them in three writes, ours in one).
     */
    @Test
    void pwordAgainstTheRecordedExchangeOfTheRealDaemon() throws Exception {
        byte[] request = java.util.HexFormat.of().parseHex("040000010463617031");
        byte[] list = java.util.HexFormat.of().parseHex("0650574f524420");
        byte[] sent = concat(concat("PWORD".getBytes(StandardCharsets.US_ASCII), new byte[85]),
                concat(concat("alice".getBytes(StandardCharsets.US_ASCII), new byte[27]),
                        java.util.HexFormat.of().parseHex("7365637265743100")));
        byte[] answer = concat(java.util.HexFormat.of().parseHex("01010400000f"),
                "#cap1#localhost".getBytes(StandardCharsets.US_ASCII));
        try (ScriptedDaemon d = ScriptedDaemon.start(expectInOneRead(request), send(list), expect(sent), send(answer),
                hangUp())) {
            SpreadConnection c = SpreadConnection.connect(d.options().privateName("cap1")
                    .credentials("alice", "secret1").build());
            assertEquals("#cap1#localhost", c.privateGroup());
            d.awaitScript();
            c.disconnect();
        }
        try (ScriptedDaemon d = ScriptedDaemon.start(expectInOneRead(request), send(list), expect(130, b -> { }),
                send(0x00, 0xF7), expectEof())) {
            assertThrows(SpreadException.AuthenticationException.class, () -> SpreadConnection.connect(
                    d.options().privateName("cap1").credentials("alice", "wrongpw").build()));
            d.awaitScript();
        }
    }

    /** A JOIN answered with REJECT_MESS fails the waiting join with AccessRefusedException; the session stays usable. */
    @Test
    void aRefusedJoinFailsTheJoinAndTheConnectionStaysOpen() throws Exception {
        byte[] join = new byte[80];
        org.spreadjms.client.wire.FrameEncoder.writeHeader(join, 0, SpreadConstants.JOIN_MESS,
                org.spreadjms.client.wire.GroupNames.toSlot("#alice#localhost"), 1, 0x80000080, 0);
        System.arraycopy(org.spreadjms.client.wire.GroupNames.toSlot("secret"), 0, join, 48, 32);
        org.spreadjms.client.wire.RawFrame f = org.spreadjms.client.wire.FrameDecoder.forDaemon(1 << 20)
                .decode(java.nio.ByteBuffer.wrap(join));
        byte[] reject = org.spreadjms.client.wire.FrameEncoder.rejectCopy(f, SpreadConstants.CAUSED_BY_JOIN,
                org.spreadjms.client.wire.GroupNames.toSlot("#alice#localhost"), 100);
        try (ScriptedDaemon d = ScriptedDaemon.start(ScriptedDaemon.aliceHandshake(), expect(join), send(reject),
                expect(80, b -> assertEquals((byte) 0x80, b[0])), hangUp())) {
            SpreadConnection c = SpreadConnection.connect(d.options().build());
            SpreadException.AccessRefusedException e = assertThrows(SpreadException.AccessRefusedException.class,
                    () -> c.join("secret", java.time.Duration.ofSeconds(5)));
            assertEquals(List.of("secret"), e.groups());
            assertTrue(c.isOpen());
            c.join("public"); // the next frame: the fake checks it is a JOIN (80 bytes)
            d.awaitScript();
            c.disconnect();
        }
    }
}
