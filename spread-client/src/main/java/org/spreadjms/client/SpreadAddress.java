package org.spreadjms.client;

/**
 * Where a daemon listens. Parses Spread's own forms {@code "4803"} and {@code "4803@host"}, and also
 * {@code "host:port"} and {@code "host"} (default port 4803).
 *
 * <p>As in the C library, a bare port means the local daemon through its UNIX-domain socket {@code /tmp/<port>}
 * ({@link #local()} is true); this client falls back to TCP on 127.0.0.1 when that socket file does not exist (the
 * embedded daemon has none).
 *
 * @param local whether the daemon was named by port alone
 */
public record SpreadAddress(String host, int port, boolean local) {
    /** A TCP address. */
    public SpreadAddress(String host, int port) {
        this(host, port, false);
    }

    public static final String DEFAULT_HOST = "127.0.0.1";

    public SpreadAddress {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("daemon host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("daemon port " + port + " is outside 1..65535");
        }
    }

    /**
     * Parses a daemon address.
     *
     * @throws SpreadException with {@link SpreadError#ILLEGAL_SPREAD} if the text is not an address
     */
    public static SpreadAddress parse(String text) throws SpreadException {
        if (text == null || text.isBlank()) {
            return new SpreadAddress(DEFAULT_HOST, SpreadConstants.DEFAULT_SPREAD_PORT);
        }
        String s = text.trim();
        try {
            int at = s.indexOf('@');
            if (at >= 0) {
                return new SpreadAddress(s.substring(at + 1), Integer.parseInt(s.substring(0, at)));
            }
            if (s.chars().allMatch(Character::isDigit)) {
                return new SpreadAddress(DEFAULT_HOST, Integer.parseInt(s), true);
            }
            int colon = s.lastIndexOf(':');
            if (colon > 0 && s.indexOf(':') == colon) {
                return new SpreadAddress(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
            }
            return new SpreadAddress(s, SpreadConstants.DEFAULT_SPREAD_PORT);
        } catch (IllegalArgumentException e) {
            throw new SpreadException.IllegalRequestException(SpreadError.ILLEGAL_SPREAD,
                    "daemon address '" + text + "' is not of the form port, port@host or host:port ("
                            + e.getMessage() + ")", e);
        }
    }

    @Override
    public String toString() {
        return local ? Integer.toString(port) : port + "@" + host;
    }
}
