import Testing

@testable import HSS

/// Parsing AKA fields from hex and bytes: the lengths, the characters, and what a log line shows.
@Suite struct AKAParameterTests {
    @Test func hexRoundTripsInEitherCase() throws {
        let key = try AKAKey(hex: "465B5CE8B199B49FAA5F0A2EE238A6BC")
        #expect(key.hex == "465b5ce8b199b49faa5f0a2ee238a6bc")
        #expect(try SQN(hex: "ff9bb4d0b607").value == 0xff9b_b4d0_b607)
        #expect(try AMF(hex: "8000").value == 0x8000)
        #expect(try RAND(hex: "23553cbe9637a89d218ae64dae47bf35").bytes.first == 0x23)
        #expect(try MAC(hex: "4a9ffac354dfafb3").value == 0x4a9f_fac3_54df_afb3)
    }

    @Test func wrongLength() {
        for text in ["", "465b5ce8b199b49faa5f0a2ee238a6b", "465b5ce8b199b49faa5f0a2ee238a6bc00"] {
            #expect {
                try AKAKey(hex: text)
            } throws: { error in
                (error as? AKAError)?.code == .wrongLength
            }
        }
        #expect(throws: AKAError.self) { try SQN(hex: "ff9bb4d0b6") }
        #expect(throws: AKAError(.wrongLength, "AMF: expected 2 bytes, got 3")) { try AMF(bytes: [1, 2, 3]) }
        #expect(throws: AKAError(.wrongLength, "OPc: expected 16 bytes, got 15")) {
            try OPc(bytes: [UInt8](repeating: 0, count: 15))
        }
    }

    @Test func notHex() {
        for text in [
            "465b5ce8b199b49faa5f0a2ee238a6bg", "0x5b5ce8b199b49faa5f0a2ee238a6bc", "465b5ce8 199b49faa5f0a2ee238a6bc",
        ] {
            #expect {
                try OP(hex: text)
            } throws: { error in
                (error as? AKAError)?.code == .invalidHex
            }
        }
        // A multi-byte character counts by its UTF-8 bytes: wrong length before it is a wrong character.
        #expect(throws: AKAError.self) { try AMF(hex: "80é") }
    }

    @Test func sqnIsFortyEightBits() throws {
        #expect(try SQN(SQN.maxValue).hex == "ffffffffffff")
        #expect(throws: AKAError(.outOfRange, "SQN: 281474976710656 needs more than 48 bits")) {
            try SQN(SQN.maxValue + 1)
        }
        #expect(try SQN(1) < SQN(2))
    }

    /// Keys and RES stay out of log lines; the values that travel in the clear show as hex.
    @Test func descriptions() throws {
        let set = MilenageTestSet.all[0]
        #expect(String(describing: try AKAKey(hex: set.k)) == "K(redacted)")
        #expect(String(describing: try OP(hex: set.op)) == "OP(redacted)")
        #expect(String(describing: try OPc(hex: set.opc)) == "OPc(redacted)")
        #expect(String(describing: try RES(hex: set.f2)) == "RES(redacted)")
        #expect(String(describing: try CK(hex: set.f3)) == "CK(redacted)")
        #expect(String(describing: try IK(hex: set.f4)) == "IK(redacted)")
        #expect(String(describing: try RAND(hex: set.rand)) == set.rand)
        #expect(String(describing: try SQN(hex: set.sqn)) == set.sqn)
        #expect(String(describing: try AK(hex: set.f5)) == set.f5)
        #expect(String(describing: try AKAKey(hex: set.k)).contains("465b") == false)
    }

    @Test func errorDescription() {
        let error = AKAError(.invalidHex, "K: not a hex digit: g")
        #expect(error.description == "invalid-hex: K: not a hex digit: g")
    }
}
