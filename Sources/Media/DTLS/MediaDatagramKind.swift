/// What a datagram arriving on a media port is, by its first byte (RFC 7983 §7, updating RFC 5764 §5.1.2).
///
/// DTLS-SRTP runs the handshake on the very port that carries RTP and RTCP (and STUN, with ICE), so the relay
/// sorts each datagram before anything else looks at it:
///
///     +----------------+
///     |        [0..3] -+--> STUN
///     |      [16..19] -+--> ZRTP
///     |      [20..63] -+--> DTLS
///     |      [64..79] -+--> TURN channel
///     |    [128..191] -+--> RTP/RTCP
///     |          else -+--> drop
///     +----------------+
public enum MediaDatagramKind: Sendable, Hashable {
    case stun
    case zrtp
    case dtls
    case turnChannel
    /// RTP or RTCP (SRTP or SRTCP when the leg is protected); RFC 5761 §4 tells the two apart by payload type.
    case rtpOrRTCP
    /// Nothing a media port expects, including an empty datagram: drop it.
    case unknown

    public init(firstByte: UInt8) {
        switch firstByte {
        case 0...3: self = .stun
        case 16...19: self = .zrtp
        case 20...63: self = .dtls
        case 64...79: self = .turnChannel
        case 128...191: self = .rtpOrRTCP
        default: self = .unknown
        }
    }

    public init(classifying datagram: some Collection<UInt8>) {
        guard let first = datagram.first else {
            self = .unknown
            return
        }
        self.init(firstByte: first)
    }
}
