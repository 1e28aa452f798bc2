import IMSInterfaces

extension HomeSubscriberServer {
    /// Why a MAR gets no AKA vectors although its subscriber has AKA credentials.
    struct AKARefusal: Error {
        var result: CxResult
    }

    /// `count` AKA vectors (TS 33.102 §6.3.2), after resynchronising the SQN first when the request carries
    /// RAND ‖ AUTS (TS 33.102 §6.3.5, C.3): an AUTS whose MAC-S does not verify, or that is not 14 bytes with a
    /// 16-byte RAND, is refused with AUTHORIZATION_REJECTED and leaves the counter alone.
    ///
    /// The SQNs are taken in one store transaction, which is all the counter needs to stay unique; RANDs are drawn
    /// and Milenage runs outside it.
    func akaVectors(
        for privateIdentity: PrivateIdentity, _ aka: AKACredentials, count: Int,
        resynchronization: MultimediaAuthRequest.Resynchronization?
    ) throws -> Result<[AKAVector], AKARefusal> {
        let (milenage, amf) = try Self.milenage(for: privateIdentity, aka)

        var sqnMS: SQN?
        if let resynchronization {
            guard let rand = try? RAND(bytes: resynchronization.rand),
                let auts = try? AUTS(bytes: resynchronization.auts),
                let verified = try? milenage.verifyResynchronisation(rand: rand, auts: auts)
            else { return .failure(AKARefusal(result: .authorizationRejected)) }
            sqnMS = verified
        }

        let rands = (0..<count).map { _ in freshRAND() }
        let sqns = try store.updateSequenceNumbers(of: privateIdentity) { state in
            if let sqnMS { state.resynchronise(to: sqnMS) }
            return rands.map { _ in state.next() }
        }
        return .success(
            zip(rands, sqns).map { rand, sqn in
                let vector = milenage.authenticationVector(rand: rand, sqn: sqn, amf: amf)
                return AKAVector(
                    rand: vector.rand.bytes, autn: vector.autn.bytes, xres: vector.xres.bytes, ck: vector.ck.bytes,
                    ik: vector.ik.bytes)
            })
    }

    /// Milenage keyed with the subscriber's K and OP or OPc. The store checked the lengths when the subscriber was
    /// put, so a failure here is a record that changed under it (or an OpenSSL without AES): `.corrupt`.
    static func milenage(for privateIdentity: PrivateIdentity, _ aka: AKACredentials) throws -> (Milenage, AMF) {
        do throws(AKAError) {
            let key = try AKAKey(bytes: aka.key)
            let milenage =
                switch aka.operatorKey {
                case .op(let op): try Milenage(key: key, op: OP(bytes: op))
                case .opc(let opc): try Milenage(key: key, opc: OPc(bytes: opc))
                }
            return (milenage, try AMF(bytes: aka.amf))
        } catch {
            throw HSSStoreError(.corrupt, "AKA credentials of \(privateIdentity): \(error.detail)")
        }
    }

    /// A RAND from `random`, which must give exactly the bytes asked for.
    private func freshRAND() -> RAND {
        let bytes = random(RAND.byteCount)
        precondition(bytes.count == RAND.byteCount, "the random source gave \(bytes.count) bytes, not 16")
        // Sixteen bytes always make a RAND.
        return try! RAND(bytes: bytes)
    }
}
