package org.spreadjms.jms.provider;

import java.time.Duration;

/**
 * Reconnection settings, the {@code failover.*} URI options (their defaults and rules live in the connection
 * factory's option table).
 *
 * @param maxAttempts       reconnect attempts before giving up; -1 for no limit
 * @param initialDelay      wait after the first failed attempt
 * @param maxDelay          longest wait between attempts
 * @param backOffMultiplier growth of the wait after each failed attempt
 * @param sendTimeout       how long a send waits for a reconnection before failing
 */
public record FailoverOptions(int maxAttempts, Duration initialDelay, Duration maxDelay, double backOffMultiplier,
                              Duration sendTimeout) {
    public FailoverOptions {
        if (initialDelay.toMillis() < 1 || maxDelay.compareTo(initialDelay) < 0 || !(backOffMultiplier >= 1.0)
                || Double.isInfinite(backOffMultiplier) || sendTimeout.toMillis() < 1 || maxAttempts < -1
                || maxAttempts == 0) {
            throw new IllegalArgumentException("failover options out of range: maxReconnectAttempts " + maxAttempts
                    + " (-1 or >= 1), initialReconnectDelay " + initialDelay.toMillis() + " ms (>= 1),"
                    + " maxReconnectDelay " + maxDelay.toMillis() + " ms (>= initial), reconnectBackOffMultiplier "
                    + backOffMultiplier + " (>= 1), sendTimeout " + sendTimeout.toMillis() + " ms (>= 1)");
        }
    }
}
