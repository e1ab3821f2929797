package org.spreadjms.jms.destination;

import java.util.Map;

import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.TemporaryQueue;

import org.spreadjms.client.wire.GroupNames;
import org.spreadjms.jms.errors.JmsErrors;

/**
 * A temporary queue: a sub-address inside the private group ({@code #name#daemon}) of the connection that created
 * it. Messages for it are sent to that private group with the sub-address as envelope target. Its JMS name is
 * {@code <privateGroup>/<subAddress>}, so a receiver can rebuild it from a JMSReplyTo.
 */
public final class SpreadTemporaryQueue extends SpreadDestination implements TemporaryQueue {
    private static final long serialVersionUID = 1L;
    /** Longest sub-address in characters. */
    public static final int MAX_SUB_ADDRESS_LENGTH = 32;

    private final String subAddress;
    private final transient DeleteCallback onDelete;

    /**
     * @param ownerPrivateGroup the creating connection's private group {@code #name#daemon}
     * @param subAddress        1..32 characters {@code '$'..'~'} other than {@code '/'}
     * @param onDelete          what {@link #delete()} does, or null if this connection does not own it
     */
    public SpreadTemporaryQueue(String ownerPrivateGroup, String subAddress, DeleteCallback onDelete)
            throws InvalidDestinationException {
        super(checkedName(ownerPrivateGroup, subAddress), ownerPrivateGroup, Map.of());
        this.subAddress = subAddress;
        this.onDelete = onDelete;
    }

    /** Rebuilds a (not owned) temporary queue from its name {@code <privateGroup>/<subAddress>}. */
    public static SpreadTemporaryQueue fromName(String name) throws InvalidDestinationException {
        int slash = name == null ? -1 : name.lastIndexOf('/');
        if (slash < 0) {
            throw JmsErrors.invalidDestination("temporary queue name '" + name + "' is not of the form"
                    + " #name#daemon/subAddress", null);
        }
        return new SpreadTemporaryQueue(name.substring(0, slash), name.substring(slash + 1), null);
    }

    private static String checkedName(String ownerPrivateGroup, String subAddress)
            throws InvalidDestinationException {
        DestinationNames.checkPrivateGroupName(ownerPrivateGroup);
        if (subAddress == null || subAddress.isEmpty() || subAddress.length() > MAX_SUB_ADDRESS_LENGTH) {
            throw JmsErrors.invalidDestination("temporary queue sub-address '" + subAddress + "' must have 1.."
                    + MAX_SUB_ADDRESS_LENGTH + " characters", null);
        }
        for (int i = 0; i < subAddress.length(); i++) {
            char c = subAddress.charAt(i);
            if (!GroupNames.isLegalNameByte(c) || c == '/') {
                throw JmsErrors.invalidDestination("temporary queue sub-address '" + subAddress + "' has an illegal"
                        + " character at index " + i + " (only '$' through '~' except '/' allowed)", null);
            }
        }
        return ownerPrivateGroup + "/" + subAddress;
    }

    @Override
    public Kind kind() {
        return Kind.TEMPORARY_QUEUE;
    }

    @Override
    public String getQueueName() {
        return getName();
    }

    /** The creating connection's private group (the same as {@link #spreadGroup()}). */
    public String ownerPrivateGroup() {
        return spreadGroup();
    }

    /** The sub-address inside the owner's private group. */
    public String subAddress() {
        return subAddress;
    }

    /** Whether this instance was created by a connection (and so can be deleted through it). */
    public boolean isOwned() {
        return onDelete != null;
    }

    /**
     * Runs the creating connection's delete callback.
     *
     * @throws IllegalStateException if this instance has no callback (it was received, not created here)
     */
    @Override
    public void delete() throws JMSException {
        if (onDelete == null) {
            throw new IllegalStateException("temporary queue " + this + " can only be deleted through the"
                    + " connection that created it");
        }
        onDelete.delete();
    }
}
