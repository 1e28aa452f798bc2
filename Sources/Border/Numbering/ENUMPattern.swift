/// A compiled ENUM regexp: the POSIX ERE subset that NAPTR records use, as a small program for a backtracking
/// matcher with a step cap (see ENUMPattern+Matching.swift).
///
/// Why not a library: Border is pure (no Foundation's NSRegularExpression), the Swift `Regex` engine has no bound on
/// backtracking, and NAPTR regexps come from DNS, that is from anyone. ENUM zones use a handful of shapes —
/// `^.*$`, `^\+1(.*)$`, `^\+([0-9]{3})(.*)$` — so a few hundred lines cover them, and the cap makes a hostile
/// pattern cost a bounded number of steps instead of a thread.
///
/// Semantics differ from POSIX in one way: alternatives and quantifiers are tried leftmost-first (greedy, in
/// order), not leftmost-longest. The two agree for every anchored ENUM pattern without alternation, and where they
/// differ (`^(1|12)(.*)$`) the match is still valid, only the split between groups may differ.
struct ENUMPattern: Hashable, Sendable {
    enum Instruction: Hashable, Sendable {
        /// Consume this byte.
        case byte(UInt8)
        /// Consume any byte.
        case any
        /// Consume a byte in the set.
        case set(ByteSet)
        /// Continue at the first target; on failure, at the second.
        case split(Int, Int)
        case jump(Int)
        /// Record the position in a register (group bounds, loop entry marks); undone on backtracking.
        case save(Int)
        /// Fail unless the position moved since the register was saved: a loop body that matched nothing ends
        /// the loop instead of spinning.
        case progress(Int)
        case lineStart
        case lineEnd
        case match
    }

    private(set) var program: [Instruction] = []
    /// Capturing groups, not counting group 0 (the whole match).
    let groupCount: Int
    /// Registers: two per group (0 is the whole match), then one per unbounded loop.
    private(set) var registerCount: Int

    /// At most this many instructions: bounded repeats are unrolled, and this keeps `(x{32}){32}` from growing.
    static let maximumProgramLength = 4096

    /// Compiles an ERE; `ignoringCase` is the substitution's `i` flag.
    ///
    /// - Throws: `.enumBadRegexp` for syntax outside the subset or a pattern too large once compiled.
    init(parsing pattern: [UInt8], ignoringCase: Bool = false) throws(NumberingError) {
        var parser = Parser(pattern)
        let tree = try parser.parse()
        groupCount = parser.groupCount
        registerCount = 2 * (groupCount + 1)
        try append(.save(0))
        try emit(tree, ignoringCase: ignoringCase)
        try append(.save(1))
        try append(.match)
    }

    @discardableResult
    private mutating func append(_ instruction: Instruction) throws(NumberingError) -> Int {
        guard program.count < Self.maximumProgramLength else {
            throw NumberingError(.enumBadRegexp, "regexp: more than \(Self.maximumProgramLength) steps once compiled")
        }
        program.append(instruction)
        return program.count - 1
    }

    private mutating func emit(_ node: Node, ignoringCase: Bool) throws(NumberingError) {
        switch node {
        case .byte(let byte):
            let isLetter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
            try append(ignoringCase && isLetter ? .set(ByteSet([byte | 0x20, byte & ~0x20])) : .byte(byte))
        case .any:
            try append(.any)
        case .set(let set):
            try append(.set(ignoringCase ? set.caseFolded : set))
        case .lineStart:
            try append(.lineStart)
        case .lineEnd:
            try append(.lineEnd)
        case .group(let number, let inner):
            try append(.save(2 * number))
            try emit(inner, ignoringCase: ignoringCase)
            try append(.save(2 * number + 1))
        case .sequence(let items):
            for item in items { try emit(item, ignoringCase: ignoringCase) }
        case .alternation(let branches):
            var exits: [Int] = []
            for branch in branches.dropLast() {
                let split = try append(.split(program.count + 1, -1))
                try emit(branch, ignoringCase: ignoringCase)
                exits.append(try append(.jump(-1)))
                program[split] = .split(split + 1, program.count)
            }
            if let last = branches.last { try emit(last, ignoringCase: ignoringCase) }
            for exit in exits { program[exit] = .jump(program.count) }
        case .repetition(let inner, let minimum, let maximum):
            for _ in 0..<minimum { try emit(inner, ignoringCase: ignoringCase) }
            if let maximum {
                for _ in minimum..<maximum {
                    let split = try append(.split(program.count + 1, -1))
                    try emit(inner, ignoringCase: ignoringCase)
                    program[split] = .split(split + 1, program.count)
                }
            } else {
                let mark = registerCount
                registerCount += 1
                let loop = try append(.split(program.count + 1, -1))
                try append(.save(mark))
                try emit(inner, ignoringCase: ignoringCase)
                try append(.progress(mark))
                try append(.jump(loop))
                program[loop] = .split(loop + 1, program.count)
            }
        }
    }
}
