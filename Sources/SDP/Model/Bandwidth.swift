/// `b=<bwtype>:<bandwidth>` (RFC 8866 §5.8): `AS` and `CT` in kbit/s, `TIAS` in bit/s (RFC 3890),
/// `RS`/`RR` for RTCP (RFC 3556). Unknown types are kept.
public struct Bandwidth: Hashable, Sendable {
    public var type: String
    public var value: Int

    public init(type: String, value: Int) {
        self.type = type
        self.value = value
    }

    public static let applicationSpecific = "AS"
    public static let conferenceTotal = "CT"
    public static let transportIndependent = "TIAS"

    var lineValue: String { "\(type):\(value)" }

    init?(lineValue: some StringProtocol) {
        guard let (type, number) = Lex.splitOnce(lineValue, at: Lex.colon), !type.isEmpty,
            let value = Lex.int(number)
        else { return nil }
        self.init(type: type, value: value)
    }
}
