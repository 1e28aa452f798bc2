import SIPMessage

/// Why a number was refused or an ENUM answer could not be used, and what the SBC answers.
///
/// The shape of `SIPParseError` (STYLE.md rule 4): a `code` for tests and counters, the `status` sent back, a
/// `detail` for the log line. Each code has a default status; the policy may pick another per code
/// (`NumberValidation.statuses`), so a carrier that wants 604 instead of 404 for unknown ranges says so in YAML.
public struct NumberingError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    public var code: Code
    public var status: SIPStatus
    /// What was wrong, for the log line, the trace and a refusal's reason; written when first read. A From that a
    /// PBX's plan cannot read (an extension) fails normalization on every call and travels on as it came, so its
    /// text is usually never wanted.
    public var detail: String {
        get { describe() }
        set { describe = { newValue } }
    }
    private var describe: @Sendable () -> String

    /// An error with the code's default status unless `status` is given.
    public init(_ code: Code, status: SIPStatus? = nil, _ detail: @escaping @autoclosure @Sendable () -> String) {
        self.code = code
        self.status = status ?? code.defaultStatus
        self.describe = detail
    }

    public var description: String { "\(code.rawValue) (\(status.code)): \(detail)" }

    public static func == (lhs: NumberingError, rhs: NumberingError) -> Bool {
        lhs.code == rhs.code && lhs.status == rhs.status && lhs.detail == rhs.detail
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(status)
        hasher.combine(detail)
    }

    /// The same error answered with `status` instead.
    public func answered(with status: SIPStatus) -> NumberingError {
        var copy = self
        copy.status = status
        return copy
    }
}

extension NumberingError.Code {
    // Normalization
    /// The user part is not a telephone number: letters, `*`, `#`, or nothing left after cleanup.
    public static let notANumber = Self(rawValue: "not-a-number")
    /// Fewer digits than the plan or the country allows: the caller may still be dialling (484).
    public static let tooShort = Self(rawValue: "number-too-short")
    /// More digits than the plan, the country or E.164's 15 allow.
    public static let tooLong = Self(rawValue: "number-too-long")
    /// The digits start with no assigned ITU-T E.164 country code: no such number anywhere (604).
    public static let unknownCountryCode = Self(rawValue: "unknown-country-code")
    /// A local number whose `phone-context` the peer's plan cannot resolve to a global number.
    public static let unresolvableContext = Self(rawValue: "unresolvable-phone-context")

    // Validation
    /// The country code is not in the peer's allowed list (403).
    public static let countryNotAllowed = Self(rawValue: "country-not-allowed")
    /// The number falls in a blocked range: premium rate, a fraud range (403).
    public static let blockedPrefix = Self(rawValue: "blocked-prefix")

    // ENUM
    /// A NAPTR regexp is not a valid substitution expression, or uses ERE syntax the matcher does not support.
    public static let enumBadRegexp = Self(rawValue: "enum-bad-regexp")
    /// A NAPTR regexp needed more matching steps than the cap (a catastrophic pattern, or a hostile zone).
    public static let enumRegexpTooComplex = Self(rawValue: "enum-regexp-too-complex")
    /// The regexp's result is not a URI the service can use.
    public static let enumBadTarget = Self(rawValue: "enum-bad-target")
    /// No NAPTR record (nor the static table) gives a route for the number.
    public static let enumNoMatch = Self(rawValue: "enum-no-match")
    /// A static ENUM table entry is malformed or repeats another.
    public static let badTableEntry = Self(rawValue: "bad-enum-table-entry")

    /// The status answered unless the policy picks another.
    public var defaultStatus: SIPStatus {
        switch self {
        case .tooShort: .addressIncomplete
        case .unknownCountryCode: .doesNotExistAnywhere
        case .countryNotAllowed, .blockedPrefix: .forbidden
        case .badTableEntry: .serverInternalError
        default: .notFound
        }
    }
}
