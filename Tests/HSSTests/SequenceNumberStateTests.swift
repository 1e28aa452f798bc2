import Testing

@testable import HSS

/// The USIM's side of TS 33.102 Annex C.2, enough to check the HSS's counter against: one highest-accepted SEQ per
/// IND slot. (No Δ or age limit: those only ever reject more.)
struct SimulatedUSIMCounter {
    var slots = [UInt64](repeating: 0, count: SequenceNumberState.indexCount)
    /// SQN_MS: the highest SQN accepted so far.
    var highest = try! SQN(0)

    /// Accepts and records `sqn` if its SEQ is above its slot's.
    mutating func accept(_ sqn: SQN) -> Bool {
        let seq = SequenceNumberState.sequence(of: sqn)
        let index = SequenceNumberState.index(of: sqn)
        guard seq > slots[index] else { return false }
        slots[index] = seq
        if sqn > highest { highest = sqn }
        return true
    }
}

/// TS 33.102 Annex C (profile C.3.2): SQN = SEQ ‖ IND, SEQ up by one per vector, IND cycling through 32 slots.
@Suite struct SequenceNumberStateTests {
    @Test func firstSQNs() {
        var state = SequenceNumberState()
        #expect(state.next().value == 1 << 5 | 0)
        #expect(state.next().value == 2 << 5 | 1)
        #expect(state.next().value == 3 << 5 | 2)
        #expect(state.sequence == 3)
        #expect(state.nextIndex == 3)
    }

    @Test func indexCyclesThroughThirtyTwoSlots() {
        var state = SequenceNumberState()
        let sqns = (0..<70).map { _ in state.next() }
        #expect(sqns.map { SequenceNumberState.index(of: $0) } == (0..<70).map { $0 % 32 })
        #expect(sqns.map { SequenceNumberState.sequence(of: $0) } == (1...70).map { UInt64($0) })
        #expect(zip(sqns, sqns.dropFirst()).allSatisfy { $0 < $1 })
    }

    /// Vectors fetched in a batch and used out of order are still accepted, because each lands in its own slot.
    @Test func outOfOrderUseIsAccepted() {
        var state = SequenceNumberState()
        var usim = SimulatedUSIMCounter()
        let batch = (0..<5).map { _ in state.next() }
        for sqn in [batch[4], batch[0], batch[2], batch[1], batch[3]] {
            let accepted = usim.accept(sqn)
            #expect(accepted)
        }
        let refused = !usim.accept(batch[2])
        #expect(refused, "a replayed SQN is refused")
    }

    @Test func storedState() throws {
        var state = try SequenceNumberState(sequence: 99, nextIndex: 31)
        #expect(state.next().value == 100 << 5 | 31)
        #expect(state.nextIndex == 0)
        #expect(throws: AKAError.self) {
            try SequenceNumberState(sequence: SequenceNumberState.maxSequence + 1, nextIndex: 0)
        }
        #expect(throws: AKAError.self) { try SequenceNumberState(sequence: 0, nextIndex: 32) }
        #expect(throws: AKAError.self) { try SequenceNumberState(sequence: 0, nextIndex: -1) }
    }

    @Test func sequenceWrapsAfterFortyThreeBits() throws {
        var state = try SequenceNumberState(sequence: SequenceNumberState.maxSequence - 1, nextIndex: 4)
        #expect(state.next().value == SequenceNumberState.maxSequence << 5 | 4)
        #expect(state.next().value == 0 << 5 | 5)
    }

    @Test func resynchroniseToSQNMS() throws {
        var state = try SequenceNumberState(sequence: 10, nextIndex: 7)
        state.resynchronise(to: try SQN(5000 << 5 | 3))
        #expect(state.sequence == 5000)
        #expect(state.nextIndex == 7)
        #expect(state.next().value == 5001 << 5 | 7)

        // Backwards too: a counter that ran too far ahead comes back to what the USIM has seen.
        state.resynchronise(to: try SQN(42 << 5 | 0))
        #expect(state.next().value == 43 << 5 | 8)
    }
}
