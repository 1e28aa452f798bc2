/// `a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]` (RFC 8866 §6.6).
public struct RTPMap: SDPAttributeValue {
    public static let attributeName = "rtpmap"

    /// 0–127 (RFC 3550 §5.1: seven bits); dynamic types are 96–127 (RFC 3551 §3).
    public var payloadType: UInt8
    /// As written (`PCMU`, `opus`, `telephone-event`); compare case-insensitively (RFC 4855 §3).
    public var encodingName: String
    public var clockRate: UInt32
    /// The encoding parameters; for audio, the number of channels (RFC 8866 §6.6).
    public var channels: Int?

    public init(payloadType: UInt8, encodingName: String, clockRate: UInt32, channels: Int? = nil) {
        self.payloadType = payloadType
        self.encodingName = encodingName
        self.clockRate = clockRate
        self.channels = channels
    }

    public init?(attributeValue: String) {
        let fields = Lex.fields(attributeValue)
        guard fields.count == 2, let payloadType = Lex.decimal(fields[0], as: UInt8.self), payloadType <= 127
        else { return nil }
        let parts = Lex.pieces(fields[1], at: Lex.slash)
        guard parts.count == 2 || parts.count == 3, !parts[0].isEmpty,
            let clockRate = Lex.decimal(parts[1], as: UInt32.self)
        else { return nil }
        var channels: Int?
        if parts.count == 3 {
            guard let parsed = Lex.int(parts[2]) else { return nil }
            channels = parsed
        }
        self.init(payloadType: payloadType, encodingName: parts[0], clockRate: clockRate, channels: channels)
    }

    public var attributeValue: String {
        var text = "\(payloadType) \(encodingName)/\(clockRate)"
        if let channels { text += "/\(channels)" }
        return text
    }
}
