package org.spreadjms.client;

/** Spread's error codes (the negative return values of the C API), each with its wire value. */
public enum SpreadError {
    ILLEGAL_SPREAD(SpreadConstants.ILLEGAL_SPREAD, "bad daemon address"),
    COULD_NOT_CONNECT(SpreadConstants.COULD_NOT_CONNECT, "could not connect to the daemon"),
    REJECT_QUOTA(SpreadConstants.REJECT_QUOTA, "the daemon has its maximum number of sessions"),
    REJECT_NO_NAME(SpreadConstants.REJECT_NO_NAME, "the daemon did not receive the private name"),
    REJECT_ILLEGAL_NAME(SpreadConstants.REJECT_ILLEGAL_NAME, "illegal private name"),
    REJECT_NOT_UNIQUE(SpreadConstants.REJECT_NOT_UNIQUE, "private name already in use on this daemon"),
    REJECT_VERSION(SpreadConstants.REJECT_VERSION, "incompatible protocol version"),
    CONNECTION_CLOSED(SpreadConstants.CONNECTION_CLOSED, "connection closed"),
    REJECT_AUTH(SpreadConstants.REJECT_AUTH, "authentication refused"),
    ILLEGAL_SESSION(SpreadConstants.ILLEGAL_SESSION, "illegal session"),
    ILLEGAL_SERVICE(SpreadConstants.ILLEGAL_SERVICE, "illegal service type"),
    ILLEGAL_MESSAGE(SpreadConstants.ILLEGAL_MESSAGE, "illegal message"),
    ILLEGAL_GROUP(SpreadConstants.ILLEGAL_GROUP, "illegal group name"),
    BUFFER_TOO_SHORT(SpreadConstants.BUFFER_TOO_SHORT, "buffer too short"),
    GROUPS_TOO_SHORT(SpreadConstants.GROUPS_TOO_SHORT, "groups array too short"),
    MESSAGE_TOO_LONG(SpreadConstants.MESSAGE_TOO_LONG, "message too long"),
    NET_ERROR_ON_SESSION(SpreadConstants.NET_ERROR_ON_SESSION, "network error on session");

    private final int code;
    private final String description;

    SpreadError(int code, String description) {
        this.code = code;
        this.description = description;
    }

    public int code() {
        return code;
    }

    public String description() {
        return description;
    }

    /** The error for a code, or {@code null} for a code Spread does not define. */
    public static SpreadError fromCode(int code) {
        for (SpreadError e : values()) {
            if (e.code == code) {
                return e;
            }
        }
        return null;
    }
}
