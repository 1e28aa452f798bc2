/// A configuration admission control refuses to run with, found before anything changes (STYLE rule 8).
///
/// The policy compiler maps these to `file:line:column` diagnostics; codes are static lets so new ones do not break
/// callers.
public struct AdmissionConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    public var code: Code
    public var detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code.rawValue): \(detail)" }
}

extension AdmissionConfigurationError.Code {
    /// A rate's tokens or period is not positive.
    public static let invalidRate = Self(rawValue: "invalid-rate")
    /// A burst is not positive, or so large that the bucket's arithmetic would overflow.
    public static let invalidBurst = Self(rawValue: "invalid-burst")
    /// Two rules have the same scope and filter, so they would share one bucket; or two rules share an id.
    public static let duplicateRule = Self(rawValue: "duplicate-rule")
    /// A table capacity, threshold or call limit is not positive.
    public static let invalidLimit = Self(rawValue: "invalid-limit")
    /// `RetryAfter.computed` where nothing can compute it (overload guard, call limits).
    public static let retryAfterNotComputable = Self(rawValue: "retry-after-not-computable")
    /// The overload guard's low watermark is not below its high watermark.
    public static let invalidWatermarks = Self(rawValue: "invalid-watermarks")
    /// A duration (block, window) is not positive, or a maximum is below its base.
    public static let invalidDuration = Self(rawValue: "invalid-duration")
}
