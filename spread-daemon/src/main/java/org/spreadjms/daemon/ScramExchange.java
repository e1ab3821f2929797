package org.spreadjms.daemon;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

import com.ongres.scram.common.ClientFirstMessage;
import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.ServerFirstMessage;
import com.ongres.scram.common.exception.ScramParseException;
import org.spreadjms.client.wire.AuthMessages;

/**
 * SCRAM-SHA-256 (RFC 5802/7677), daemon side, without channel binding: client-first, server-first (the user's salt
 * and iterations, and a nonce), client-final with the proof, server-final with the daemon's signature or
 * {@code e=invalid-proof}. An unknown user gets a made-up salt derived from its name and a proof that can never
 * match, so the exchange looks the same as for a known user with a wrong password.
 */
final class ScramExchange extends ServerExchange {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Per daemon run: the made-up salts of unknown users stay the same between attempts. */
    private static final byte[] FAKE_SALT_KEY = new byte[32];

    static {
        RANDOM.nextBytes(FAKE_SALT_KEY);
    }

    private enum State { FIRST, FINAL, DONE }

    private final SecurityPolicy policy;
    private State state = State.FIRST;
    private final byte[] lengthBytes = new byte[2];
    private byte[] message;
    private int filled;
    private String user;
    private UserFile.User entry;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private String problem;

    ScramExchange(SecurityPolicy policy) {
        this.policy = policy;
    }

    @Override
    Status feed(ByteBuffer in) {
        while (state != State.DONE) {
            String m = readMessage(in);
            if (m == null) {
                return problem != null ? refuse(problem) : Status.NEED_MORE;
            }
            Status s = state == State.FIRST ? first(m) : last(m);
            if (s != Status.NEED_MORE) {
                return s;
            }
        }
        return Status.NEED_MORE;
    }

    private String readMessage(ByteBuffer in) {
        if (message == null) {
            int take = Math.min(2 - filled, in.remaining());
            in.get(lengthBytes, filled, take);
            filled += take;
            if (filled < 2) {
                return null;
            }
            int n = AuthMessages.scramLength(lengthBytes[0], lengthBytes[1]);
            if (n < 0) {
                problem = "SCRAM message length over " + AuthMessages.SCRAM_MAX_MESSAGE_BYTES + " bytes";
                return null;
            }
            message = new byte[n];
            filled = 0;
        }
        int take = Math.min(message.length - filled, in.remaining());
        in.get(message, filled, take);
        filled += take;
        if (filled < message.length) {
            return null;
        }
        String m = new String(message, StandardCharsets.UTF_8);
        message = null;
        filled = 0;
        return m;
    }

    private Status first(String m) {
        ClientFirstMessage cf;
        try {
            cf = ClientFirstMessage.parseFrom(m);
        } catch (ScramParseException | IllegalArgumentException e) {
            return refuse("malformed SCRAM client-first message: " + e.getMessage());
        }
        if (cf.isChannelBindingRequired() || cf.getGs2Header().getAuthzid() != null) {
            return refuse("SCRAM channel binding or authzid asked for (not supported)");
        }
        user = cf.getUsername();
        clientFirstBare = m.substring(m.indexOf(',', m.indexOf(',') + 1) + 1);
        entry = policy.user(user);
        byte[] salt = entry != null ? entry.salt() : fakeSalt(user);
        int iterations = entry != null ? entry.iterations() : UserFile.DEFAULT_ITERATIONS;
        nonce = cf.getClientNonce() + ScramFunctions.nonce(24, RANDOM);
        serverFirst = new ServerFirstMessage(cf.getClientNonce(), nonce.substring(cf.getClientNonce().length()),
                Base64.getEncoder().encodeToString(salt), iterations).toString();
        reply(AuthMessages.scramMessage(serverFirst));
        state = State.FINAL;
        return Status.NEED_MORE;
    }

    private Status last(String m) {
        state = State.DONE;
        int p = m.lastIndexOf(",p=");
        if (p < 0 || !m.startsWith("c=biws,r=")) {
            return refuse("malformed SCRAM client-final message");
        }
        String withoutProof = m.substring(0, p);
        if (!withoutProof.equals("c=biws,r=" + nonce)) {
            return refuse("SCRAM nonce or channel-binding field does not match");
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(m.substring(p + 3));
        } catch (IllegalArgumentException e) {
            return refuse("SCRAM proof is not base64");
        }
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        if (entry == null || proof.length != 32
                || !ScramFunctions.verifyClientProof(UserFile.MECHANISM, proof, entry.storedKey(), authMessage)) {
            problem = entry == null ? "unknown user" : "wrong password";
            reply(AuthMessages.scramMessage("e=invalid-proof"));
            return Status.REFUSED;
        }
        byte[] signature = ScramFunctions.serverSignature(UserFile.MECHANISM, entry.serverKey(), authMessage);
        reply(AuthMessages.scramMessage("v=" + Base64.getEncoder().encodeToString(signature)));
        return Status.ACCEPTED;
    }

    private Status refuse(String why) {
        state = State.DONE;
        problem = why;
        return Status.REFUSED;
    }

    private static byte[] fakeSalt(String user) {
        byte[] h = ScramFunctions.hmac(UserFile.MECHANISM, FAKE_SALT_KEY, user.getBytes(StandardCharsets.UTF_8));
        return java.util.Arrays.copyOf(h, 16);
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
