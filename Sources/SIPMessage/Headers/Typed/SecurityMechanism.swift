/// One security mechanism of Security-Client, Security-Server or Security-Verify (RFC 3329 §2.2), with the
/// parameters 3GPP adds for IMS IPsec (TS 33.203 §7.2, TS 24.229 §7.2A.7).
///
/// ```
/// sec-mechanism    = mechanism-name *(SEMI mech-parameters)
/// mechanism-name   = ( "digest" / "tls" / "ipsec-ike" / "ipsec-man" / token )
/// mech-parameters  = ( preference / digest-algorithm / digest-qop / digest-verify / extension )
/// preference       = "q" EQUAL qvalue
/// ; TS 33.203: alg, ealg, spi-c, spi-s, port-c, port-s, prot, mod
/// ```
///
/// Example: `ipsec-3gpp; alg=hmac-sha-1-96; ealg=aes-cbc; spi-c=1234; spi-s=5678; port-c=5062; port-s=5064`.
/// `q` must be a qvalue, the SPIs 32-bit numbers and the ports 16-bit numbers. Errors: `.badSecurityMechanism` (400).
public struct SecurityMechanism: SIPHeaderValue, Hashable, CustomStringConvertible {
    /// `digest`, `tls`, `ipsec-ike`, `ipsec-man`, `ipsec-3gpp`, … as written.
    public var mechanism: String
    public var parameters: HeaderParameters

    public init(mechanism: String, parameters: HeaderParameters = []) {
        self.mechanism = mechanism
        self.parameters = parameters
    }

    public init(parsing value: ArraySlice<UInt8>) throws(SIPParseError) {
        var scanner = HeaderScanner(value, code: .badSecurityMechanism, header: "Security mechanism")
        scanner.skipWhitespace()
        mechanism = try scanner.tokenString("the mechanism name")
        parameters = HeaderParameters()
        try scanner.parameters(into: &parameters)
        if parameters.contains("q"), preference == nil {
            throw scanner.error("q is not a value from 0 to 1 with at most three decimals")
        }
        for name in ["spi-c", "spi-s"] where parameters.contains(name) && spi(name) == nil {
            throw scanner.error("\(name) is not a number from 0 to 2^32 - 1")
        }
        for name in ["port-c", "port-s"] where parameters.contains(name) && port(name) == nil {
            throw scanner.error("\(name) is not a port number")
        }
    }

    /// Whether this is the IMS IPsec mechanism `ipsec-3gpp` (TS 33.203).
    public var isIPsec3GPP: Bool { ContentType.equalsIgnoringCase(mechanism, "ipsec-3gpp") }

    /// `q`: the preference among the mechanisms offered (RFC 3329 §2.2).
    public var preference: QValue? {
        get { parameters.value("q").flatMap { QValue(parsing: $0) } }
        set { parameters.setOrRemove("q", newValue?.description) }
    }

    /// `alg`: the integrity algorithm (`hmac-md5-96`, `hmac-sha-1-96`).
    public var algorithm: String? {
        get { parameters.value("alg") }
        set { parameters.setOrRemove("alg", newValue) }
    }

    /// `ealg`: the encryption algorithm (`null`, `aes-cbc`, `des-ede3-cbc`).
    public var encryptionAlgorithm: String? {
        get { parameters.value("ealg") }
        set { parameters.setOrRemove("ealg", newValue) }
    }

    /// `spi-c`: the SPI the client receives on.
    public var spiC: UInt32? {
        get { spi("spi-c") }
        set { parameters.setOrRemove("spi-c", newValue.map { String($0) }) }
    }

    /// `spi-s`: the SPI the server receives on.
    public var spiS: UInt32? {
        get { spi("spi-s") }
        set { parameters.setOrRemove("spi-s", newValue.map { String($0) }) }
    }

    /// `port-c`: the client's protected port.
    public var portC: UInt16? {
        get { port("port-c") }
        set { parameters.setOrRemove("port-c", newValue.map { String($0) }) }
    }

    /// `port-s`: the server's protected port.
    public var portS: UInt16? {
        get { port("port-s") }
        set { parameters.setOrRemove("port-s", newValue.map { String($0) }) }
    }

    /// `prot`: `esp` or `ah`.
    public var ipsecProtocol: String? {
        get { parameters.value("prot") }
        set { parameters.setOrRemove("prot", newValue) }
    }

    /// `mod`: `trans` or `tun`.
    public var mode: String? {
        get { parameters.value("mod") }
        set { parameters.setOrRemove("mod", newValue) }
    }

    /// `d-alg`: the digest algorithm of the `digest` mechanism (RFC 3329 §2.2).
    public var digestAlgorithm: String? {
        get { parameters.value("d-alg") }
        set { parameters.setOrRemove("d-alg", newValue) }
    }

    /// `d-qop`.
    public var digestQOP: String? {
        get { parameters.value("d-qop") }
        set { parameters.setOrRemove("d-qop", newValue) }
    }

    /// `d-ver`: the hash of the server's mechanism list, quoted.
    public var digestVerify: String? {
        get { parameters.value("d-ver") }
        set {
            if let newValue { parameters.set("d-ver", newValue, quoted: true) } else { parameters.remove("d-ver") }
        }
    }

    private func spi(_ name: String) -> UInt32? {
        parameters.value(name).flatMap { Array($0.utf8)[...].parseDecimal(maximum: Int(UInt32.max)) }
            .map { UInt32($0) }
    }

    private func port(_ name: String) -> UInt16? {
        parameters.value(name).flatMap { Array($0.utf8)[...].parseDecimal(maximum: Int(UInt16.max)) }
            .map { UInt16($0) }
    }

    public func serialize(into buffer: inout [UInt8]) {
        HeaderWriting.appendText(mechanism, into: &buffer)
        parameters.serialize(into: &buffer)
    }

    public var description: String { serializedString }
}
