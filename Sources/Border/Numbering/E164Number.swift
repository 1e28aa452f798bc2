/// A number in international E.164 form: a country code and a national significant number, 7 to 15 digits in all.
///
/// Everything past normalization speaks this type, so validation, ENUM and routing never see national or dialled
/// forms. `digits` holds no `+`; `description` is the `+CC…` form that tel URIs, ENUM's AUS (RFC 6116 §2.1) and the
/// policy's prefixes use.
///
/// Length: ITU-T E.164 §6 caps a number at 15 digits and sets no floor; the shortest numbers in service are seven
/// digits (Niue +683 and Tokelau +690 have four-digit national numbers), so 7 is the structural minimum here.
/// Per-country minimums belong to `NumberValidation`.
public struct E164Number: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The digits, country code first, without `+`.
    public let digits: String
    /// How many leading digits are the country code: 1, 2 or 3.
    public let countryCodeLength: Int

    /// The fewest digits an E.164 number has in service.
    public static let minimumLength = 7
    /// E.164 §6: at most 15 digits, country code included.
    public static let maximumLength = 15

    /// A number from its digits (no `+`, no separators).
    ///
    /// - Throws: `.notANumber` for anything but ASCII digits, `.tooShort`, `.tooLong`, `.unknownCountryCode` when
    ///   no assigned country code starts the digits (this also refuses a leading 0).
    public init(digits: String) throws(NumberingError) {
        guard !digits.isEmpty, digits.utf8.allSatisfy(Self.isDigit) else {
            throw NumberingError(.notANumber, "an E.164 number is digits only: '\(digits)'")
        }
        guard let length = CountryCodes.prefixLength(of: digits) else {
            throw NumberingError(.unknownCountryCode, "+\(digits) starts with no assigned country code")
        }
        guard digits.utf8.count >= Self.minimumLength else {
            throw NumberingError(.tooShort, "+\(digits) has fewer than \(Self.minimumLength) digits")
        }
        guard digits.utf8.count <= Self.maximumLength else {
            throw NumberingError(.tooLong, "+\(digits) has more than \(Self.maximumLength) digits")
        }
        self.digits = digits
        self.countryCodeLength = length
    }

    /// A number written `+CC…`, with RFC 3966 visual separators (`-`, `.`, `(`, `)`) and spaces allowed.
    ///
    /// - Throws: `.notANumber` without the `+`, and the codes of `init(digits:)`.
    public init(parsing text: String) throws(NumberingError) {
        guard text.utf8.first == UInt8(ascii: "+") else {
            throw NumberingError(.notANumber, "a global number starts with '+': '\(text)'")
        }
        try self.init(digits: Self.removingSeparators(String(decoding: text.utf8.dropFirst(), as: UTF8.self)))
    }

    /// The country code as a number: 1, 44, 882.
    public var countryCode: Int { Int(countryCodeDigits) ?? 0 }

    /// The country code's digits.
    public var countryCodeDigits: String { String(decoding: digits.utf8.prefix(countryCodeLength), as: UTF8.self) }

    /// The national significant number: the digits after the country code.
    public var nationalSignificantNumber: String {
        String(decoding: digits.utf8.dropFirst(countryCodeLength), as: UTF8.self)
    }

    /// `+` and the digits: the form of tel URIs, of ENUM's AUS, and of logs.
    public var description: String { "+" + digits }

    /// Whether the digits (without `+`) start with `prefix` (with or without `+`).
    public func hasPrefix(_ prefix: String) -> Bool {
        let bare =
            prefix.utf8.first == UInt8(ascii: "+") ? String(decoding: prefix.utf8.dropFirst(), as: UTF8.self) : prefix
        return digits.utf8.starts(with: bare.utf8)
    }

    public static func < (lhs: E164Number, rhs: E164Number) -> Bool { lhs.digits < rhs.digits }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// RFC 3966 visual separators and the space people type: `-`, `.`, `(`, `)`, ` `.
    static func isSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "(")
            || byte == UInt8(ascii: ")") || byte == UInt8(ascii: " ")
    }

    /// `text` without visual separators; the same `String`, not a copy, when it has none (the usual case).
    static func removingSeparators(_ text: String) -> String {
        guard text.utf8.contains(where: isSeparator) else { return text }
        return String(decoding: text.utf8.filter { !isSeparator($0) }, as: UTF8.self)
    }
}
