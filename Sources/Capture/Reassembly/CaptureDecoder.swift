import GatehousePolicy
import SIPMessage

/// Captured packets in, SIP messages out: link layer → IP (fragments reassembled) → UDP or TCP (streams put in
/// order and framed by `SIPStreamFramer`, the live transport's own framer) → the bytes of each SIP message.
///
/// Pure: no file, no clock but the packets' timestamps, so tests feed it crafted bytes. Memory is bounded by the
/// configuration: fragments in progress, TCP directions followed, bytes buffered per direction; what is evicted
/// is counted in `statistics`.
public struct CaptureDecoder {
    public struct Configuration: Sendable {
        /// Ports whose traffic is SIP; a UDP payload or TCP stream between other ports is taken for SIP only if
        /// it starts like a SIP message. Default: 5060 and 5061.
        public var sipPorts: Set<Int> = [5060, 5061]
        /// Message limits for stream framing (the policy's). Default: `SIPLimits()`.
        public var limits = SIPLimits()
        /// TCP directions followed at once. Default: 65,536.
        public var maximumTCPFlows = 65_536
        /// Out-of-order bytes buffered per TCP direction before a hole is given up. Default: 256 KiB.
        public var maximumTCPBufferedBytes = 262_144
        /// A TCP direction silent this long is forgotten. Default: 10 minutes.
        public var tcpIdleTimeout: Int64 = 600_000_000_000

        public init() {}
    }

    private struct FlowKey: Hashable {
        var source: IPAddress
        var sourcePort: Int
        var destination: IPAddress
        var destinationPort: Int
    }

    private struct TCPDirection {
        var stream: TCPStreamReassembler
        var framer: SIPStreamFramer
        var lastSeen: Int64
        /// Decided at the first data: SIP, or something else (ignored to its end).
        var isSIP: Bool?
        /// Framing failed: the live transport closes such a connection, so the rest is not SIP to it.
        var isClosed = false
    }

    public let configuration: Configuration
    public private(set) var statistics = CaptureStatistics()
    private var fragments = FragmentReassembler()
    private var flows: [FlowKey: TCPDirection] = [:]
    private var lastSweep: Int64 = .min

    public init(_ configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Decodes one packet; appends the SIP messages it completes (none, one, or several for a TCP segment) to
    /// `messages`.
    public mutating func decode(_ packet: CapturedPacket, into messages: inout [CapturedMessage]) {
        statistics.packets += 1
        sweep(at: packet.timestamp)
        do throws(PacketDecodeError) {
            let ip = try IPPacket.decode(
                packet.bytes, at: LinkLayer.ipOffset(in: packet.bytes, linkType: packet.linkType))
            guard ip.transportProtocol == IPPacket.udp || ip.transportProtocol == IPPacket.tcp else {
                throw PacketDecodeError(.notUDPOrTCP, "IP protocol \(ip.transportProtocol)")
            }
            if let fragment = ip.fragment {
                statistics.fragments += 1
                let key = FragmentReassembler.Key(
                    source: ip.source, destination: ip.destination, transportProtocol: ip.transportProtocol,
                    identification: fragment.identification)
                let datagram = fragments.add(fragment, payload: ip.payload, key: key, at: packet.timestamp)
                statistics.datagramsReassembled = fragments.reassembled
                statistics.datagramsAbandoned = fragments.abandoned
                guard let datagram else { return }
                try transport(ip, payload: datagram[...], at: packet.timestamp, into: &messages)
            } else {
                try transport(ip, payload: ip.payload, at: packet.timestamp, into: &messages)
            }
        } catch {
            statistics.undecoded[error.code.rawValue, default: 0] += 1
        }
    }

    private mutating func transport(
        _ ip: IPPacket, payload: ArraySlice<UInt8>, at timestamp: Int64, into messages: inout [CapturedMessage]
    ) throws(PacketDecodeError) {
        if ip.transportProtocol == IPPacket.udp {
            let segment = try TransportSegment.decodeUDP(payload)
            if Self.isKeepAlive(segment.payload) {
                statistics.keepAlives += 1
                return
            }
            guard isSIP(segment) else {
                statistics.notSIP += 1
                return
            }
            let flow = CapturedFlow(
                source: ip.source, sourcePort: segment.sourcePort, destination: ip.destination,
                destinationPort: segment.destinationPort, transport: .udp)
            messages.append(
                CapturedMessage(timestamp: timestamp, flow: flow, content: .message(Array(segment.payload))))
        } else {
            let segment = try TransportSegment.decodeTCP(payload)
            receiveTCP(segment, ip: ip, at: timestamp, into: &messages)
        }
    }

    private mutating func receiveTCP(
        _ segment: TransportSegment, ip: IPPacket, at timestamp: Int64, into messages: inout [CapturedMessage]
    ) {
        guard let tcp = segment.tcp else { return }
        let key = FlowKey(
            source: ip.source, sourcePort: segment.sourcePort, destination: ip.destination,
            destinationPort: segment.destinationPort)
        if tcp.isRST {
            flows.removeValue(forKey: key)
            return
        }
        var direction =
            flows[key]
            ?? TCPDirection(
                stream: TCPStreamReassembler(maximumBufferedBytes: configuration.maximumTCPBufferedBytes),
                framer: SIPStreamFramer(limits: configuration.limits), lastSeen: timestamp)
        if flows[key] == nil, flows.count >= configuration.maximumTCPFlows { evictOldestFlow() }
        direction.lastSeen = timestamp
        let delivery = direction.stream.receive(sequence: tcp.sequence, isSYN: tcp.isSYN, payload: segment.payload)
        if delivery.hadGap {
            statistics.tcpGaps += 1
            direction.framer = SIPStreamFramer(limits: configuration.limits)
            direction.isClosed = false
        }
        if direction.isSIP == nil, let first = delivery.pieces.first(where: { !$0.isEmpty }) {
            direction.isSIP = isSIP(
                TransportSegment(
                    sourcePort: segment.sourcePort, destinationPort: segment.destinationPort, payload: first, tcp: nil))
            if direction.isSIP == false { statistics.notSIP += 1 }
        }
        if direction.isSIP == true, !direction.isClosed {
            let flow = CapturedFlow(
                source: ip.source, sourcePort: segment.sourcePort, destination: ip.destination,
                destinationPort: segment.destinationPort, transport: .tcp)
            for piece in delivery.pieces { direction.framer.append(piece) }
            frames: while true {
                do throws(SIPParseError) {
                    switch try direction.framer.next() {
                    case .message(let bytes)?:
                        messages.append(CapturedMessage(timestamp: timestamp, flow: flow, content: .message(bytes)))
                    case .ping?, .pong?:
                        statistics.keepAlives += 1
                    case nil:
                        break frames
                    }
                } catch {
                    messages.append(CapturedMessage(timestamp: timestamp, flow: flow, content: .framingFailed(error)))
                    direction.isClosed = true
                    direction.framer = SIPStreamFramer(limits: configuration.limits)
                    break frames
                }
            }
        }
        if tcp.isFIN {
            flows.removeValue(forKey: key)
        } else {
            flows[key] = direction
        }
    }

    /// Whether a payload is SIP: between SIP ports, or starting like a request line or a status line.
    private func isSIP(_ segment: TransportSegment) -> Bool {
        if configuration.sipPorts.contains(segment.destinationPort)
            || configuration.sipPorts.contains(segment.sourcePort)
        {
            return true
        }
        return Self.looksLikeSIP(segment.payload)
    }

    /// `SIP/2.0 ` at the start (a response), or an upper-case token, a space, and ` SIP/2.0` ending the first line.
    static func looksLikeSIP(_ payload: ArraySlice<UInt8>) -> Bool {
        let prefix = Array("SIP/2.0 ".utf8)
        if payload.starts(with: prefix) { return true }
        guard let lineEnd = payload.prefix(512).firstIndex(of: 0x0D) else { return false }
        let line = payload[payload.startIndex..<lineEnd]
        guard let first = line.first, (0x41...0x5A).contains(first) else { return false }
        return line.count > 8 && line.suffix(8).elementsEqual(" SIP/2.0".utf8)
    }

    /// Nothing but CR and LF: a keep-alive ping or pong.
    static func isKeepAlive(_ payload: ArraySlice<UInt8>) -> Bool {
        !payload.isEmpty && payload.count <= 4 && payload.allSatisfy { $0 == 0x0D || $0 == 0x0A }
    }

    /// Housekeeping on the capture's clock, at most once per virtual second: fragments past their timeout, TCP
    /// directions idle too long.
    private mutating func sweep(at now: Int64) {
        guard now >= lastSweep &+ 1_000_000_000 || now < lastSweep else { return }
        lastSweep = now
        fragments.expire(at: now)
        statistics.datagramsAbandoned = fragments.abandoned
        let before = flows.count
        let timeout = configuration.tcpIdleTimeout
        flows = flows.filter { now - $0.value.lastSeen < timeout }
        statistics.tcpFlowsEvicted += before - flows.count
    }

    private mutating func evictOldestFlow() {
        guard let oldest = flows.min(by: { $0.value.lastSeen < $1.value.lastSeen })?.key else { return }
        flows.removeValue(forKey: oldest)
        statistics.tcpFlowsEvicted += 1
    }
}
