/// The replacement text of a `rewrite`: literal text with `$0` (the whole match) to `$9` (the pattern's groups)
/// and `$$` for a dollar sign. A group that took no part in the match inserts nothing.
public struct RewriteReplacement: Hashable, Sendable, CustomStringConvertible {
    enum Piece: Hashable, Sendable {
        case literal(String)
        case group(Int)
    }

    let pieces: [Piece]
    /// The replacement as written in the policy.
    public let text: String

    /// A problem with the text, and the offset in characters (from 0) where it is.
    public struct SyntaxError: Error, Hashable, Sendable {
        public var message: String
        public var offset: Int

        public init(message: String, offset: Int) {
            self.message = message
            self.offset = offset
        }
    }

    public init(parsing text: String) throws(SyntaxError) {
        var pieces: [Piece] = []
        var literal = ""
        var offset = 0
        var characters = text[...]
        while let character = characters.popFirst() {
            defer { offset += 1 }
            if character.isASCII, let scalar = character.unicodeScalars.first,
                scalar.value < 0x20 || scalar.value == 0x7F,
                character != "\t"
            {
                throw SyntaxError(
                    message: "control characters (line breaks included) cannot be written into a header", offset: offset
                )
            }
            guard character == "$" else {
                literal.append(character)
                continue
            }
            switch characters.first {
            case "$":
                literal.append("$")
                characters.removeFirst()
                offset += 1
            case let digit? where digit.isASCII && digit.isNumber:
                if !literal.isEmpty { pieces.append(.literal(literal)) }
                literal = ""
                pieces.append(.group(digit.wholeNumberValue ?? 0))
                characters.removeFirst()
                offset += 1
            default:
                throw SyntaxError(
                    message: "'$' must be followed by a group number 0–9, or written '$$' for a dollar sign",
                    offset: offset)
            }
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        self.pieces = pieces
        self.text = text
    }

    /// The highest group the replacement inserts, or nil when it inserts none.
    public var highestGroup: Int? {
        pieces.compactMap { piece in
            if case .group(let number) = piece { return number }
            return nil
        }.max()
    }

    /// The text to insert, given each group's match (nil for a group that did not take part).
    public func expand(_ group: (Int) -> Substring?) -> String {
        var result = ""
        for piece in pieces {
            switch piece {
            case .literal(let text): result += text
            case .group(let number): result += group(number) ?? ""
            }
        }
        return result
    }

    public var description: String { text }
}
