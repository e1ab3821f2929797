package org.spreadjms.client;

/**
 * A failed Spread operation, carrying Spread's error code. Subclasses group the codes by what a caller does about
 * them; {@link #error()} always tells the exact code.
 */
public class SpreadException extends Exception {
    private final SpreadError error;

    public SpreadException(SpreadError error, String message) {
        super(message);
        this.error = error;
    }

    public SpreadException(SpreadError error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    /** The Spread error. */
    public SpreadError error() {
        return error;
    }

    /** The numeric Spread error code (negative, as in the C API). */
    public int code() {
        return error.code();
    }

    /** Creates the exception type that fits the error. */
    public static SpreadException of(SpreadError error, String message, Throwable cause) {
        return switch (error) {
            case REJECT_AUTH -> new AuthenticationException(message, cause);
            case REJECT_QUOTA, REJECT_NO_NAME, REJECT_ILLEGAL_NAME, REJECT_NOT_UNIQUE, REJECT_VERSION ->
                    new ConnectionRejectedException(error, message, cause);
            case CONNECTION_CLOSED, NET_ERROR_ON_SESSION, COULD_NOT_CONNECT, ILLEGAL_SESSION ->
                    new ConnectionClosedException(error, message, cause);
            case ILLEGAL_GROUP, ILLEGAL_SERVICE, ILLEGAL_MESSAGE, MESSAGE_TOO_LONG, ILLEGAL_SPREAD, BUFFER_TOO_SHORT,
                    GROUPS_TOO_SHORT -> new IllegalRequestException(error, message, cause);
        };
    }

    /**
     * A new exception of the same type, code and message with this one as its cause: given to each caller that is
     * released by one failure, so each gets its own stack trace.
     */
    public SpreadException forCaller() {
        if (this instanceof ConnectionClosedException) {
            return new ConnectionClosedException(error, getMessage(), this);
        }
        if (this instanceof AuthenticationException) {
            return new AuthenticationException(getMessage(), this);
        }
        if (this instanceof AccessRefusedException a) {
            return new AccessRefusedException(getMessage(), a.groups(), this);
        }
        if (this instanceof ConnectionRejectedException) {
            return new ConnectionRejectedException(error, getMessage(), this);
        }
        if (this instanceof IllegalRequestException) {
            return new IllegalRequestException(error, getMessage(), this);
        }
        return new SpreadException(error, getMessage(), this);
    }

    @Override
    public String toString() {
        return getClass().getName() + " [" + error + " " + error.code() + "]: " + getMessage();
    }

    /** The daemon refused the connection during the handshake (one of the REJECT_* codes). */
    public static class ConnectionRejectedException extends SpreadException {
        public ConnectionRejectedException(SpreadError error, String message, Throwable cause) {
            super(error, message, cause);
        }
    }

    /**
     * The daemon refused the credentials (or the connection needs credentials the caller did not give), or it could
     * not prove that it knows the user (SCRAM). Always {@link SpreadError#REJECT_AUTH}.
     */
    public static final class AuthenticationException extends ConnectionRejectedException {
        public AuthenticationException(String message, Throwable cause) {
            super(SpreadError.REJECT_AUTH, message, cause);
        }
    }

    /**
     * The daemon's access control refused a join or a message (Spread's REJECT_MESS). The connection stays usable.
     * {@link #groups()} are the groups the refused request named.
     */
    public static final class AccessRefusedException extends SpreadException {
        private final java.util.List<String> groups;

        public AccessRefusedException(String message, java.util.List<String> groups, Throwable cause) {
            super(SpreadError.REJECT_AUTH, message, cause);
            this.groups = java.util.List.copyOf(groups);
        }

        public java.util.List<String> groups() {
            return groups;
        }
    }

    /** The connection is gone, or could not be made; the connection object is unusable. */
    public static final class ConnectionClosedException extends SpreadException {
        public ConnectionClosedException(SpreadError error, String message, Throwable cause) {
            super(error, message, cause);
        }
    }

    /**
     * A request was refused before any byte was sent: illegal group or private name, service type, size or address.
     * The connection is still usable.
     */
    public static final class IllegalRequestException extends SpreadException {
        public IllegalRequestException(SpreadError error, String message, Throwable cause) {
            super(error, message, cause);
        }
    }
}
