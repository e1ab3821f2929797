package org.spreadjms.store.log;

/**
 * A store operation failed. {@link #kind()} says why; once a log has failed with {@link Kind#DISK_FULL},
 * {@link Kind#CORRUPT} or {@link Kind#IO} it refuses every later write with the same cause, so nothing that was not
 * written is ever acknowledged.
 */
public final class StoreException extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** The disk (or the file system holding the data directory) is full. */
        DISK_FULL,
        /** A data file does not hold what the engine wrote (checksum or format error). */
        CORRUPT,
        /** Any other I/O error of the engine. */
        IO,
        /** The log is closed. */
        CLOSED
    }

    private final Kind kind;

    public StoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
