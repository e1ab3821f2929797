package org.spreadjms.client.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Golden bytes of PWORD credentials (as Spread's auth-pword-client.c sends them) and of SCRAM framing. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AuthMessagesTest {
    /** user "alice" in a 32-byte NUL-padded slot, password "secret1" in an 8-byte one. */
    static final byte[] ALICE_SECRET1 = HexFormat.of().parseHex(
            "616c696365" + "00".repeat(27) + "73656372657431" + "00");

    @Test
    void pwordCredentialsAreUserSlotThenPasswordSlot() {
        byte[] b = AuthMessages.pwordCredentials("alice", "secret1");
        assertEquals(40, b.length);
        assertArrayEquals(ALICE_SECRET1, b);
        assertEquals("alice", AuthMessages.pwordUser(b));
        assertEquals("secret1", AuthMessages.pwordPassword(b));
    }

    @Test
    void pwordPasswordIsCutToEightBytesAsStrncpyDoes() {
        byte[] b = AuthMessages.pwordCredentials("bob", "secret123");
        assertEquals("secret12", AuthMessages.pwordPassword(b));
        assertArrayEquals("secret12".getBytes(), java.util.Arrays.copyOfRange(b, 32, 40));
        assertFalse(AuthMessages.fitsPword("secret123"));
        assertTrue(AuthMessages.fitsPword("secret12"));
    }

    @Test
    void userOf32BytesFillsTheSlotWithoutNul() {
        String user = "u".repeat(32);
        byte[] b = AuthMessages.pwordCredentials(user, "p");
        for (int i = 0; i < 32; i++) {
            assertEquals('u', b[i]);
        }
        assertEquals(user, AuthMessages.pwordUser(b));
    }

    @Test
    void rejectsUserNamesThatDoNotFit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AuthMessages.checkUser("u".repeat(33)));
        assertTrue(e.getMessage().contains("33 bytes (at most 32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AuthMessages.checkUser(""));
        assertThrows(IllegalArgumentException.class, () -> AuthMessages.checkUser("a,b"));
        assertThrows(IllegalArgumentException.class, () -> AuthMessages.checkUser("a b"));
        assertThrows(IllegalArgumentException.class, () -> AuthMessages.pwordCredentials("a", "x\0y"));
    }

    @Test
    void scramMessageHasABigEndianLength() {
        byte[] b = AuthMessages.scramMessage("n,,n=alice,r=abc");
        assertEquals(0, b[0]);
        assertEquals(16, b[1]);
        assertEquals(18, b.length);
        assertEquals(16, AuthMessages.scramLength(b[0], b[1]));
    }

    @Test
    void scramLengthTellsRejectCodesAndOversizeApart() {
        assertEquals(-1, AuthMessages.scramLength((byte) 0xF7, (byte) 0));
        assertEquals(-2, AuthMessages.scramLength((byte) 0x04, (byte) 0x01));
        assertEquals(1024, AuthMessages.scramLength((byte) 0x04, (byte) 0x00));
        assertThrows(IllegalArgumentException.class, () -> AuthMessages.scramMessage("x".repeat(1025)));
    }
}
