import SIPMessage

/// Which E.164 numbers a peer may reach (or present): allowed countries, national lengths per country, blocked
/// ranges, and the status each refusal is answered with.
///
/// Checks run in a fixed order so that `explain` gives one stable reason: country first (a number to a country the
/// peer may not call is refused as such, whatever else is wrong), then blocked ranges (fraud and premium ranges are
/// refused with 403 even when incomplete, so that probing digit by digit learns nothing), then length.
/// An empty rule set allows every structurally valid E.164 number.
public struct NumberValidation: Hashable, Sendable {
    /// The country codes allowed; nil allows all.
    public var allowedCountryCodes: Set<Int>?
    /// National significant number lengths per country code: `[1: 10...10, 44: 9...10]`. Countries not listed are
    /// held to E.164's overall limits only.
    public var nationalLengths: [Int: ClosedRange<Int>]
    /// Ranges refused with `.blockedPrefix`, as E.164 prefixes with or without `+`: `+1900`, `+449`, `+882`.
    public var blockedPrefixes: [String]
    /// The status the policy answers a code with, instead of its default (`NumberingError.Code.defaultStatus`).
    public var statuses: [NumberingError.Code: SIPStatus]

    public init(
        allowedCountryCodes: Set<Int>? = nil, nationalLengths: [Int: ClosedRange<Int>] = [:],
        blockedPrefixes: [String] = [], statuses: [NumberingError.Code: SIPStatus] = [:]
    ) {
        self.allowedCountryCodes = allowedCountryCodes
        self.nationalLengths = nationalLengths
        self.blockedPrefixes = blockedPrefixes
        self.statuses = statuses
    }

    /// The number unchanged when every rule allows it, or the first refusal with the status the policy picked.
    public func validate(_ number: E164Number) -> Result<E164Number, NumberingError> {
        Result { () throws(NumberingError) in
            try check(number)
            return number
        }
    }

    /// `validate(_:)` as a throwing function.
    public func check(_ number: E164Number) throws(NumberingError) {
        if let allowedCountryCodes, !allowedCountryCodes.contains(number.countryCode) {
            throw refusal(.countryNotAllowed, "\(number): country code \(number.countryCode) is not allowed")
        }
        if let blocked = blockedPrefixes.first(where: { number.hasPrefix($0) }) {
            throw refusal(.blockedPrefix, "\(number) is in the blocked range \(blocked)")
        }
        if let lengths = nationalLengths[number.countryCode] {
            let length = number.nationalSignificantNumber.utf8.count
            if length < lengths.lowerBound {
                throw refusal(.tooShort, "\(number): +\(number.countryCode) numbers have \(lengths) digits")
            }
            if length > lengths.upperBound {
                throw refusal(.tooLong, "\(number): +\(number.countryCode) numbers have \(lengths) digits")
            }
        }
    }

    /// `error` answered with the policy's status for its code, if the policy picks one.
    public func applyingStatuses(to error: NumberingError) -> NumberingError {
        statuses[error.code].map { error.answered(with: $0) } ?? error
    }

    private func refusal(_ code: NumberingError.Code, _ detail: String) -> NumberingError {
        applyingStatuses(to: NumberingError(code, detail))
    }
}
