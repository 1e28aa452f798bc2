import Testing

@testable import SIPMessage

/// Authorization / Proxy-Authorization (`Credentials`) and WWW-Authenticate / Proxy-Authenticate (`Challenge`):
/// Digest (RFC 3261 §22.4, RFC 7616) and AKA (RFC 3310, TS 24.229).
@Suite struct AuthorizationTests {
    @Test func akaChallengeFromRFC3310() throws {
        let message = try typedHeadersMessage([
            "SIP/2.0 401 Unauthorized",
            "WWW-Authenticate: Digest",
            "        realm=\"RoamingUsers@home1.net\",",
            "        nonce=\"CjPk9mRqNuT25eRkajM09uTl9nM09uTl9nMz5OX25PZz==\",",
            "        qop=\"auth,auth-int\",",
            "        algorithm=AKAv1-MD5",
        ])
        guard let challenge = try message.headers.first(.wwwAuthenticate, as: Challenge.self) else {
            Issue.record("no challenge")
            return
        }
        #expect(challenge.isDigest)
        #expect(challenge.realm == "RoamingUsers@home1.net")
        #expect(challenge.nonce == "CjPk9mRqNuT25eRkajM09uTl9nM09uTl9nMz5OX25PZz==")
        #expect(challenge.qopOptions == ["auth", "auth-int"])
        #expect(challenge.algorithm == .akav1MD5)
        #expect(challenge.algorithm?.isAKA == true)
        #expect(challenge.stale == nil)
        #expect(
            challenge.serializedString
                == #"Digest realm="RoamingUsers@home1.net",nonce="CjPk9mRqNuT25eRkajM09uTl9nM09uTl9nMz5OX25PZz==",qop="auth,auth-int",algorithm=AKAv1-MD5"#
        )
    }

    @Test func akaResponseFromRFC3310() throws {
        let credentials = try Credentials(
            parsing: """
                Digest username="jon.dough@home1.net", realm="RoamingUsers@home1.net", \
                nonce="CjPk9mRqNuT25eRkajM09uTl9nM09uTl9nMz5OX25PZz==", uri="sip:home1.net", qop=auth-int, \
                nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", \
                opaque="5ccc069c403ebaf9f0171e9517f40e41"
                """)
        #expect(credentials.username == "jon.dough@home1.net")
        #expect(credentials.uri == "sip:home1.net")
        #expect(credentials.qop == "auth-int")
        #expect(credentials.nonceCount == "00000001")
        #expect(credentials.cnonce == "0a4f113b")
        #expect(credentials.response == "6629fae49393a05397450978507c4ef1")
        #expect(credentials.opaque == "5ccc069c403ebaf9f0171e9517f40e41")
        #expect(credentials.algorithm == nil)
        let resync = try Credentials(
            parsing:
                #"Digest username="jon.dough@home1.net", realm="RoamingUsers@home1.net", nonce="CjPk9mRqNuT25eRkajM09uTl9nM09uTl9nMz5OX25PZz==", uri="sip:home1.net", response="", auts="5PYxMuX2NOT2NeO=", algorithm=AKAv1-MD5"#
        )
        #expect(resync.auts == "5PYxMuX2NOT2NeO=")
        #expect(resync.response == "")
    }

    @Test func ts24229InitialRegister() throws {
        let message = try typedHeadersMessage([
            "REGISTER sip:registrar.home1.net SIP/2.0",
            #"Authorization: Digest username="user1_private@home1.net", realm="registrar.home1.net", nonce="", uri="sip:registrar.home1.net", response="", integrity-protected="no""#,
        ])
        let credentials = try message.headers.first(.authorization, as: Credentials.self)
        #expect(credentials?.integrityProtected == "no")
        #expect(credentials?.nonce == "")
        #expect(credentials?.realm == "registrar.home1.net")
    }

    @Test func ckAndIKBetweenSCSCFAndPCSCF() throws {
        var challenge = try Challenge(
            parsing:
                #"Digest realm="registrar.home1.net", nonce="A34Cm+Fva37UYWpGNB34JP", algorithm=AKAv1-MD5, ik="0123456789abcdeedcba9876543210", ck="9876543210abcdeedcba0123456789""#
        )
        #expect(challenge.ik == "0123456789abcdeedcba9876543210")
        #expect(challenge.ck == "9876543210abcdeedcba0123456789")
        // The P-CSCF strips the keys before forwarding the 401 to the UE.
        challenge.ck = nil
        challenge.ik = nil
        #expect(
            challenge.serializedString
                == #"Digest realm="registrar.home1.net",nonce="A34Cm+Fva37UYWpGNB34JP",algorithm=AKAv1-MD5"#)
    }

    @Test func digestChallengeFromRFC3261() throws {
        let challenge = try Challenge(
            parsing:
                #"Digest realm="atlanta.com", domain="sip:ss1.carrier.com", qop="auth", nonce="f84f1cec41e6cbe5aea9c8e88d359", opaque="", stale=FALSE, algorithm=MD5"#
        )
        #expect(challenge.domain == "sip:ss1.carrier.com")
        #expect(challenge.stale == false)
        #expect(challenge.algorithm == .md5)
        #expect(challenge.algorithm == DigestAlgorithm("md5"))
        #expect(challenge.opaque == "")
        #expect(try Challenge(parsing: #"Digest realm="x", nonce="y", algorithm=SHA-256, stale=true"#).stale == true)
    }

    @Test func buildingCredentials() {
        var credentials = Credentials()
        credentials.username = "alice"
        credentials.realm = "atlanta.com"
        credentials.nonce = "84a4cc6f3082121f32b42a2187831a9e"
        credentials.uri = "sip:bob@biloxi.com"
        credentials.algorithm = .md5Session
        credentials.qop = "auth"
        credentials.nonceCount = "00000001"
        credentials.response = "7587245234b3434cc3412213e5f113a5432"
        #expect(
            credentials.serializedString
                == #"Digest username="alice",realm="atlanta.com",nonce="84a4cc6f3082121f32b42a2187831a9e",uri="sip:bob@biloxi.com",algorithm=MD5-sess,qop=auth,nc=00000001,response="7587245234b3434cc3412213e5f113a5432""#
        )
        var challenge = Challenge()
        challenge.qopOptions = ["auth", "auth-int"]
        challenge.stale = true
        #expect(challenge.serializedString == #"Digest qop="auth,auth-int",stale=true"#)
    }

    @Test func otherSchemesAndToken68() throws {
        let bearer = try Credentials(parsing: "Bearer mF_9.B5f-4.1JqM")
        #expect(!bearer.isDigest)
        #expect(bearer.token68 == "mF_9.B5f-4.1JqM")
        #expect(bearer.serializedString == "Bearer mF_9.B5f-4.1JqM")
        let padded = try Credentials(parsing: "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
        #expect(padded.token68 == "QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
        let custom = try Challenge(parsing: #"Bearer realm="example", scope="openid""#)
        #expect(custom.parameters.value("scope") == "openid")
        #expect(custom.token68 == nil)
        #expect(try Challenge(parsing: "Negotiate").parameters.isEmpty)
    }

    @Test func lenientUnquotedValues() throws {
        let credentials = try Credentials(parsing: "Digest username=alice, uri=sip:bob@biloxi.com, response=abc")
        #expect(credentials.uri == "sip:bob@biloxi.com")
        #expect(credentials.username == "alice")
    }

    @Test(arguments: [
        "", "Digest realm", "Digest realm=", "Digest realm=\"x\" nonce=\"y\"", "Digest realm=\"x\",,nonce=\"y\"",
        "Digest realm=\"x\", realm=\"y\"", "Digest realm=\"open", "Digest, realm=\"x\"", "Digest realm=\"x\",",
        "Digestrealm=\"x\"", "Digest =\"x\"",
    ])
    func badCredentials(_ text: String) {
        #expect(typedHeaderErrorCode(text, as: Credentials.self) == .badCredentials, "\(text)")
        #expect(typedHeaderErrorCode(text, as: Challenge.self) == .badChallenge, "\(text)")
    }

    @Test func badStale() {
        #expect(typedHeaderErrorCode(#"Digest realm="x", stale=maybe"#, as: Challenge.self) == .badChallenge)
    }

    @Test(arguments: [
        #"Digest realm="RoamingUsers@home1.net", nonce="CjPk9mRqNuT25eRkajM09uTl9nM09uTl9nMz5OX25PZz==", qop="auth,auth-int", algorithm=AKAv1-MD5"#,
        #"Digest realm="registrar.home1.net", nonce="A34Cm+Fva37UYWpGNB34JP", algorithm=AKAv1-MD5, ik="0123", ck="9876""#,
        #"Digest realm="a\"b", stale=TRUE, domain="sip:a.example sip:b.example""#,
        "Bearer mF_9.B5f-4.1JqM", "Negotiate",
    ])
    func challengeRoundTrips(_ text: String) throws {
        try typedRoundTrip(text, as: Challenge.self)
    }

    @Test(arguments: [
        #"Digest username="jon.dough@home1.net", realm="RoamingUsers@home1.net", nonce="CjPk9mRqNuT25eRkajM09uTl9nM09uTl9nMz5OX25PZz==", uri="sip:home1.net", qop=auth-int, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41""#,
        #"Digest username="u", realm="r", nonce="", uri="sip:r", response="", integrity-protected="no""#,
        #"Digest username="u", auts="5PYxMuX2NOT2NeO=", algorithm=AKAv1-MD5, uri=sip:lenient@example.com"#,
    ])
    func credentialsRoundTrip(_ text: String) throws {
        try typedRoundTrip(text, as: Credentials.self)
    }
}
