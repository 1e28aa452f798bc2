import GatehousePolicy
import Testing

/// `peers.NAME.numbering`: the reference's example, every key, the NANP defaults, plans that contradict
/// themselves, and each mistake located to its line and column.
struct NumberingPolicyTests {
    static func numbering(_ section: String) throws -> NumberingSettings? {
        let policy = try PolicyFixtures.load(
            PolicyFixtures.head + """
                peers:
                  trunk:
                    realm: interconnect
                    addresses: [203.0.113.10]
                \(section)
                """)
        return policy.peer(named: "trunk")?.numbering
    }

    @Test func withoutTheSectionNumbersPassAsTheyCome() throws {
        #expect(try Self.numbering("") == nil)
    }

    @Test func anEmptySectionIsANANPPBX() throws {
        let settings = try #require(try Self.numbering("    numbering: {}"))
        #expect(settings == NumberingSettings())
        #expect(settings.countryCode == 1)
        #expect(settings.nationalPrefix == "1")
        #expect(settings.internationalPrefix == "011")
        #expect(settings.nationalLengths == 10...10)
        #expect(settings.normalize == [.requestURI, .from, .to, .pAssertedIdentity])
        #expect(settings.validate == [.requestURI])
        #expect(settings.outbound == [.requestURI, .from, .to, .pAssertedIdentity])
        #expect(settings.sendAs == .e164)
        #expect(!settings.userPhone)
        #expect(settings.uriForm == nil)
        #expect(settings.numericUser)
        #expect(settings.allowedCountryCodes == nil)
        #expect(settings.countryLengths == [1: 10...10])
        #expect(settings.blockedPrefixes.isEmpty)
        #expect(settings.rejectWith.isEmpty)
    }

    /// The example of policies/README.md, as written there.
    @Test func theReferenceExample() throws {
        let settings = try Self.numbering(
            """
                numbering:
                  country_code: 44
                  national_prefix: "0"              # 02079460000 is +442079460000
                  international_prefix: "00"        # 0033… is +33…
                  national_lengths: "9-10"
                  send_as: national                 # +442079460000 leaves as 02079460000, +33… as 0033…
                  allowed_country_codes: [44, 33]
                  blocked_prefixes: ["+449", "+44871"]
                  reject_with: { blocked-prefix: 603 }
            """)
        #expect(
            settings
                == NumberingSettings(
                    countryCode: 44, nationalPrefix: "0", internationalPrefix: "00", nationalLengths: 9...10,
                    sendAs: .national, allowedCountryCodes: [44, 33], blockedPrefixes: ["+449", "+44871"],
                    rejectWith: ["blocked-prefix": 603]))
        // The peer's own country is held to national_lengths.
        #expect(settings?.countryLengths == [44: 9...10])
    }

    @Test func everyKey() throws {
        let settings = try Self.numbering(
            """
                numbering:
                  country_code: 1
                  national_prefix: ""
                  international_prefix: "011"
                  national_lengths: 10
                  normalize: [request_uri, to]
                  validate: [request_uri, from, p_asserted_identity]
                  outbound: [request_uri]
                  send_as: national_significant
                  user_phone: true
                  numeric_user: false
                  allowed_country_codes: [1, 44]
                  country_lengths: { 44: "9-10", 1: 10, 998: 9 }
                  blocked_prefixes: ["+1900", 1976, "+882"]
                  reject_with:
                    not-a-number: 400
                    number-too-short: 404
                    number-too-long: 414
                    unknown-country-code: 404
                    unresolvable-phone-context: 400
                    country-not-allowed: 603
                    blocked-prefix: 699
            """)
        #expect(
            settings
                == NumberingSettings(
                    countryCode: 1, nationalPrefix: "", internationalPrefix: "011", nationalLengths: 10...10,
                    sendAs: .nationalSignificant, userPhone: true, normalize: [.requestURI, .to],
                    validate: [.requestURI, .from, .pAssertedIdentity], outbound: [.requestURI],
                    allowedCountryCodes: [1, 44], countryLengths: [1: 10...10, 44: 9...10, 998: 9...9],
                    blockedPrefixes: ["+1900", "+1976", "+882"],
                    rejectWith: [
                        "not-a-number": 400, "number-too-short": 404, "number-too-long": 414,
                        "unknown-country-code": 404, "unresolvable-phone-context": 400, "country-not-allowed": 603,
                        "blocked-prefix": 699,
                    ],
                    numericUser: false))
    }

    @Test func everyFormAndNoPrefixes() throws {
        for form in NumberingSettings.Form.allCases {
            #expect(try Self.numbering("    numbering: { send_as: \(form.rawValue) }")?.sendAs == form)
        }
        let bare = try Self.numbering("    numbering: { national_prefix: \"\", international_prefix: \"\" }")
        #expect(bare?.nationalPrefix == "" && bare?.internationalPrefix == "")
        // Europe: "00" starts with the national prefix "0", which is fine: the international prefix is read first.
        let europe = try Self.numbering(
            "    numbering: { country_code: 33, national_prefix: \"0\", international_prefix: \"00\", national_lengths: 9 }"
        )
        #expect(europe?.countryLengths == [33: 9...9])
        #expect(try Self.numbering("    numbering: { national_lengths: \"1-14\" }")?.nationalLengths == 1...14)
    }

    @Test func mistakesAreLocated() {
        let found = PolicyFixtures.diagnostics(
            PolicyFixtures.head + """
                peers:
                  pbx:
                    realm: access
                    addresses: [127.0.0.2]
                    numbering:
                      country_code: 1000
                      national_prefix: 0
                      international_prefix: "0O"
                      national_lengths: "10-9"
                      send_as: local
                      user_phone: yes
                      normalize: [request_uri, contact]
                      validate: from
                      allowed_country_codes: [44, 0]
                      country_lengths: { uk: 10, 33: "3-15" }
                      blocked_prefixes: ["+1-900", "+", "+1234567890123456"]
                      reject_with: { busy: 486, blocked-prefix: 200 }
                      dial_plan: nanp
                """)
        #expect(
            found.map(\.located) == [
                "unknown-key@25:7",
                "bad-value@13:21",
                "bad-value@15:29",
                "bad-value@16:25",
                "bad-value@17:16",
                "wrong-type@18:19",
                "bad-value@19:32",
                "wrong-type@20:17",
                "bad-value@21:35",
                "bad-value@22:26",
                "bad-value@22:38",
                "bad-number-prefix@23:26",
                "bad-number-prefix@23:36",
                "bad-number-prefix@23:41",
                "unknown-key@24:22",
                "bad-value@24:49",
            ])
        let what = "peer 'pbx' numbering"
        #expect(found[0].message.hasPrefix("'dial_plan' is not a key of \(what) (expected: country_code, "))
        #expect(found[1].message == "\(what) country_code must be between 1 and 999, not 1000")
        #expect(found[2].message == "\(what) international_prefix '0O' must be up to 6 digits (quote it: \"011\")")
        #expect(found[3].message == "\(what) national_lengths '10-9' must be a length or LOW-HIGH, within 1-14")
        #expect(
            found[4].message
                == "\(what) send_as 'local' is not one of e164, national, national_significant, international")
        #expect(
            found[6].message == "\(what) normalize: 'contact' is not one of request_uri, from, to, p_asserted_identity")
        #expect(found[9].message == "\(what) country_lengths: 'uk' is not a country code")
        #expect(found[11].message == "\(what) blocked prefix '+1-900' must be '+' and 1 to 15 digits")
        #expect(found[14].message.hasPrefix("\(what) reject_with: 'busy' is not a numbering refusal (expected: "))
        #expect(found[15].message == "\(what) reject_with blocked-prefix must be between 400 and 699, not 200")
    }

    /// A plan whose parts cannot all hold: a national prefix the international prefix hides, or the peer's own
    /// country given other lengths than `national_lengths`.
    @Test func plansThatContradictThemselves() {
        let found = PolicyFixtures.diagnostics(
            PolicyFixtures.head + """
                peers:
                  same:
                    realm: access
                    addresses: [127.0.0.2]
                    numbering: { national_prefix: "0", international_prefix: "0" }
                  hidden:
                    realm: access
                    addresses: [127.0.0.3]
                    numbering: { international_prefix: "1" }
                  lengths:
                    realm: access
                    addresses: [127.0.0.4]
                    numbering: { country_code: 44, national_lengths: "9-10", country_lengths: { 44: 10, 33: 9 } }
                  broken:
                    realm: access
                    addresses: [127.0.0.5]
                    numbering: { national_prefix: "x", international_prefix: "1", country_lengths: { 1: 9 } }
                """)
        #expect(
            found.map(\.located) == [
                "bad-value@12:35",
                "bad-value@16:40",
                "bad-value@20:85",
                "bad-value@24:35",
            ])
        #expect(
            found[0].message
                == "peer 'same' numbering national_prefix '0' starts with the international prefix '0', which is "
                + "read first: no national number could be read")
        #expect(
            found[1].message
                == "peer 'hidden' numbering national_prefix '1' starts with the international prefix '1', which is "
                + "read first: no national number could be read")
        #expect(
            found[2].message
                == "peer 'lengths' numbering country_lengths 44 contradicts national_lengths (9-10): the peer's "
                + "own country takes national_lengths")
        // A plan with a bad key is reported once, for that key, not again for what the key would have changed.
        #expect(found[3].message.hasPrefix("peer 'broken' numbering national_prefix 'x' must be up to 6 digits"))
    }

    /// The `uri_form` example of policies/README.md, as written there.
    @Test func theURIFormExample() throws {
        let policy = try PolicyFixtures.load(
            PolicyFixtures.head + """
                peers:
                  ims-interconnect:
                    realm: interconnect
                    addresses: [198.51.100.20]
                    numbering: { country_code: 44, national_prefix: "0", international_prefix: "00", uri_form: tel }
                  uk-trunk:
                    realm: interconnect
                    addresses: [203.0.113.10]
                    numbering: { country_code: 44, national_prefix: "0", international_prefix: "00", uri_form: sip }
                """)
        let uk = NumberingSettings(countryCode: 44, nationalPrefix: "0", internationalPrefix: "00")
        var tel = uk
        tel.uriForm = .tel
        var sip = uk
        sip.uriForm = .sip
        #expect(policy.peer(named: "ims-interconnect")?.numbering == tel)
        #expect(policy.peer(named: "uk-trunk")?.numbering == sip)
    }

    /// `uri_form`: each scheme, and `user_phone` beside it only where it agrees.
    @Test func uriForms() throws {
        #expect(try Self.numbering("    numbering: { uri_form: tel }")?.uriForm == .tel)
        let sip = try Self.numbering("    numbering: { uri_form: sip, user_phone: true }")
        #expect(sip?.uriForm == .sip && sip?.userPhone == true)
        #expect(try Self.numbering("    numbering: { uri_form: tel, user_phone: false }")?.uriForm == .tel)
    }

    @Test func uriFormMistakesAreLocated() {
        let found = PolicyFixtures.diagnostics(
            PolicyFixtures.head + """
                peers:
                  a:
                    realm: access
                    addresses: [127.0.0.2]
                    numbering: { uri_form: sips }
                  b:
                    realm: access
                    addresses: [127.0.0.3]
                    numbering: { uri_form: tel, user_phone: true }
                  c:
                    realm: access
                    addresses: [127.0.0.4]
                    numbering: { uri_form: sip, user_phone: false }
                  d:
                    realm: access
                    addresses: [127.0.0.5]
                    numbering: { uri_form: sip, user_phone: maybe }
                """)
        #expect(
            found.map(\.located) == [
                "bad-value@12:28",
                "bad-value@16:45",
                "bad-value@20:45",
                "wrong-type@24:45",
            ])
        #expect(found[0].message == "peer 'a' numbering uri_form 'sips' is not one of sip, tel")
        #expect(
            found[1].message == "peer 'b' numbering user_phone applies to SIP URIs, and uri_form tel sends tel URIs")
        #expect(
            found[2].message
                == "peer 'c' numbering user_phone false contradicts uri_form sip, which always sets user=phone")
    }
}
