package org.spreadjms.client;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import com.ongres.scram.client.ScramClient;
import com.ongres.scram.common.exception.ScramInvalidServerSignatureException;
import com.ongres.scram.common.exception.ScramParseException;
import com.ongres.scram.common.exception.ScramServerErrorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.transport.Transport;
import org.spreadjms.client.wire.AuthMessages;
import org.spreadjms.client.wire.Handshake;

/**
 * The client side of the connect handshake, blocking, within a deadline. The connect request goes out in one write
 * (a real daemon drops a request split across segments), and nothing is sent before the daemon's answer arrives.
 * After the authentication list the client picks a method (see {@link AuthMethod}) and runs it (see
 * {@link AuthMessages} for the bytes of PWORD and SCRAM-SHA-256).
 */
final class ClientHandshake {
    private static final Logger LOG = LoggerFactory.getLogger(ClientHandshake.class);
    /** What the daemon told us. */
    record Result(String privateGroup, int major, int minor, int patch, List<String> authMethods) {
        boolean extendedLimits() {
            return authMethods.contains(Handshake.EXTENDED_LIMITS_TOKEN);
        }
    }

    private final Transport transport;
    private final long deadlineNanos;

    ClientHandshake(Transport transport, long deadlineNanos) {
        this.transport = transport;
        this.deadlineNanos = deadlineNanos;
    }

    Result run(String privateName, boolean membership, int priority) throws SpreadException {
        return run(privateName, membership, priority, AuthMethod.AUTO, null, null);
    }

    Result run(SpreadOptions o) throws SpreadException {
        return run(o.privateName(), o.membershipMessages(), o.priority(), o.authMethod(), o.user(), o.password());
    }

    private Result run(String privateName, boolean membership, int priority, AuthMethod method, String user,
                       String password) throws SpreadException {
        try {
            transport.write(Handshake.connectRequest(SpreadConstants.SP_MAJOR_VERSION,
                    SpreadConstants.SP_MINOR_VERSION, SpreadConstants.SP_PATCH_VERSION, membership, priority > 0,
                    privateName), 0, 5 + privateName.length());
            int n = readByte("authentication list");
            if (n < 0 || n > 127) {
                throw reject((byte) n, "in place of the authentication list");
            }
            List<String> methods = Handshake.parseAuthList(readBytes(n, "authentication list"));
            AuthMethod chosen = choose(method, methods, user != null);
            byte[] choice = Handshake.authChoice(chosen.wireName());
            switch (chosen) {
                case PWORD -> pword(choice, user, password);
                case SCRAM_SHA_256 -> scram(choice, user, password);
                default -> transport.write(choice, 0, choice.length);
            }
            int code = (byte) readByte("accept");
            if (code != SpreadConstants.ACCEPT_SESSION) {
                throw reject((byte) code, "in place of the accept");
            }
            byte[] version = readBytes(3, "daemon version");
            int major = version[0];
            int minor = version[1];
            int patch = version[2];
            int v = major * 10000 + minor * 100 + patch;
            if (v < 30100) {
                throw SpreadException.of(SpreadError.REJECT_VERSION, "daemon version " + major + "." + minor + "."
                        + patch + " is below 3.1.0", null);
            }
            if (priority > 0 && v < 30800) {
                throw SpreadException.of(SpreadError.REJECT_VERSION, "priority needs a daemon of 3.8.0 or later, this"
                        + " one is " + major + "." + minor + "." + patch, null);
            }
            int len = readByte("private group length");
            String group = new String(readBytes(len, "private group name"), StandardCharsets.ISO_8859_1);
            return new Result(group, major, minor, patch, methods);
        } catch (SocketTimeoutException e) {
            throw SpreadException.of(SpreadError.COULD_NOT_CONNECT, "daemon " + transport.remoteAddress()
                    + " did not finish the handshake in time", e);
        } catch (EOFException e) {
            throw SpreadException.of(SpreadError.CONNECTION_CLOSED, "daemon " + transport.remoteAddress()
                    + " closed the connection during the handshake (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw SpreadException.of(SpreadError.CONNECTION_CLOSED, "handshake with daemon "
                    + transport.remoteAddress() + " failed: " + e, e);
        }
    }

    /** The method to use, from the one asked for and the daemon's list (see {@link AuthMethod#AUTO}). */
    static AuthMethod choose(AuthMethod asked, List<String> list, boolean credentials)
            throws SpreadException.AuthenticationException {
        // the list may also carry this project's capability tokens, which are not methods
        List<String> offered = list.stream().filter(m -> !m.startsWith("SPREADJMS-")).toList();
        if (asked != AuthMethod.AUTO) {
            if (!offered.contains(asked.wireName())) {
                throw new SpreadException.AuthenticationException("daemon offers authentication methods " + offered
                        + " but this client is set to use " + asked.wireName(), null);
            }
            return asked;
        }
        if (credentials) {
            for (AuthMethod m : List.of(AuthMethod.SCRAM_SHA_256, AuthMethod.PWORD, AuthMethod.NULL)) {
                if (offered.contains(m.wireName())) {
                    return m;
                }
            }
        } else if (offered.contains(Handshake.NULL_METHOD)) {
            return AuthMethod.NULL;
        }
        throw new SpreadException.AuthenticationException("daemon offers authentication methods " + offered
                + (credentials ? ", none of which this client speaks" : "; it needs a user and password"), null);
    }

    /** Spread's auth-pword: the choice and the 40 credential bytes in one write, then one response byte. */
    private void pword(byte[] choice, String user, String password) throws IOException, SpreadException {
        if (!AuthMessages.fitsPword(password)) {
            LOG.warn("PWORD carries 8 bytes of password: only the first 8 bytes of {}'s password are sent", user);
        }
        byte[] credentials = AuthMessages.pwordCredentials(user, password);
        byte[] out = new byte[choice.length + credentials.length];
        System.arraycopy(choice, 0, out, 0, choice.length);
        System.arraycopy(credentials, 0, out, choice.length, credentials.length);
        transport.write(out, 0, out.length);
        int response = readByte("PWORD response");
        if (response != AuthMessages.PWORD_ACCEPTED) {
            throw new SpreadException.AuthenticationException("daemon " + transport.remoteAddress()
                    + " refused user '" + user + "' (PWORD response " + response + ")", null);
        }
    }

    /** SCRAM-SHA-256: the choice and the client-first message in one write, then the challenge and the proof. */
    private void scram(byte[] choice, String user, String password) throws IOException, SpreadException {
        ScramClient scram = ScramClient.builder().advertisedMechanisms(List.of(AuthMessages.SCRAM_METHOD))
                .username(user).password(password.toCharArray()).build();
        byte[] first = AuthMessages.scramMessage(scram.clientFirstMessage().toString());
        byte[] out = new byte[choice.length + first.length];
        System.arraycopy(choice, 0, out, 0, choice.length);
        System.arraycopy(first, 0, out, choice.length, first.length);
        transport.write(out, 0, out.length);
        try {
            scram.serverFirstMessage(readScram("SCRAM server-first message"));
            byte[] last = AuthMessages.scramMessage(scram.clientFinalMessage().toString());
            transport.write(last, 0, last.length);
            scram.serverFinalMessage(readScram("SCRAM server-final message"));
        } catch (ScramServerErrorException e) {
            throw new SpreadException.AuthenticationException("daemon " + transport.remoteAddress()
                    + " refused user '" + user + "' (SCRAM-SHA-256: " + e.getMessage() + ")", e);
        } catch (ScramInvalidServerSignatureException e) {
            throw new SpreadException.AuthenticationException("daemon " + transport.remoteAddress()
                    + " could not prove that it knows user '" + user + "' (SCRAM server signature wrong)", e);
        } catch (ScramParseException | IllegalArgumentException | IllegalStateException e) {
            throw new SpreadException.AuthenticationException("daemon " + transport.remoteAddress()
                    + " sent a malformed SCRAM message: " + e.getMessage(), e);
        }
    }

    private String readScram(String what) throws IOException, SpreadException {
        byte first = (byte) readByte(what + " length");
        if (first < 0) {
            throw reject(first, "in place of the " + what);
        }
        byte[] len = {first, (byte) readByte(what + " length")};
        int n = AuthMessages.scramLength(len[0], len[1]);
        if (n < 0) {
            throw new SpreadException.AuthenticationException("daemon sent a " + what + " of "
                    + (((len[0] & 0xFF) << 8) | (len[1] & 0xFF)) + " bytes (at most "
                    + AuthMessages.SCRAM_MAX_MESSAGE_BYTES + " allowed)", null);
        }
        return new String(readBytes(n, what), StandardCharsets.UTF_8);
    }

    private SpreadException reject(byte code, String where) {
        SpreadError e = SpreadError.fromCode(code);
        if (e == null) {
            return SpreadException.of(SpreadError.CONNECTION_CLOSED, "daemon sent unknown code " + code + " " + where,
                    null);
        }
        return SpreadException.of(e, "daemon rejected the connection: " + e + " (" + code + "): "
                + e.description(), null);
    }

    private int readByte(String what) throws IOException {
        return readBytes(1, what)[0] & 0xFF;
    }

    private byte[] readBytes(int n, String what) throws IOException {
        byte[] b = new byte[n];
        int got = 0;
        while (got < n) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("handshake deadline passed while reading the " + what);
            }
            transport.readTimeout(Duration.ofNanos(left));
            int r = transport.read(b, got, n - got);
            if (r < 0) {
                throw new EOFException("end of stream after " + got + " of " + n + " bytes of the " + what);
            }
            got += r;
        }
        return b;
    }
}
