/// The regexp field of a NAPTR record: a sed-like substitution expression (RFC 3402 §3.2, RFC 6116 §3.2.1).
///
/// ```
/// subst-expr   = delim-char ere delim-char repl delim-char *flags
/// delim-char   = any non-digit or non-flag character other than backslash
/// repl         = *(string / backref)
/// string       = *(anychar / escapeddelim)
/// backref      = "\" POS-DIGIT
/// escapeddelim = "\" delim-char
/// flags        = "i"
/// ```
///
/// The first character is the delimiter (`!` in practice); `\` followed by it stands for it inside both parts, and
/// `\\` for a backslash in the replacement. Applied like sed's `s`: the first match in the string is replaced by
/// the replacement with `\1`…`\9` expanded, and any unmatched text around it is kept; ENUM patterns are anchored
/// (`^…$`), so the result is the replacement alone.
public struct ENUMSubstitution: Hashable, Sendable {
    let pattern: ENUMPattern
    let replacement: [Piece]
    /// Whether the `i` flag was given: letters match in either case.
    public let ignoresCase: Bool

    enum Piece: Hashable, Sendable {
        case literal([UInt8])
        case group(Int)
    }

    /// Parses and compiles a substitution expression.
    ///
    /// - Throws: `.enumBadRegexp` for a bad delimiter, missing parts, an unknown flag, a back-reference to a group
    ///   the pattern does not have, or a pattern outside the supported subset.
    public init(parsing text: String) throws(NumberingError) {
        let bytes = Array(text.utf8)
        guard let delimiter = bytes.first else { throw Self.error("the regexp is empty") }
        guard !E164Number.isDigit(delimiter), delimiter != UInt8(ascii: "\\"), delimiter != UInt8(ascii: "i"),
            delimiter > 0x20, delimiter < 0x7F
        else {
            throw Self.error("byte \(delimiter) cannot delimit a regexp: a digit, '\\', 'i', a space or non-ASCII")
        }
        var fields: [[UInt8]] = [[]]
        var index = 1
        while index < bytes.count, fields.count < 3 {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                fields[fields.count - 1] += [byte, bytes[index + 1]]
                index += 2
            } else if byte == delimiter {
                fields.append([])
                index += 1
            } else {
                fields[fields.count - 1].append(byte)
                index += 1
            }
        }
        guard fields.count == 3 else { throw Self.error("a regexp has the form !pattern!replacement!flags") }
        let flags = bytes[index...]
        guard flags.allSatisfy({ $0 == UInt8(ascii: "i") }), flags.count <= 1 else {
            throw Self.error("the only flag is 'i'")
        }
        guard !fields[0].isEmpty else { throw Self.error("the pattern is empty") }
        ignoresCase = !flags.isEmpty
        pattern = try ENUMPattern(parsing: fields[0], ignoringCase: ignoresCase)
        replacement = try Self.parseReplacement(fields[1], delimiter: delimiter, groupCount: pattern.groupCount)
    }

    private static func error(_ detail: String) -> NumberingError {
        NumberingError(.enumBadRegexp, "regexp: \(detail)")
    }

    private static func parseReplacement(
        _ bytes: [UInt8], delimiter: UInt8, groupCount: Int
    ) throws(NumberingError) -> [Piece] {
        var pieces: [Piece] = []
        var literal: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            guard byte == UInt8(ascii: "\\"), index < bytes.count else {
                literal.append(byte)
                continue
            }
            let escaped = bytes[index]
            index += 1
            guard E164Number.isDigit(escaped) else {
                literal.append(escaped)
                continue
            }
            let number = Int(escaped - UInt8(ascii: "0"))
            guard number >= 1, number <= groupCount else {
                throw error("\\\(number) names no group of the pattern (it has \(groupCount))")
            }
            if !literal.isEmpty { pieces.append(.literal(literal)) }
            literal = []
            pieces.append(.group(number))
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        return pieces
    }

    /// The string with the first match replaced, or nil when the pattern does not match.
    ///
    /// - Throws: `.enumRegexpTooComplex` when matching needs more than `stepLimit` steps.
    public func apply(to subject: String, stepLimit: Int = Self.defaultStepLimit) throws(NumberingError) -> String? {
        let input = Array(subject.utf8)
        guard let match = try pattern.firstMatch(in: input, stepLimit: stepLimit) else { return nil }
        var output = Array(input[..<match.range.lowerBound])
        for piece in replacement {
            switch piece {
            case .literal(let bytes): output += bytes
            case .group(let number): if let range = match.groups[number - 1] { output += input[range] }
            }
        }
        output += input[match.range.upperBound...]
        return String(decoding: output, as: UTF8.self)
    }

    /// Enough for any ENUM pattern on a 16-character AUS by two orders of magnitude; a nested-quantifier pattern
    /// reaches it in well under a millisecond.
    public static let defaultStepLimit = 10_000
}
