import SDP

/// The bandwidth one RTP flow needs at the IP layer, from the codec it carries (TS 29.213 §6.4.1 derives Rx/N5
/// bandwidth the same way: codec rate plus packet overhead).
///
///     bitrate = codec rate + (IP + UDP + RTP header bytes) × 8 × packets per second
///     packets per second = 1000 / ptime (a=ptime, else 20 ms)
///     header bytes = 20 (IPv4) or 40 (IPv6) + 8 (UDP) + 12 (RTP)
///
/// So PCMU at 20 ms over IPv4 is 64 000 + 40 × 8 × 50 = 80 000 bit/s, G.729 8 000 + 16 000 = 24 000 bit/s.
/// A flow with `b=AS` and no codec of known rate takes the AS value, which already counts the overhead
/// (RFC 8866 §5.8).
public enum CodecBitrate {
    /// Auxiliary payloads that ride alongside a codec and need no bandwidth of their own: DTMF events (RFC 4733),
    /// comfort noise (RFC 3389), redundancy and retransmission (RFC 2198, RFC 4588), FEC (RFC 5109).
    public static let auxiliary: Set<String> = ["telephone-event", "cn", "red", "rtx", "ulpfec", "flexfec"]

    /// Codec rates in bits per second, by lower-cased encoding name; for multi-rate codecs the highest mode, since
    /// a guaranteed bit rate must hold the fastest the codec may send.
    static let fixedRates: [String: Int] = [
        "pcmu": 64_000, "pcma": 64_000, "g722": 64_000, "g729": 8_000, "g729a": 8_000, "g728": 16_000,
        "g726-32": 32_000, "gsm": 13_200, "g723": 6_300, "amr": 12_200, "amr-wb": 23_850, "speex": 24_600,
    ]

    /// The encoding names of the static payload types (RFC 3551 table 4) that SDP need not `a=rtpmap`.
    static let staticNames: [UInt8: String] = [
        0: "PCMU", 3: "GSM", 4: "G723", 8: "PCMA", 9: "G722", 13: "CN", 15: "G728", 18: "G729",
    ]

    /// The encoding name of `format` on `media`: its `a=rtpmap`, else the static assignment, else the format as
    /// written (non-RTP formats such as `t38`).
    public static func encodingName(of format: String, in media: MediaDescription) -> String {
        guard let payloadType = UInt8(format) else { return format }
        return media.rtpmap(for: payloadType)?.encodingName ?? staticNames[payloadType] ?? format
    }

    /// The codec's own rate (before packet overhead), or nil when neither the table nor its `fmtp` fixes one.
    static func codecRate(of format: String, in media: MediaDescription) -> Int? {
        let name = encodingName(of: format, in: media).lowercased()
        if auxiliary.contains(name) { return 0 }
        if name == "opus", let text = media.fmtp(for: format)?["maxaveragebitrate"], let rate = Int(text) {
            return rate
        }
        if name == "ilbc" {
            // RFC 3952: 30 ms frames run at 13.33 kbit/s, 20 ms frames at 15.2 kbit/s.
            return media.fmtp(for: format)?["mode"] == "30" ? 13_330 : 15_200
        }
        return fixedRates[name]
    }

    /// The IP-layer bit rate of `format` on `media`; `variableRate` stands in for a codec whose rate is not fixed.
    public static func bitrate(
        of format: String, in media: MediaDescription, isIPv6: Bool, variableRate: Int
    ) -> Int {
        let codec = codecRate(of: format, in: media)
        if codec == 0 { return 0 }
        if codec == nil, let total = media.bandwidths.first(where: { $0.type == Bandwidth.applicationSpecific }) {
            return total.value * 1_000
        }
        let ptime = max(1, media.attributes.ptime ?? 20)
        let headerBytes = (isIPv6 ? 40 : 20) + 8 + 12
        return (codec ?? variableRate) + headerBytes * 8 * 1_000 / ptime
    }
}
