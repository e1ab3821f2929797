package org.spreadjms.jms.destination;

import java.util.Map;

import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.TemporaryTopic;

import org.spreadjms.jms.errors.JmsErrors;


/**
 * A temporary topic: a uniquely named Spread group ({@link DestinationNames#newTemporaryTopicGroup()}) that lives as
 * long as the connection that created it. Its JMS name is the group name.
 */
public final class SpreadTemporaryTopic extends SpreadDestination implements TemporaryTopic {
    private static final long serialVersionUID = 1L;

    private final String ownerPrivateGroup;
    private final String subAddress;
    private final transient DeleteCallback onDelete;

    /**
     * @param group             the Spread group (a legal group name)
     * @param ownerPrivateGroup the creating connection's private group, or null if not known (received in a message)
     * @param subAddress        the creator's sub-address for this destination, or null
     * @param onDelete          what {@link #delete()} does, or null if this connection does not own it
     */
    public SpreadTemporaryTopic(String group, String ownerPrivateGroup, String subAddress, DeleteCallback onDelete)
            throws InvalidDestinationException {
        super(checkGroup(group), group, Map.of());
        this.ownerPrivateGroup = ownerPrivateGroup;
        this.subAddress = subAddress;
        this.onDelete = onDelete;
    }

    /** A new temporary topic with a freshly generated unique group. */
    public static SpreadTemporaryTopic create(String ownerPrivateGroup, String subAddress, DeleteCallback onDelete) {
        try {
            return new SpreadTemporaryTopic(DestinationNames.newTemporaryTopicGroup(), ownerPrivateGroup, subAddress,
                    onDelete);
        } catch (InvalidDestinationException e) {
            throw new java.lang.IllegalStateException("generated temporary topic group is not legal", e);
        }
    }

    private static String checkGroup(String group) throws InvalidDestinationException {
        if (!DestinationNames.isLegalGroupName(group)) {
            throw JmsErrors.invalidDestination("temporary topic group '" + group + "' is not a legal Spread group"
                    + " name (1..31 characters '$'..'~', not starting with a digit or '#')", null);
        }
        return group;
    }

    @Override
    public Kind kind() {
        return Kind.TEMPORARY_TOPIC;
    }

    @Override
    public String getTopicName() {
        return getName();
    }

    /** The creating connection's private group, or null if not known. */
    public String ownerPrivateGroup() {
        return ownerPrivateGroup;
    }

    /** The creator's sub-address for this topic, or null if not known. */
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
            throw new IllegalStateException("temporary topic " + this + " can only be deleted through the"
                    + " connection that created it");
        }
        onDelete.delete();
    }
}
