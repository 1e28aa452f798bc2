/// `<media>` on an `m=` line (RFC 8866 §5.14). An open set; unknown values are kept.
public struct MediaType: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let audio = Self(rawValue: "audio")
    public static let video = Self(rawValue: "video")
    public static let text = Self(rawValue: "text")
    public static let application = Self(rawValue: "application")
    public static let message = Self(rawValue: "message")
    /// T.38 fax (RFC 3362).
    public static let image = Self(rawValue: "image")
}

/// `<proto>` on an `m=` line: the transport and profile, which decides how to read the formats.
public struct TransportProtocol: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let rtpAVP = Self(rawValue: "RTP/AVP")
    public static let rtpAVPF = Self(rawValue: "RTP/AVPF")
    /// SRTP, keyed by `a=crypto` (RFC 4568) in SIP.
    public static let rtpSAVP = Self(rawValue: "RTP/SAVP")
    public static let rtpSAVPF = Self(rawValue: "RTP/SAVPF")
    /// DTLS-SRTP (RFC 5763 §5, RFC 5764 §8).
    public static let udpTLSRTPSAVP = Self(rawValue: "UDP/TLS/RTP/SAVP")
    public static let udpTLSRTPSAVPF = Self(rawValue: "UDP/TLS/RTP/SAVPF")
    public static let udp = Self(rawValue: "udp")
    /// T.38 over UDPTL.
    public static let udptl = Self(rawValue: "udptl")
    /// WebRTC data channels (RFC 8841).
    public static let udpDTLSSCTP = Self(rawValue: "UDP/DTLS/SCTP")

    private var components: [Substring] { rawValue.uppercased().split(separator: "/") }

    /// RTP of any profile: the formats are payload types.
    public var isRTP: Bool { components.contains("RTP") }
    /// SRTP (`SAVP`/`SAVPF`), whether keyed by SDES or DTLS.
    public var isSecureRTP: Bool { components.contains("SAVP") || components.contains("SAVPF") }
    /// Keyed by DTLS (a `TLS` or `DTLS` component), so `a=fingerprint`/`a=setup` apply.
    public var usesDTLS: Bool { components.contains("TLS") || components.contains("DTLS") }
    /// With RTCP feedback (`AVPF`/`SAVPF`, RFC 4585).
    public var hasFeedback: Bool { components.contains("AVPF") || components.contains("SAVPF") }
}
