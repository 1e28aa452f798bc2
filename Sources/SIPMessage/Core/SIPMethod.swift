/// A SIP request method. Methods are case-sensitive tokens (RFC 3261 §7.1); extension methods are carried as
/// they are, so that an element can answer 405 or 501 instead of failing to parse.
public struct SIPMethod: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { rawValue }

    public static let invite: SIPMethod = "INVITE"
    public static let ack: SIPMethod = "ACK"
    public static let bye: SIPMethod = "BYE"
    public static let cancel: SIPMethod = "CANCEL"
    public static let options: SIPMethod = "OPTIONS"
    public static let register: SIPMethod = "REGISTER"
    public static let prack: SIPMethod = "PRACK"
    public static let update: SIPMethod = "UPDATE"
    public static let info: SIPMethod = "INFO"
    public static let subscribe: SIPMethod = "SUBSCRIBE"
    public static let notify: SIPMethod = "NOTIFY"
    public static let refer: SIPMethod = "REFER"
    public static let message: SIPMethod = "MESSAGE"
    public static let publish: SIPMethod = "PUBLISH"

    /// The methods of RFC 3261 and its common extensions, which Gatehouse recognizes.
    public static let known: [SIPMethod] = [
        .invite, .ack, .bye, .cancel, .options, .register, .prack, .update, .info, .subscribe, .notify, .refer,
        .message, .publish,
    ]

    /// A method from its bytes; known methods reuse their static value.
    init(bytes: some Collection<UInt8>) {
        for method in Self.known where method.rawValue.utf8.elementsEqual(bytes) {
            self = method
            return
        }
        self.rawValue = String(sipBytes: bytes)
    }
}
