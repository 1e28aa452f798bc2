// Parsing the POSIX ERE subset of ENUM regexps into a syntax tree (POSIX.1 XBD §9.4).
//
// Supported: literals and `\`-escaped literals, `.`, `^`, `$`, bracket expressions (`[0-9]`, `[^a]`, `[[:digit:]]`),
// groups, alternation, and the quantifiers `*`, `+`, `?`, `{m}`, `{m,}`, `{m,n}`. Refused with `.enumBadRegexp`:
// back-references inside the pattern (not ERE), collating elements and equivalence classes (`[[.a.]]`, `[[=a=]]`),
// a quantifier with nothing to repeat, non-ASCII bytes in a bracket expression. Limits keep a hostile zone from
// making the compiler itself expensive: 16 levels of groups, bounds up to 32.

extension ENUMPattern {
    /// The syntax tree of a pattern.
    indirect enum Node: Hashable, Sendable {
        case byte(UInt8)
        case any
        case set(ByteSet)
        case lineStart
        case lineEnd
        /// A capturing group, numbered from 1 by its opening parenthesis.
        case group(Int, Node)
        case sequence([Node])
        case alternation([Node])
        /// `node{minimum,maximum}`; a nil maximum is unbounded.
        case repetition(Node, minimum: Int, maximum: Int?)
    }

    static let maximumNesting = 16
    static let maximumBound = 32

    /// A recursive-descent parser over the pattern's bytes.
    struct Parser {
        private let bytes: [UInt8]
        private var index = 0
        private(set) var groupCount = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        /// The whole pattern.
        mutating func parse() throws(NumberingError) -> Node {
            let node = try alternation(depth: 0)
            guard index == bytes.count else { throw Self.error("an unmatched ')'") }
            return node
        }

        private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        private func peek(at offset: Int) -> UInt8? {
            index + offset < bytes.count ? bytes[index + offset] : nil
        }

        private static func error(_ detail: String) -> NumberingError {
            NumberingError(.enumBadRegexp, "regexp: \(detail)")
        }

        private mutating func alternation(depth: Int) throws(NumberingError) -> Node {
            var branches = [try sequence(depth: depth)]
            while peek == UInt8(ascii: "|") {
                index += 1
                branches.append(try sequence(depth: depth))
            }
            return branches.count == 1 ? branches[0] : .alternation(branches)
        }

        private mutating func sequence(depth: Int) throws(NumberingError) -> Node {
            var items: [Node] = []
            while let byte = peek, byte != UInt8(ascii: "|"), byte != UInt8(ascii: ")") {
                items.append(try repetition(depth: depth))
            }
            return items.count == 1 ? items[0] : .sequence(items)
        }

        private mutating func repetition(depth: Int) throws(NumberingError) -> Node {
            var node = try atom(depth: depth)
            while let byte = peek {
                let bounds: (Int, Int?)
                switch byte {
                case UInt8(ascii: "*"): bounds = (0, nil)
                case UInt8(ascii: "+"): bounds = (1, nil)
                case UInt8(ascii: "?"): bounds = (0, 1)
                case UInt8(ascii: "{"): bounds = try interval()
                default: return node
                }
                if byte != UInt8(ascii: "{") { index += 1 }
                if case .lineStart = node { throw Self.error("'^' cannot be repeated") }
                if case .lineEnd = node { throw Self.error("'$' cannot be repeated") }
                node = .repetition(node, minimum: bounds.0, maximum: bounds.1)
            }
            return node
        }

        /// `{m}`, `{m,}` or `{m,n}`, the index on the `{`.
        private mutating func interval() throws(NumberingError) -> (Int, Int?) {
            index += 1
            guard let minimum = number() else { throw Self.error("'{' must start a bound such as {2,5}") }
            var maximum: Int? = minimum
            if peek == UInt8(ascii: ",") {
                index += 1
                maximum = number()
            }
            guard peek == UInt8(ascii: "}") else { throw Self.error("a bound lacks its closing '}'") }
            index += 1
            guard minimum <= Self.limit, (maximum ?? minimum) <= Self.limit, minimum <= (maximum ?? minimum) else {
                throw Self.error("bounds go up to \(Self.limit), the lower one first")
            }
            return (minimum, maximum)
        }

        private static var limit: Int { ENUMPattern.maximumBound }

        private mutating func number() -> Int? {
            var value: Int?
            while let byte = peek, E164Number.isDigit(byte), (value ?? 0) < 1000 {
                value = (value ?? 0) * 10 + Int(byte - UInt8(ascii: "0"))
                index += 1
            }
            return value
        }

        private mutating func atom(depth: Int) throws(NumberingError) -> Node {
            guard let byte = peek else { throw Self.error("the pattern ends too early") }
            index += 1
            switch byte {
            case UInt8(ascii: "("):
                guard depth < ENUMPattern.maximumNesting else {
                    throw Self.error("groups nest deeper than \(ENUMPattern.maximumNesting)")
                }
                groupCount += 1
                let number = groupCount
                let inner = try alternation(depth: depth + 1)
                guard peek == UInt8(ascii: ")") else { throw Self.error("a '(' lacks its ')'") }
                index += 1
                return .group(number, inner)
            case UInt8(ascii: "."):
                return .any
            case UInt8(ascii: "^"):
                return .lineStart
            case UInt8(ascii: "$"):
                return .lineEnd
            case UInt8(ascii: "["):
                return .set(try bracket())
            case UInt8(ascii: "\\"):
                guard let escaped = peek else { throw Self.error("a '\\' ends the pattern") }
                index += 1
                guard !E164Number.isDigit(escaped) else {
                    throw Self.error("back-references are not part of an ERE")
                }
                return .byte(escaped)
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"):
                throw Self.error("'\(Character(Unicode.Scalar(byte)))' has nothing to repeat")
            default:
                return .byte(byte)
            }
        }

        /// A bracket expression, the index after its `[`.
        private mutating func bracket() throws(NumberingError) -> ByteSet {
            var set = ByteSet()
            let negated = peek == UInt8(ascii: "^")
            if negated { index += 1 }
            var first = true
            while true {
                guard let byte = peek else { throw Self.error("a '[' lacks its ']'") }
                if byte == UInt8(ascii: "]"), !first {
                    index += 1
                    break
                }
                first = false
                guard byte < 0x80 else { throw Self.error("a bracket expression holds ASCII only") }
                if byte == UInt8(ascii: "["), let next = peek(at: 1) {
                    if next == UInt8(ascii: ":") {
                        try characterClass(into: &set)
                        continue
                    }
                    if next == UInt8(ascii: ".") || next == UInt8(ascii: "=") {
                        throw Self.error("collating elements and equivalence classes are not supported")
                    }
                }
                index += 1
                if peek == UInt8(ascii: "-"), let upper = peek(at: 1), upper != UInt8(ascii: "]") {
                    guard upper < 0x80, byte <= upper else { throw Self.error("a range must run upwards in ASCII") }
                    index += 2
                    set.insert(byte...upper)
                } else {
                    set.insert(byte)
                }
            }
            return negated ? set.inverted : set
        }

        /// `[:name:]` inside a bracket expression, the index on its `[`.
        private mutating func characterClass(into set: inout ByteSet) throws(NumberingError) {
            let start = index + 2
            var end = start
            while end + 1 < bytes.count, !(bytes[end] == UInt8(ascii: ":") && bytes[end + 1] == UInt8(ascii: "]")) {
                end += 1
            }
            guard end + 1 < bytes.count else { throw Self.error("a '[:' lacks its ':]'") }
            let name = String(decoding: bytes[start..<end], as: UTF8.self)
            switch name {
            case "digit": set.insert(UInt8(ascii: "0")...UInt8(ascii: "9"))
            case "xdigit":
                set.insert(UInt8(ascii: "0")...UInt8(ascii: "9"))
                set.insert(UInt8(ascii: "a")...UInt8(ascii: "f"))
                set.insert(UInt8(ascii: "A")...UInt8(ascii: "F"))
            case "alpha", "alnum", "upper", "lower":
                if name != "lower" { set.insert(UInt8(ascii: "A")...UInt8(ascii: "Z")) }
                if name != "upper" { set.insert(UInt8(ascii: "a")...UInt8(ascii: "z")) }
                if name == "alnum" { set.insert(UInt8(ascii: "0")...UInt8(ascii: "9")) }
            case "space":
                set.insert(0x09...0x0D)
                set.insert(0x20)
            default: throw Self.error("unknown character class '[:\(name):]'")
            }
            index = end + 2
        }
    }
}
