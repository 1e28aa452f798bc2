import GatehousePolicy
import SIPMessage

/// Who sent a message to whom, how, and when, as the capture shows it.
public struct CapturedFlow: Hashable, Sendable {
    public var source: IPAddress
    public var sourcePort: Int
    public var destination: IPAddress
    public var destinationPort: Int
    /// `.udp` or `.tcp` (a capture cannot see inside TLS).
    public var transport: SIPTransport

    public init(
        source: IPAddress, sourcePort: Int, destination: IPAddress, destinationPort: Int, transport: SIPTransport
    ) {
        self.source = source
        self.sourcePort = sourcePort
        self.destination = destination
        self.destinationPort = destinationPort
        self.transport = transport
    }
}

/// What the capture yields for the SIP layer: a message's bytes (a UDP payload, or a frame cut from a TCP stream),
/// or a TCP stream whose framing failed (the live transport would answer if it could and close the connection).
public struct CapturedMessage: Sendable {
    public enum Content: Sendable {
        case message([UInt8])
        case framingFailed(SIPParseError)
    }

    /// Nanoseconds since the Unix epoch: the timestamp of the packet that completed the message.
    public var timestamp: Int64
    public var flow: CapturedFlow
    public var content: Content

    public init(timestamp: Int64, flow: CapturedFlow, content: Content) {
        self.timestamp = timestamp
        self.flow = flow
        self.content = content
    }
}

/// What the decoder saw besides SIP: the packets it skipped and why, the reassembly it did.
public struct CaptureStatistics: Sendable, Hashable {
    public var packets = 0
    /// Packets not decoded down to UDP or TCP, by `PacketDecodeError.Code`.
    public var undecoded: [String: Int] = [:]
    /// UDP or TCP packets not between SIP ports and not looking like SIP (RTP, DNS…).
    public var notSIP = 0
    /// CRLF keep-alives (RFC 5626 §3.5.1), on UDP or TCP.
    public var keepAlives = 0
    public var fragments = 0
    public var datagramsReassembled = 0
    /// Fragmented datagrams never completed (timed out, too large, evicted).
    public var datagramsAbandoned = 0
    /// TCP holes the capture never filled: framing restarted after each.
    public var tcpGaps = 0
    /// TCP directions forgotten before they ended (idle too long, or too many at once).
    public var tcpFlowsEvicted = 0

    public init() {}
}
