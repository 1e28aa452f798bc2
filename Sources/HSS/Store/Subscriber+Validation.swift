import IMSInterfaces

extension Subscriber {
    /// Checks what the model's types cannot: that this subscription can be stored and later served. A store calls
    /// it before it writes anything (STYLE rule 8), so that a bad provisioning request changes nothing and a MAR never
    /// meets a 15-byte K.
    func validateForStorage() throws(HSSStoreError) {
        let name = privateIdentity.value
        func invalid(_ detail: String) -> HSSStoreError { HSSStoreError(.invalidSubscriber, "\(name): \(detail)") }

        guard !publicIdentities.isEmpty else { throw invalid("no public identity") }
        var seen: Set<String> = []
        for entry in publicIdentities where !seen.insert(entry.identity.description).inserted {
            throw invalid("public identity \(entry.identity) listed twice")
        }

        var profileNames: Set<String> = []
        for profile in serviceProfiles where !profileNames.insert(profile.name).inserted {
            throw invalid("service profile \(profile.name) provisioned twice")
        }
        for entry in publicIdentities {
            if let profile = entry.serviceProfile, !profileNames.contains(profile) {
                throw invalid("\(entry.identity) uses service profile \(profile), which is not provisioned")
            }
        }

        if let aka = credentials.aka {
            try aka.validate(subscriber: name)
        }
        if let digest = credentials.digest {
            try digest.validate(subscriber: name)
        }
        guard credentials.canServe(credentials.preferredScheme) else {
            throw invalid("the credentials cannot serve the preferred scheme \(credentials.preferredScheme)")
        }
    }
}

extension SubscriberCredentials {
    /// Whether these credentials can answer a challenge in `scheme`: AKA secrets for AKA, a password or the HA1
    /// of the scheme's hash for digest.
    func canServe(_ scheme: AuthenticationScheme) -> Bool {
        switch scheme {
        case .akaV1MD5: aka != nil
        case .digestMD5: digest?.algorithms.contains(.md5) ?? false
        case .digestSHA256: digest?.algorithms.contains(.sha256) ?? false
        }
    }
}

extension AKACredentials {
    /// K, OP/OPc and AMF have the lengths Milenage takes (TS 35.206 §2).
    fileprivate func validate(subscriber name: String) throws(HSSStoreError) {
        func check(_ bytes: [UInt8], _ count: Int, _ field: String) throws(HSSStoreError) {
            guard bytes.count == count else {
                throw HSSStoreError(.invalidSubscriber, "\(name): \(field) has \(bytes.count) bytes, not \(count)")
            }
        }
        try check(key, AKAKey.byteCount, "K")
        switch operatorKey {
        case .op(let op): try check(op, OP.byteCount, "OP")
        case .opc(let opc): try check(opc, OPc.byteCount, "OPc")
        }
        try check(amf, AMF.byteCount, "AMF")
    }
}

extension DigestCredentials {
    /// A realm, and HA1 values that are lower-case hex of their hash's length (32 digits for MD5, 64 for SHA-256).
    fileprivate func validate(subscriber name: String) throws(HSSStoreError) {
        guard !realm.isEmpty else { throw HSSStoreError(.invalidSubscriber, "\(name): digest realm is empty") }
        guard case .ha1(let values) = secret else { return }
        guard !values.isEmpty else { throw HSSStoreError(.invalidSubscriber, "\(name): no HA1 value provisioned") }
        for (algorithm, ha1) in values {
            let digits = algorithm == .md5 ? 32 : 64
            let isLowerHex = ha1.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
            guard ha1.utf8.count == digits, isLowerHex else {
                throw HSSStoreError(
                    .invalidSubscriber, "\(name): HA1 for \(algorithm) is not \(digits) lower-case hex digits")
            }
        }
    }
}
