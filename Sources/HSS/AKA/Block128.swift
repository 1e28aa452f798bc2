/// A 128-bit value as two big-endian halves: the shape of every Milenage input and output (TS 35.206 §4.1).
///
/// Bit 0 of the specification is the most significant bit of `high`, so "the first 64 bits" of an OUT value is
/// `high` and "the last 64 bits" is `low`. XOR and the rotations Milenage needs are two machine operations each, and
/// nothing here allocates.
struct Block128: Hashable, Sendable {
    var high: UInt64
    var low: UInt64

    static let zero = Block128(high: 0, low: 0)

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Exactly 16 bytes, most significant first.
    init(bytes: some Collection<UInt8>, name: String) throws(AKAError) {
        guard bytes.count == 16 else {
            throw AKAError(.wrongLength, "\(name): expected 16 bytes, got \(bytes.count)")
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (offset, byte) in bytes.enumerated() {
            if offset < 8 {
                high = high << 8 | UInt64(byte)
            } else {
                low = low << 8 | UInt64(byte)
            }
        }
        self.init(high: high, low: low)
    }

    var bytes: [UInt8] {
        BigEndian.bytes(high, count: 8) + BigEndian.bytes(low, count: 8)
    }

    static func ^ (lhs: Block128, rhs: Block128) -> Block128 {
        Block128(high: lhs.high ^ rhs.high, low: lhs.low ^ rhs.low)
    }

    /// rot(x, r) of TS 35.206 §4.1: a cyclic shift by `bits` towards the most significant bit.
    func rotated(left bits: Int) -> Block128 {
        let r = bits & 127
        var value = self
        if r >= 64 { value = Block128(high: value.low, low: value.high) }
        let s = UInt64(r & 63)
        guard s != 0 else { return value }
        return Block128(
            high: value.high << s | value.low >> (64 - s),
            low: value.low << s | value.high >> (64 - s))
    }

    /// Writes the 16 bytes, most significant first, at `offset` of `buffer`.
    func store(into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        for index in 0..<8 {
            let shift = UInt64(56 - 8 * index)
            buffer[offset + index] = UInt8(truncatingIfNeeded: high >> shift)
            buffer[offset + 8 + index] = UInt8(truncatingIfNeeded: low >> shift)
        }
    }

    /// Reads 16 bytes, most significant first, from `offset` of `buffer`.
    init(loading buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<8 {
            high = high << 8 | UInt64(buffer[offset + index])
            low = low << 8 | UInt64(buffer[offset + 8 + index])
        }
        self.init(high: high, low: low)
    }
}

/// Big-endian byte forms of the shorter AKA fields (SQN and AK: 48 bits, AMF: 16, MAC and RES: 64).
enum BigEndian {
    /// The low `count` bytes of `value`, most significant first.
    static func bytes(_ value: UInt64, count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: value >> UInt64(8 * (count - 1 - $0))) }
    }

    /// Exactly `count` (at most 8) bytes as an unsigned number.
    static func value(_ bytes: some Collection<UInt8>, count: Int, name: String) throws(AKAError) -> UInt64 {
        guard bytes.count == count else {
            throw AKAError(.wrongLength, "\(name): expected \(count) bytes, got \(bytes.count)")
        }
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }
}
