/// A line whose type letter the grammar does not define at this level, kept so that a rewritten description
/// still carries it.
///
/// RFC 8866 §5 tells a parser to ignore descriptions with unknown type letters; a border controller instead
/// relays what it does not understand, in place. The model stores typed fields in their own lists, so an unknown
/// line remembers its place as an `Anchor`: "after the n-th line of type X in this section". The serializer writes
/// it right there, which makes a parse→serialize round trip keep every line's relative order when the known lines
/// were in RFC order. If editing removed that n-th line, the line goes after the last line of type X (or where X
/// would be), and anchors to a type the section does not have go to the end of the section. A parsed description
/// lists its unknown lines in the order they will be written.
public struct UnknownLine: Hashable, Sendable {
    public struct Anchor: Hashable, Sendable {
        /// Type letter of the known line this one follows (`v` or `m` for the first line of a section).
        public var type: Character
        /// 1-based occurrence of that type within the section (`r=` lines count across all `t=` lines).
        public var occurrence: Int

        public init(type: Character, occurrence: Int) {
            self.type = type
            self.occurrence = occurrence
        }
    }

    /// The type letter; an ASCII letter.
    public var type: Character
    public var value: String
    public var anchor: Anchor

    public init(type: Character, value: String, anchor: Anchor) {
        self.type = type
        self.value = value
        self.anchor = anchor
    }
}
