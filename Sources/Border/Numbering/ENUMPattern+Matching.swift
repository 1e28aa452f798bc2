// The backtracking matcher for ENUMPattern: an explicit stack instead of recursion, and a step cap.
//
// Each step executes one instruction. A split pushes the alternative; a save pushes the register's old value so
// that popping back past it restores the registers of the alternative's moment. The stack grows by at most one
// entry per step, so the cap bounds time and memory together. Nested quantifiers (`(a+)+b`) that take exponential
// time in a plain backtracker stop at the cap with `.enumRegexpTooComplex`.

extension ENUMPattern {
    /// Where the first match starts and ends, and where each group does (nil for a group that took no part).
    struct Match: Hashable, Sendable {
        var range: Range<Int>
        var groups: [Range<Int>?]
    }

    /// The leftmost match in `input`, trying each start position in turn (POSIX `regexec` searches, it does not
    /// anchor); nil when there is none.
    ///
    /// - Throws: `.enumRegexpTooComplex` when the search needs more than `stepLimit` steps in all.
    func firstMatch(in input: [UInt8], stepLimit: Int) throws(NumberingError) -> Match? {
        var steps = 0
        for start in 0...input.count {
            if let registers = try run(input, from: start, steps: &steps, limit: stepLimit) {
                let groups = (0..<groupCount).map { index -> Range<Int>? in
                    let lower = registers[2 * index + 2]
                    let upper = registers[2 * index + 3]
                    return lower >= 0 && upper >= lower ? lower..<upper : nil
                }
                return Match(range: registers[0]..<registers[1], groups: groups)
            }
            if case .lineStart = program[1] { break }
        }
        return nil
    }

    private enum Entry {
        case thread(pc: Int, position: Int)
        case restore(register: Int, value: Int)
    }

    private func run(
        _ input: [UInt8], from start: Int, steps: inout Int, limit: Int
    ) throws(NumberingError) -> [Int]? {
        var registers = [Int](repeating: -1, count: registerCount)
        var stack: [Entry] = [.thread(pc: 0, position: start)]
        while let entry = stack.popLast() {
            var pc: Int
            var position: Int
            switch entry {
            case .restore(let register, let value):
                registers[register] = value
                continue
            case .thread(let threadPC, let threadPosition):
                pc = threadPC
                position = threadPosition
            }
            thread: while true {
                steps += 1
                guard steps <= limit else {
                    throw NumberingError(.enumRegexpTooComplex, "regexp: gave up after \(limit) matching steps")
                }
                switch program[pc] {
                case .byte(let byte):
                    guard position < input.count, input[position] == byte else { break thread }
                    pc += 1
                    position += 1
                case .any:
                    guard position < input.count else { break thread }
                    pc += 1
                    position += 1
                case .set(let set):
                    guard position < input.count, set.contains(input[position]) else { break thread }
                    pc += 1
                    position += 1
                case .split(let preferred, let alternative):
                    stack.append(.thread(pc: alternative, position: position))
                    pc = preferred
                case .jump(let target):
                    pc = target
                case .save(let register):
                    stack.append(.restore(register: register, value: registers[register]))
                    registers[register] = position
                    pc += 1
                case .progress(let register):
                    guard registers[register] != position else { break thread }
                    pc += 1
                case .lineStart:
                    guard position == 0 else { break thread }
                    pc += 1
                case .lineEnd:
                    guard position == input.count else { break thread }
                    pc += 1
                case .match:
                    return registers
                }
            }
        }
        return nil
    }
}
