package org.spreadjms.daemon;

import java.nio.ByteBuffer;

import org.spreadjms.client.wire.AuthMessages;

/**
 * Spread 4's PWORD method, daemon side: 32 bytes of user, 8 of password, one response byte (1 accepted, 0 refused).
 * The password is checked against the user file's stored key, so the file holds no clear text either.
 */
final class PwordExchange extends ServerExchange {
    private final SecurityPolicy policy;
    private final byte[] credentials = new byte[AuthMessages.PWORD_CREDENTIAL_BYTES];
    private int filled;
    private String user;
    private String problem;

    PwordExchange(SecurityPolicy policy) {
        this.policy = policy;
    }

    @Override
    Status feed(ByteBuffer in) {
        int take = Math.min(credentials.length - filled, in.remaining());
        in.get(credentials, filled, take);
        filled += take;
        if (filled < credentials.length) {
            return Status.NEED_MORE;
        }
        user = AuthMessages.pwordUser(credentials);
        String password = AuthMessages.pwordPassword(credentials);
        java.util.Arrays.fill(credentials, (byte) 0);
        UserFile.User u = policy.user(user);
        boolean ok = u != null && UserFile.verify(u, password);
        reply(new byte[] {(byte) (ok ? AuthMessages.PWORD_ACCEPTED : AuthMessages.PWORD_REFUSED)});
        if (!ok) {
            problem = u == null ? "unknown user" : "wrong password";
        }
        return ok ? Status.ACCEPTED : Status.REFUSED;
    }

    @Override
    String user() {
        return user;
    }

    @Override
    String problem() {
        return problem;
    }
}
