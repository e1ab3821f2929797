package org.spreadjms.client.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Bytes of the connect handshake. Every field is a byte or a byte string, so byte order does not matter.
 *
 * <pre>
 * client -> daemon  connect request   major minor patch flags L name[L]        (one write: a split one is dropped)
 * daemon -> client  auth list         N names[N] ("NULL " ...)  | or one negative reject byte
 * client -> daemon  auth choice       3 x 30-byte NUL-padded method names (exactly 90 bytes)
 * daemon -> client  accept            0x01 major minor patch M private_group[M] | or one negative reject byte
 * </pre>
 *
 * <p>Our embedded daemon adds the pseudo-method {@value #EXTENDED_LIMITS_TOKEN} to the auth list to say that it
 * accepts up to 100 groups per message and frames up to the validation limit. Real daemons never list it; the C
 * library only checks that its own methods are listed, and the official Java client ignores the list.
 */
public final class Handshake {
    public static final int AUTH_NAME_BYTES = 30;
    public static final int AUTH_METHODS = 3;
    public static final int AUTH_CHOICE_BYTES = AUTH_NAME_BYTES * AUTH_METHODS;
    public static final String NULL_METHOD = "NULL";
    public static final String EXTENDED_LIMITS_TOKEN = "SPREADJMS-LIMITS";
    public static final int FLAG_MEMBERSHIP = 0x01;
    public static final int FLAG_PRIORITY = 0x10;

    private Handshake() {
    }

    /** The connect request of a 4.x client. */
    public static byte[] connectRequest(int major, int minor, int patch, boolean membership, boolean priority,
                                        String privateName) {
        byte[] name = privateName.getBytes(StandardCharsets.ISO_8859_1);
        byte[] b = new byte[5 + name.length];
        b[0] = (byte) major;
        b[1] = (byte) minor;
        b[2] = (byte) patch;
        b[3] = (byte) ((membership ? FLAG_MEMBERSHIP : 0) | (priority ? FLAG_PRIORITY : 0));
        b[4] = (byte) name.length;
        System.arraycopy(name, 0, b, 5, name.length);
        return b;
    }

    /** The 90-byte authentication choice naming up to three methods. */
    public static byte[] authChoice(String... methods) {
        if (methods.length > AUTH_METHODS) {
            throw new IllegalArgumentException("at most " + AUTH_METHODS + " methods");
        }
        byte[] b = new byte[AUTH_CHOICE_BYTES];
        for (int i = 0; i < methods.length; i++) {
            byte[] m = methods[i].getBytes(StandardCharsets.ISO_8859_1);
            System.arraycopy(m, 0, b, i * AUTH_NAME_BYTES, Math.min(m.length, AUTH_NAME_BYTES - 1));
        }
        return b;
    }

    /** The methods named in a 90-byte choice, up to the first empty slot. */
    public static List<String> parseAuthChoice(byte[] choice) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < AUTH_METHODS; i++) {
            int start = i * AUTH_NAME_BYTES;
            int end = start;
            while (end < start + AUTH_NAME_BYTES && choice[end] != 0) {
                end++;
            }
            if (end == start) {
                break;
            }
            out.add(new String(choice, start, end - start, StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    /** The auth list bytes after the length byte, as method names. */
    public static List<String> parseAuthList(byte[] list) {
        String s = new String(list, StandardCharsets.ISO_8859_1).trim();
        return s.isEmpty() ? List.of() : Arrays.asList(s.split(" +"));
    }

    /** The auth list a daemon sends: length byte, then each name followed by a space. */
    public static byte[] authList(List<String> methods) {
        StringBuilder sb = new StringBuilder();
        for (String m : methods) {
            sb.append(m).append(' ');
        }
        byte[] names = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] b = new byte[1 + names.length];
        b[0] = (byte) names.length;
        System.arraycopy(names, 0, b, 1, names.length);
        return b;
    }

    /**
     * The accept a daemon sends.
     *
     * @param withPatch whether to send the patch byte (clients of version 3.15.0 and later)
     */
    public static byte[] accept(int major, int minor, int patch, boolean withPatch, String privateGroup) {
        byte[] name = privateGroup.getBytes(StandardCharsets.ISO_8859_1);
        int v = withPatch ? 4 : 3;
        byte[] b = new byte[v + 1 + name.length];
        b[0] = 1;
        b[1] = (byte) major;
        b[2] = (byte) minor;
        if (withPatch) {
            b[3] = (byte) patch;
        }
        b[v] = (byte) name.length;
        System.arraycopy(name, 0, b, v + 1, name.length);
        return b;
    }
}
