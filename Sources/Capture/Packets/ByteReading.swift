/// Big-endian reads from packet bytes, bounds checked by the caller's guard (every decoder checks the length it
/// needs before reading).
extension Array where Element == UInt8 {
    @inline(__always)
    func uint16(at index: Int) -> UInt16 {
        UInt16(self[index]) << 8 | UInt16(self[index + 1])
    }

    @inline(__always)
    func uint32(at index: Int) -> UInt32 {
        UInt32(self[index]) << 24 | UInt32(self[index + 1]) << 16 | UInt32(self[index + 2]) << 8
            | UInt32(self[index + 3])
    }

    @inline(__always)
    func uint64(at index: Int) -> UInt64 {
        UInt64(uint32(at: index)) << 32 | UInt64(uint32(at: index + 4))
    }
}
