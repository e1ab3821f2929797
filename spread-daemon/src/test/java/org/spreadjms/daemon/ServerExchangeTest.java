package org.spreadjms.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.ongres.scram.client.ScramClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.client.wire.AuthMessages;

/** The daemon's PWORD and SCRAM exchanges fed their input split at every byte. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerExchangeTest {
    private static SecurityPolicy policy;

    @BeforeAll
    static void users() {
        UserFile users = UserFile.parse(List.of("alice " + UserFile.hash("secret1", 4096) + " ops"), "test");
        policy = new SecurityPolicy(users, null, false, true);
    }

    /** Feeds {@code bytes} in two pieces split at {@code split}; returns the status after the second. */
    private static ServerExchange.Status feed(ServerExchange ex, byte[] bytes, int split) {
        ServerExchange.Status first = ex.feed(ByteBuffer.wrap(bytes, 0, split));
        if (split < bytes.length) {
            assertEquals(ServerExchange.Status.NEED_MORE, first, "finished after " + split + " of " + bytes.length);
            return ex.feed(ByteBuffer.wrap(bytes, split, bytes.length - split));
        }
        return first;
    }

    @Test
    void pwordSplitAtEveryByte() {
        byte[] right = AuthMessages.pwordCredentials("alice", "secret1");
        byte[] wrong = AuthMessages.pwordCredentials("alice", "secret2");
        for (int split = 0; split <= right.length; split++) {
            PwordExchange ok = new PwordExchange(policy);
            assertEquals(ServerExchange.Status.ACCEPTED, feed(ok, right, split));
            assertArrayEquals(new byte[] {1}, ok.takeReply());
            assertEquals("alice", ok.user());
            PwordExchange no = new PwordExchange(policy);
            assertEquals(ServerExchange.Status.REFUSED, feed(no, wrong, split));
            assertArrayEquals(new byte[] {0}, no.takeReply());
            assertEquals("wrong password", no.problem());
        }
    }

    @Test
    void scramSplitAtEveryByte() throws Exception {
        // one full exchange per split point of the first message, and per split point of the final message
        ScramClient probe = client("secret1");
        int firstLength = AuthMessages.scramMessage(probe.clientFirstMessage().toString()).length;
        for (int split = 0; split <= firstLength; split += 1) {
            assertEquals(ServerExchange.Status.ACCEPTED, run(client("secret1"), split, -1));
        }
        for (int split = 0; split <= 120; split += 1) {
            assertEquals(ServerExchange.Status.ACCEPTED, run(client("secret1"), -1, split));
        }
        assertEquals(ServerExchange.Status.REFUSED, run(client("wrong"), -1, -1));
    }

    @Test
    void scramForAnUnknownUserLooksLikeAWrongPasswordUntilTheEnd() throws Exception {
        ScramClient c = ScramClient.builder().advertisedMechanisms(List.of("SCRAM-SHA-256")).username("nobody")
                .password("x".toCharArray()).build();
        ScramExchange ex = new ScramExchange(policy);
        assertEquals(ServerExchange.Status.NEED_MORE,
                ex.feed(ByteBuffer.wrap(AuthMessages.scramMessage(c.clientFirstMessage().toString()))));
        String serverFirst = message(ex.takeReply());
        assertTrue(serverFirst.contains(",s=") && serverFirst.endsWith(",i=4096"), serverFirst);
        c.serverFirstMessage(serverFirst);
        assertEquals(ServerExchange.Status.REFUSED,
                ex.feed(ByteBuffer.wrap(AuthMessages.scramMessage(c.clientFinalMessage().toString()))));
        assertEquals("e=invalid-proof", message(ex.takeReply()));
        assertEquals("unknown user", ex.problem());
    }

    @Test
    void malformedScramIsRefused() {
        ScramExchange tooLong = new ScramExchange(policy);
        assertEquals(ServerExchange.Status.REFUSED, tooLong.feed(ByteBuffer.wrap(new byte[] {0x04, 0x01})));
        ScramExchange garbage = new ScramExchange(policy);
        assertEquals(ServerExchange.Status.REFUSED,
                garbage.feed(ByteBuffer.wrap(AuthMessages.scramMessage("hello"))));
        ScramExchange binding = new ScramExchange(policy);
        assertEquals(ServerExchange.Status.REFUSED,
                binding.feed(ByteBuffer.wrap(AuthMessages.scramMessage("p=tls-unique,,n=alice,r=abc"))));
    }

    private static ScramClient client(String password) {
        return ScramClient.builder().advertisedMechanisms(List.of("SCRAM-SHA-256")).username("alice")
                .password(password.toCharArray()).build();
    }

    private static ServerExchange.Status run(ScramClient c, int firstSplit, int lastSplit) throws Exception {
        ScramExchange ex = new ScramExchange(policy);
        byte[] first = AuthMessages.scramMessage(c.clientFirstMessage().toString());
        assertEquals(ServerExchange.Status.NEED_MORE, feed(ex, first, firstSplit < 0 ? first.length : firstSplit));
        c.serverFirstMessage(message(ex.takeReply()));
        byte[] last = AuthMessages.scramMessage(c.clientFinalMessage().toString());
        ServerExchange.Status s = feed(ex, last, lastSplit < 0 ? last.length : Math.min(lastSplit, last.length));
        if (s == ServerExchange.Status.ACCEPTED) {
            c.serverFinalMessage(message(ex.takeReply())); // the daemon's signature checks out
        }
        return s;
    }

    private static String message(byte[] framed) {
        assertEquals(framed.length - 2, ((framed[0] & 0xFF) << 8) | (framed[1] & 0xFF));
        return new String(framed, 2, framed.length - 2, StandardCharsets.UTF_8);
    }
}
