import IMSInterfaces
import Testing

@testable import HSS

/// Milenage against TS 35.208 §4.3, test sets 1–6: every function, one at a time and all at once.
@Suite struct MilenageTests {
    @Test(arguments: MilenageTestSet.all)
    func opcFromOP(_ set: MilenageTestSet) throws {
        let opc = try Milenage.opc(key: AKAKey(hex: set.k), op: OP(hex: set.op))
        #expect(opc.hex == set.opc)
        #expect(try Milenage(key: AKAKey(hex: set.k), op: OP(hex: set.op)).opc.hex == set.opc)
    }

    @Test(arguments: MilenageTestSet.all)
    func eachFunction(_ set: MilenageTestSet) throws {
        let milenage = try Milenage(key: AKAKey(hex: set.k), opc: OPc(hex: set.opc))
        let rand = try RAND(hex: set.rand)
        let sqn = try SQN(hex: set.sqn)
        let amf = try AMF(hex: set.amf)
        #expect(milenage.f1(rand: rand, sqn: sqn, amf: amf).hex == set.f1)
        #expect(milenage.f1Star(rand: rand, sqn: sqn, amf: amf).hex == set.f1Star)
        #expect(milenage.f2(rand: rand).hex == set.f2)
        #expect(milenage.f3(rand: rand).hex == set.f3)
        #expect(milenage.f4(rand: rand).hex == set.f4)
        #expect(milenage.f5(rand: rand).hex == set.f5)
        #expect(milenage.f5Star(rand: rand).hex == set.f5Star)
    }

    @Test(arguments: MilenageTestSet.all)
    func allOutputsAtOnce(_ set: MilenageTestSet) throws {
        let milenage = try Milenage(key: AKAKey(hex: set.k), op: OP(hex: set.op))
        let outputs = try milenage.outputs(rand: RAND(hex: set.rand), sqn: SQN(hex: set.sqn), amf: AMF(hex: set.amf))
        #expect(outputs.macA.hex == set.f1)
        #expect(outputs.macS.hex == set.f1Star)
        #expect(outputs.res.hex == set.f2)
        #expect(outputs.ck.hex == set.f3)
        #expect(outputs.ik.hex == set.f4)
        #expect(outputs.ak.hex == set.f5)
        #expect(outputs.akStar.hex == set.f5Star)
    }

    /// One cipher context serves many encryptions: the same instance gives the same answers when reused, in any
    /// order, and two instances for two subscribers do not disturb each other.
    @Test func contextsAreReusedAndIndependent() throws {
        let first = MilenageTestSet.all[0]
        let second = MilenageTestSet.all[1]
        let a = try Milenage(key: AKAKey(hex: first.k), opc: OPc(hex: first.opc))
        let b = try Milenage(key: AKAKey(hex: second.k), opc: OPc(hex: second.opc))
        for _ in 0..<3 {
            #expect(a.f2(rand: try RAND(hex: first.rand)).hex == first.f2)
            #expect(b.f2(rand: try RAND(hex: second.rand)).hex == second.f2)
            #expect(a.f5Star(rand: try RAND(hex: first.rand)).hex == first.f5Star)
        }
    }

    /// The rotation of TS 35.206 §4.1 for every amount Milenage uses, and two it does not.
    @Test func rotation() {
        let x = Block128(high: 0x0011_2233_4455_6677, low: 0x8899_aabb_ccdd_eeff)
        #expect(x.rotated(left: 0) == x)
        #expect(x.rotated(left: 32) == Block128(high: 0x4455_6677_8899_aabb, low: 0xccdd_eeff_0011_2233))
        #expect(x.rotated(left: 64) == Block128(high: 0x8899_aabb_ccdd_eeff, low: 0x0011_2233_4455_6677))
        #expect(x.rotated(left: 96) == Block128(high: 0xccdd_eeff_0011_2233, low: 0x4455_6677_8899_aabb))
        #expect(x.rotated(left: 8) == Block128(high: 0x1122_3344_5566_7788, low: 0x99aa_bbcc_ddee_ff00))
        #expect(x.rotated(left: 128) == x)
    }

    /// AES-128 itself, through the EVP context: FIPS-197 Appendix C.1.
    @Test func aesKnownAnswer() throws {
        let key = try Block128(
            bytes: Hex.decode("000102030405060708090a0b0c0d0e0f", byteCount: 16, name: "key"), name: "key")
        let plain = try Block128(
            bytes: Hex.decode("00112233445566778899aabbccddeeff", byteCount: 16, name: "in"), name: "in")
        let cipher = try AES128Encryptor(key: key)
        #expect(Hex.encode(cipher.encrypt(plain).bytes) == "69c4e0d86a7b0430d8cdb78070b4c55a")
    }
}
