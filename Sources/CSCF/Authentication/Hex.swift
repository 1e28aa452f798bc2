/// Lower-case hexadecimal, the spelling of the `ck` and `ik` challenge parameters (TS 33.203 §7.2) and of the
/// random nonces, opaque values and tags the S-CSCF makes.
enum Hex {
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
