package org.spreadjms.client;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.spreadjms.client.transport.Transport;
import org.spreadjms.client.wire.Handshake;

/**
 * The client side of the connect handshake, blocking, within a deadline. The connect request goes out in one write
 * (a real daemon drops a request split across segments), and nothing is sent before the daemon's answer arrives.
 */
final class ClientHandshake {
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
        try {
            transport.write(Handshake.connectRequest(SpreadConstants.SP_MAJOR_VERSION,
                    SpreadConstants.SP_MINOR_VERSION, SpreadConstants.SP_PATCH_VERSION, membership, priority > 0,
                    privateName), 0, 5 + privateName.length());
            int n = readByte("authentication list");
            if (n < 0 || n > 127) {
                throw reject((byte) n, "in place of the authentication list");
            }
            List<String> methods = Handshake.parseAuthList(readBytes(n, "authentication list"));
            if (!methods.contains(Handshake.NULL_METHOD)) {
                throw SpreadException.of(SpreadError.REJECT_AUTH, "daemon offers authentication methods " + methods
                        + " but this client only speaks " + Handshake.NULL_METHOD, null);
            }
            byte[] choice = Handshake.authChoice(Handshake.NULL_METHOD);
            transport.write(choice, 0, choice.length);
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
