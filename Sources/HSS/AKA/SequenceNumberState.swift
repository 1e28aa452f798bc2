/// One subscriber's sequence-number counter at the HSS/AuC, as a value (STYLE rule 1): TS 33.102 Annex C with the
/// parameters of its non-time-based profile (C.3.2).
///
/// ```
///   SQN (48 bits) = SEQ (43 bits) ‖ IND (5 bits)                               TS 33.102 C.1.1
///
///   next():        SEQ_HE := SEQ_HE + 1;  SQN := SEQ_HE ‖ IND;  IND := IND + 1 mod 32
///   resynchronise: SEQ_HE := SEQ_MS  (from the SQN_MS a verified AUTS carries)    TS 33.102 §6.3.5
/// ```
///
/// The USIM keeps one highest-accepted SEQ per IND value (an array of 32) and accepts a vector only if its SEQ is
/// above the one stored for its IND (Annex C.2). Incrementing SEQ for every vector keeps each SQN above all SQNs issued
/// before it; cycling IND spreads consecutive vectors over different slots, so vectors used out of order (several
/// fetched at once, one used late) are still accepted.
///
/// After a synchronisation failure the USIM reports SQN_MS, the highest SQN it has accepted. Setting SEQ_HE to its
/// SEQ makes the next vector SEQ_MS + 1, above every entry of the USIM's array and within any limit on how far SEQ
/// may jump, so it is fresh whatever the cause of the failure (a lost counter, a restored database, a counter that
/// ran too far ahead). TS 33.102 §6.3.5 lets the HE keep its counter when it would already be accepted; resetting
/// unconditionally is simpler and never worse than one extra SEQ step backwards.
public struct SequenceNumberState: Hashable, Sendable {
    /// IND length in bits (TS 33.102 C.3.2: 5).
    public static let indexBitCount = 5
    /// The number of IND values, and of SEQ slots in the USIM's array: 32.
    public static let indexCount = 1 << indexBitCount
    /// The largest SEQ: 43 bits. The counter wraps to 0 after it, which a USIM would refuse; at one vector per
    /// second that is some 278,000 years away.
    public static let maxSequence: UInt64 = (1 << (48 - UInt64(indexBitCount))) - 1

    /// SEQ_HE: the SEQ of the newest SQN issued; 0 before the first (whose SEQ is 1).
    public private(set) var sequence: UInt64
    /// The IND the next SQN will carry, 0 … 31.
    public private(set) var nextIndex: Int

    /// A new subscriber: no SQN issued yet.
    public init() {
        sequence = 0
        nextIndex = 0
    }

    /// A stored counter; `.outOfRange` when `sequence` needs more than 43 bits or `nextIndex` is not 0 … 31.
    public init(sequence: UInt64, nextIndex: Int) throws(AKAError) {
        guard sequence <= Self.maxSequence else {
            throw AKAError(.outOfRange, "SEQ: \(sequence) needs more than 43 bits")
        }
        guard (0..<Self.indexCount).contains(nextIndex) else {
            throw AKAError(.outOfRange, "IND: \(nextIndex) is not in 0…\(Self.indexCount - 1)")
        }
        self.sequence = sequence
        self.nextIndex = nextIndex
    }

    /// The SQN for the next vector; SEQ goes up by one and IND moves to the next slot.
    public mutating func next() -> SQN {
        sequence = (sequence + 1) & Self.maxSequence
        let sqn = SQN(truncating: sequence << UInt64(Self.indexBitCount) | UInt64(nextIndex))
        nextIndex = (nextIndex + 1) % Self.indexCount
        return sqn
    }

    /// SEQ_HE := SEQ_MS, so that the next vector is fresh (TS 33.102 §6.3.5). `sqnMS` must come from an AUTS whose
    /// MAC-S was verified (`Milenage.verifyResynchronisation(rand:auts:)`); `resynchronise(using:rand:auts:)`
    /// does both. IND keeps cycling where it was.
    public mutating func resynchronise(to sqnMS: SQN) {
        sequence = Self.sequence(of: sqnMS)
    }

    /// The SEQ part of `sqn` (its 43 most significant bits).
    public static func sequence(of sqn: SQN) -> UInt64 {
        sqn.value >> UInt64(indexBitCount)
    }

    /// The IND part of `sqn` (its 5 least significant bits).
    public static func index(of sqn: SQN) -> Int {
        Int(sqn.value & UInt64(indexCount - 1))
    }
}
