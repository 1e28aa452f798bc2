/// `o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>` (RFC 8866 §5.2).
///
/// The numbers are kept as the digit strings they arrived as: session ids are often NTP timestamps wider than
/// 64 bits, and keeping the text makes a round trip byte-identical. An anchoring SBC that rewrites a description
/// must raise the version (RFC 3264 §8), which `incrementVersion()` does on the digits.
public struct Origin: Hashable, Sendable {
    public var username: String
    /// Not checked for digits: some user agents put other tokens here and nothing depends on its value.
    public var sessionID: String
    /// One or more digits; the parser rejects anything else because offer/answer compares and increments it.
    public var sessionVersion: String
    public var networkType: NetworkType
    public var addressType: AddressType
    public var address: String

    public init(
        username: String = "-",
        sessionID: String,
        sessionVersion: String,
        networkType: NetworkType = .internet,
        addressType: AddressType = .ip4,
        address: String
    ) {
        self.username = username
        self.sessionID = sessionID
        self.sessionVersion = sessionVersion
        self.networkType = networkType
        self.addressType = addressType
        self.address = address
    }

    /// Adds one to `sessionVersion` in decimal, however many digits it has (RFC 3264 §8: a changed description
    /// carries the previous version plus one).
    public mutating func incrementVersion() {
        var digits = Array(sessionVersion.utf8)
        guard !digits.isEmpty, digits.allSatisfy(Lex.isDigit) else {
            sessionVersion = "1"
            return
        }
        var index = digits.count - 1
        while true {
            if digits[index] == 0x39 {
                digits[index] = 0x30
                if index == 0 {
                    digits.insert(0x31, at: 0)
                    break
                }
                index -= 1
            } else {
                digits[index] += 1
                break
            }
        }
        sessionVersion = String(decoding: digits, as: UTF8.self)
    }

    var lineValue: String {
        "\(username) \(sessionID) \(sessionVersion) \(networkType.rawValue) \(addressType.rawValue) \(address)"
    }

    init?(fields: [String]) {
        guard fields.count == 6, let first = fields[2].utf8.first, Lex.isDigit(first),
            fields[2].utf8.allSatisfy(Lex.isDigit)
        else { return nil }
        self.init(
            username: fields[0], sessionID: fields[1], sessionVersion: fields[2],
            networkType: NetworkType(rawValue: fields[3]), addressType: AddressType(rawValue: fields[4]),
            address: fields[5])
    }
}
