package org.spreadjms.bench;

/** A system refused what a workload needs (spread-jms without durable subscriptions, say): reported, not failed. */
final class UnsupportedWorkloadException extends Exception {
    UnsupportedWorkloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
