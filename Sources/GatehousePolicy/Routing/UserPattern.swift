/// A route's `user` condition: a regular expression (Swift `Regex` syntax) that the whole user part must match.
///
/// Compiled once, when the policy is loaded, and shared by every call that consults the route table.
/// Equality and hashing use the pattern text.
public struct UserPattern: @unchecked Sendable, Hashable, CustomStringConvertible {
    // `Regex` is not marked Sendable because its output type may not be; `AnyRegexOutput` holds nothing mutable
    // here, and the one piece of lazily built state (the lowered program) is published with an atomic
    // compare-and-exchange in the standard library. `init` lowers it before the value is shared.
    private let regex: Regex<AnyRegexOutput>
    /// The pattern as written in the policy.
    public let pattern: String

    /// A pattern that failed to compile, with where in the pattern the problem is.
    public struct SyntaxError: Error, Sendable, Hashable {
        /// What is wrong, as the regex parser says it.
        public var message: String
        /// The offset in characters, from 0, of the problem in the pattern; nil when the parser did not say.
        public var offset: Int?
    }

    public init(_ pattern: String) throws(SyntaxError) {
        do {
            regex = try Regex(pattern)
        } catch {
            throw SyntaxError(message: "\(error)", offset: Self.offset(of: error, in: pattern))
        }
        self.pattern = pattern
        _ = try? regex.wholeMatch(in: "")  // lowers the program before the value is shared
    }

    /// Whether the whole of `text` matches.
    public func matches(_ text: Substring) -> Bool { (try? regex.wholeMatch(in: text)) != nil }

    public var description: String { pattern }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.pattern == rhs.pattern }
    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }

    /// The standard library's parse errors carry a source range but expose it only to reflection; if their
    /// shape changes, the position is simply not reported.
    static func offset(of error: any Error, in pattern: String) -> Int? {
        guard let location = Mirror(reflecting: error).children.first(where: { $0.label == "location" })?.value,
            let range = Mirror(reflecting: location).children.first(where: { $0.label == "range" })?.value
                as? Range<String.Index>,
            range.lowerBound >= pattern.startIndex, range.lowerBound <= pattern.endIndex
        else { return nil }
        return pattern.distance(from: pattern.startIndex, to: range.lowerBound)
    }
}
