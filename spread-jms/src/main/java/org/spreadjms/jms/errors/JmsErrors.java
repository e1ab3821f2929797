package org.spreadjms.jms.errors;

import jakarta.jms.IllegalStateException;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidClientIDRuntimeException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.InvalidSelectorRuntimeException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.JMSSecurityRuntimeException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.MessageNotWriteableRuntimeException;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.ResourceAllocationRuntimeException;
import jakarta.jms.TransactionInProgressException;
import jakarta.jms.TransactionInProgressRuntimeException;
import jakarta.jms.TransactionRolledBackException;
import jakarta.jms.TransactionRolledBackRuntimeException;

/**
 * Builds JMS exceptions with the cause set both ways ({@code initCause} and {@code setLinkedException}), and turns
 * checked ones into the runtime types the simplified API demands.
 */
public final class JmsErrors {
    private JmsErrors() {
    }

    /** Sets cause and linked exception on {@code e} and returns it. */
    public static <E extends JMSException> E withCause(E e, Throwable cause) {
        if (cause != null) {
            e.initCause(cause);
            if (cause instanceof Exception ex) {
                e.setLinkedException(ex);
            }
        }
        return e;
    }

    public static JMSException jms(String message, Throwable cause) {
        return withCause(new JMSException(message), cause);
    }

    public static IllegalStateException illegalState(String message) {
        return new IllegalStateException(message);
    }

    public static InvalidDestinationException invalidDestination(String message, Throwable cause) {
        return withCause(new InvalidDestinationException(message), cause);
    }

    /**
     * A refusal by the daemon's access control, reported for a JMS destination: the message names the destination
     * as the application knows it, never the Spread group it maps to (that stays in the cause).
     */
    public static JMSException accessRefused(String what, Object destination, JMSSecurityException cause) {
        return withCause(new JMSSecurityException("not allowed to " + what + " " + destination
                + ": refused by the Spread daemon's access control", cause.getErrorCode()), cause);
    }

    /** Wraps any throwable as a JMSException (returning it unchanged if it already is one). */
    public static JMSException toJms(Throwable t) {
        if (t instanceof JMSException j) {
            return j;
        }
        return jms(t.getMessage() != null ? t.getMessage() : t.toString(), t);
    }

    /** The runtime counterpart of a checked JMS exception, as the simplified API requires. */
    public static JMSRuntimeException toRuntime(JMSException e) {
        JMSRuntimeException r;
        if (e instanceof IllegalStateException) {
            r = new IllegalStateRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof InvalidClientIDException) {
            r = new InvalidClientIDRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof InvalidDestinationException) {
            r = new InvalidDestinationRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof InvalidSelectorException) {
            r = new InvalidSelectorRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof MessageFormatException) {
            r = new MessageFormatRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof MessageNotWriteableException) {
            r = new MessageNotWriteableRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof JMSSecurityException) {
            r = new JMSSecurityRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof ResourceAllocationException) {
            r = new ResourceAllocationRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof TransactionInProgressException) {
            r = new TransactionInProgressRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof TransactionRolledBackException) {
            r = new TransactionRolledBackRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else {
            r = new JMSRuntimeException(e.getMessage(), e.getErrorCode(), e);
        }
        return r;
    }
}
