package org.spreadjms.camel;

import org.apache.camel.spi.Metadata;

/**
 * Names of the Camel headers the Spread component reads and writes. JMS headers (JMSMessageID, JMSCorrelationID, ...)
 * and JMS properties travel under their own names; the names here are the Spread-specific ones.
 */
public final class SpreadConstants {
    @Metadata(label = "consumer", description = "The private group (#name#daemon) of the connection that sent the"
            + " message.", javaType = "String")
    public static final String SPREAD_SENDER = "CamelSpreadSender";
    @Metadata(description = "The Spread group the message was sent to (consumer), or of the membership change.",
            javaType = "String")
    public static final String SPREAD_GROUPS = "CamelSpreadGroups";
    @Metadata(description = "The Spread service type: on a producer it overrides the endpoint's serviceType for this"
            + " message; on a consumer it is the endpoint's configured serviceType, if any.",
            javaType = "org.spreadjms.client.ServiceType",
            enums = "UNRELIABLE,RELIABLE,FIFO,CAUSAL,AGREED,SAFE")
    public static final String SPREAD_SERVICE_TYPE = "CamelSpreadServiceType";
    @Metadata(description = "The Spread 16-bit message type: on a raw producer it overrides the endpoint's"
            + " messageType; on a consumer it is the received message type.", javaType = "Short")
    public static final String SPREAD_MESSAGE_TYPE = "CamelSpreadMessageType";
    @Metadata(label = "producer", description = "Milliseconds to wait for the reply of this InOut exchange"
            + " (overrides requestTimeout).", javaType = "long")
    public static final String SPREAD_REQUEST_TIMEOUT = "CamelSpreadRequestTimeout";
    @Metadata(label = "consumer", description = "Membership endpoints: why the group view changed (JOIN, LEAVE,"
            + " DISCONNECT, NETWORK, TRANSITIONAL).", javaType = "String")
    public static final String SPREAD_MEMBERSHIP_REASON = "CamelSpreadMembershipReason";
    @Metadata(label = "consumer", description = "Membership endpoints: the members of the new view (private group"
            + " names).", javaType = "java.util.List<String>")
    public static final String SPREAD_MEMBERS = "CamelSpreadMembers";
    @Metadata(label = "consumer", description = "Membership endpoints: the members that caused the change.",
            javaType = "java.util.List<String>")
    public static final String SPREAD_CHANGED_MEMBERS = "CamelSpreadChangedMembers";
    @Metadata(label = "consumer", description = "Membership endpoints: the number of members of the new view.",
            javaType = "Integer")
    public static final String SPREAD_MEMBER_COUNT = "CamelSpreadMemberCount";
    @Metadata(label = "consumer", description = "Membership endpoints: the id of the new view.", javaType = "String")
    public static final String SPREAD_VIEW_ID = "CamelSpreadViewId";

    private SpreadConstants() {
    }
}
