package org.spreadjms.client.wire;

import java.nio.charset.StandardCharsets;

/**
 * Bytes of the authentication methods that run after the 90-byte choice (see {@link Handshake}).
 *
 * <h2>PWORD (Spread 4's own {@code auth-pword} method, byte for byte)</h2>
 * <pre>
 * client -> daemon  user[32]       user name, NUL-padded (a 32-byte name has no NUL), as strncpy(user, 32)
 *                   password[8]    clear-text password, NUL-padded, cut to 8 bytes, as strncpy(password, 8)
 * daemon -> client  response       1 byte: 1 = accepted, 0 = refused
 * daemon -> client  accept ...     then the accept (0x01 ...) or REJECT_AUTH (0xF7) and close, as for NULL
 * </pre>
 * The real daemon reads the 32 and the 8 bytes with one {@code recv} each and compares {@code crypt(3)} of the
 * password with the entry in {@code spread.access_pword}; DES crypt looks at 8 characters only, which is why the
 * protocol carries no more. The password crosses the network in clear text.
 *
 * <h2>SCRAM-SHA-256 (this project's method; the password never crosses the network)</h2>
 * <pre>
 * client -> daemon  len[2] client-first-message    (RFC 5802, "n,,n=user,r=nonce"; len big-endian, UTF-8)
 * daemon -> client  len[2] server-first-message    ("r=nonce,s=salt,i=iterations")
 * client -> daemon  len[2] client-final-message    ("c=biws,r=nonce,p=proof")
 * daemon -> client  len[2] server-final-message    ("v=signature", or "e=invalid-proof")
 * daemon -> client  accept ...                      the accept, or REJECT_AUTH and close
 * </pre>
 * Every message is at most {@value #SCRAM_MAX_MESSAGE_BYTES} bytes. A daemon that gives up in the middle sends one
 * negative reject byte in place of a length: a first length byte of 0x80 or more is a reject code, never a length.
 * A daemon sends a server-first message for an unknown user too (with a salt derived from the name), so the exchange
 * does not tell which users exist.
 */
public final class AuthMessages {
    public static final String PWORD_METHOD = "PWORD";
    public static final String SCRAM_METHOD = "SCRAM-SHA-256";
    /** Listed by this project's daemon when an access control list is in force (a real daemon never lists it). */
    public static final String ACL_TOKEN = "SPREADJMS-ACL";
    public static final int PWORD_USER_BYTES = 32;
    public static final int PWORD_PASSWORD_BYTES = 8;
    public static final int PWORD_CREDENTIAL_BYTES = PWORD_USER_BYTES + PWORD_PASSWORD_BYTES;
    public static final int PWORD_ACCEPTED = 1;
    public static final int PWORD_REFUSED = 0;
    public static final int SCRAM_MAX_MESSAGE_BYTES = 1024;
    /** Longest user name in bytes (UTF-8), for both methods: PWORD's slot. */
    public static final int MAX_USER_BYTES = PWORD_USER_BYTES;

    private AuthMessages() {
    }

    /**
     * Checks a user name: 1..32 bytes of UTF-8 without NUL, ',' or '=' (the last two would need escaping in SCRAM).
     *
     * @throws IllegalArgumentException naming the rule that is broken
     */
    public static void checkUser(String user) {
        if (user == null || user.isEmpty()) {
            throw new IllegalArgumentException("user name is empty");
        }
        int bytes = user.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_USER_BYTES) {
            throw new IllegalArgumentException("user name '" + user + "' is " + bytes + " bytes (at most "
                    + MAX_USER_BYTES + " allowed)");
        }
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            if (c == 0 || c == ',' || c == '=' || c == ':' || Character.isWhitespace(c)) {
                throw new IllegalArgumentException("user name '" + user + "' has an illegal character at index " + i
                        + " (no NUL, ',', '=', ':' or white space allowed)");
            }
        }
    }

    /** The 40 bytes a PWORD client sends: user and password NUL-padded (the password cut to 8 bytes). */
    public static byte[] pwordCredentials(String user, String password) {
        checkUser(user);
        byte[] u = user.getBytes(StandardCharsets.UTF_8);
        byte[] p = password.getBytes(StandardCharsets.UTF_8);
        for (byte x : p) {
            if (x == 0) {
                throw new IllegalArgumentException("password contains a NUL byte");
            }
        }
        byte[] b = new byte[PWORD_CREDENTIAL_BYTES];
        System.arraycopy(u, 0, b, 0, u.length);
        System.arraycopy(p, 0, b, PWORD_USER_BYTES, Math.min(p.length, PWORD_PASSWORD_BYTES));
        return b;
    }

    /** The user name of a PWORD credential block: the bytes up to the first NUL of the 32-byte slot. */
    public static String pwordUser(byte[] credentials) {
        return cString(credentials, 0, PWORD_USER_BYTES);
    }

    /** The password of a PWORD credential block: the bytes up to the first NUL of the 8-byte slot. */
    public static String pwordPassword(byte[] credentials) {
        return cString(credentials, PWORD_USER_BYTES, PWORD_PASSWORD_BYTES);
    }

    /** Whether a password survives PWORD unchanged (at most 8 bytes of UTF-8). */
    public static boolean fitsPword(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length <= PWORD_PASSWORD_BYTES;
    }

    /** A SCRAM message with its 2-byte big-endian length. */
    public static byte[] scramMessage(String message) {
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        if (m.length > SCRAM_MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("SCRAM message of " + m.length + " bytes (at most "
                    + SCRAM_MAX_MESSAGE_BYTES + " allowed)");
        }
        byte[] b = new byte[2 + m.length];
        b[0] = (byte) (m.length >>> 8);
        b[1] = (byte) m.length;
        System.arraycopy(m, 0, b, 2, m.length);
        return b;
    }

    /**
     * The length in a 2-byte SCRAM length field; -1 when the first byte is a reject code (0x80 and above), -2 when the
     * length is above {@value #SCRAM_MAX_MESSAGE_BYTES}.
     */
    public static int scramLength(byte first, byte second) {
        if (first < 0) {
            return -1;
        }
        int n = ((first & 0xFF) << 8) | (second & 0xFF);
        return n > SCRAM_MAX_MESSAGE_BYTES ? -2 : n;
    }

    private static String cString(byte[] b, int offset, int max) {
        int end = offset;
        while (end < offset + max && b[end] != 0) {
            end++;
        }
        return new String(b, offset, end - offset, StandardCharsets.UTF_8);
    }
}
