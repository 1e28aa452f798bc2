/// What the relay needs of one realm's media settings (the policy's `media:`), without importing the policy.
public struct MediaRealmConfiguration: Sendable, Hashable {
    /// Gatehouse's media address on the realm: written into SDP, and the sockets' local address.
    public var address: String
    /// The UDP port range RTP/RTCP pairs come from.
    public var ports: ClosedRange<Int>
    /// How long a call's media may stay silent before the call is ended (default 60 s).
    public var timeout: Duration
    /// Who may teach the relay a leg's far end (default: any source, for NAT).
    public var latching: LatchingMode
    /// SDES-SRTP on legs in this realm (default off); the engine puts a peer's own setting here when it has one.
    public var srtp: SRTPSettings

    public init(
        address: String, ports: ClosedRange<Int>, timeout: Duration = .seconds(60), latching: LatchingMode = .anySource,
        srtp: SRTPSettings = SRTPSettings()
    ) {
        self.address = address
        self.ports = ports
        self.timeout = timeout
        self.latching = latching
        self.srtp = srtp
    }
}

/// Limits and sizes of the relay's sockets, with their defaults.
public struct MediaRelayConfiguration: Sendable, Hashable {
    /// Datagrams read per system call (recvmmsg): 16.
    public var readBatch: Int
    /// Bytes per datagram slot: 2048 (more than an Ethernet MTU, so nothing is truncated).
    public var datagramSlot: Int
    /// `SO_RCVBUF` of each socket: 1 MiB (the default buffer dropped most of a burst, NOTES-SWIFT).
    public var receiveBuffer: Int
    /// How often each call's silence is checked: every second.
    public var silenceCheckInterval: Duration

    public init(
        readBatch: Int = 16, datagramSlot: Int = 2048, receiveBuffer: Int = 1 << 20,
        silenceCheckInterval: Duration = .seconds(1)
    ) {
        self.readBatch = readBatch
        self.datagramSlot = datagramSlot
        self.receiveBuffer = receiveBuffer
        self.silenceCheckInterval = silenceCheckInterval
    }
}
