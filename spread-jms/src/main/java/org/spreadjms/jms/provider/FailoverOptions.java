package org.spreadjms.jms.provider;

/**
 * Reconnection settings, the {@code failover.*} URI options.
 *
 * @param maxAttempts        reconnect attempts before giving up; -1 for no limit
 * @param initialDelayMillis wait after the first failed attempt
 * @param maxDelayMillis     longest wait between attempts
 * @param backOffMultiplier  growth of the wait after each failed attempt
 * @param sendTimeoutMillis  how long a send waits for a reconnection before failing
 */
public record FailoverOptions(int maxAttempts, long initialDelayMillis, long maxDelayMillis, double backOffMultiplier,
                              long sendTimeoutMillis) {
    public static final FailoverOptions DEFAULTS = new FailoverOptions(-1, 100, 5000, 2.0, 30_000);

    public FailoverOptions {
        if (initialDelayMillis < 1 || maxDelayMillis < initialDelayMillis || backOffMultiplier < 1.0
                || sendTimeoutMillis < 1 || maxAttempts < -1 || maxAttempts == 0) {
            throw new IllegalArgumentException("failover options out of range: maxReconnectAttempts " + maxAttempts
                    + " (-1 or >= 1), initialReconnectDelay " + initialDelayMillis + " (>= 1), maxReconnectDelay "
                    + maxDelayMillis + " (>= initial), reconnectBackOffMultiplier " + backOffMultiplier
                    + " (>= 1), sendTimeout " + sendTimeoutMillis + " (>= 1)");
        }
    }
}
