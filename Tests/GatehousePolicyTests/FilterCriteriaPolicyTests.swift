import GatehousePolicy
import SIPMessage
import Testing

/// Service profiles and their initial filter criteria in the subscriber format.
struct FilterCriteriaPolicyTests {
    typealias Condition = ProvisionedSubscriber.Condition

    /// A subscriber file's first five lines; the service profiles start on line 6.
    static let head = """
        subscribers:
          - private_identity: alice@ims.test
            public_identities: [sip:alice@ims.test]
            digest: { password: a }
            service_profiles:

        """

    @Test func profilesAndCriteria() throws {
        let subscribers = try PolicyFixtures.subscribers(
            Self.head + """
                      - name: default
                        ifc:
                          - priority: 10
                            trigger: { any: [[{ method: INVITE }, { session_case: originating }], [{ method: MESSAGE }]] }
                            application_server: { uri: "sip:as.ims.test", default_handling: terminate, service_info: "gold" }
                            profile_part: registered
                          - priority: 0
                            trigger:
                              all:
                                - [{ request_uri: "^sip:\\\\+1555", not: true }, { header: P-Asserted-Identity }]
                                - [{ header: { name: accept-contact, value: "video" } }, { sdp_line: m }]
                                - [{ sdp_line: { line: a, content: "^rtpmap:.*AMR" } }, { session_case: originating-cdiv }]
                            application_server: "sip:mmtel.ims.test;lr"
                          - priority: 5
                            application_server: sip:log.ims.test
                      - name: empty
                """)
        let profiles = try #require(subscribers.first?.serviceProfiles)
        #expect(profiles.map(\.name) == ["default", "empty"])
        #expect(profiles[1].filterCriteria.isEmpty)
        let criteria = profiles[0].filterCriteria
        #expect(criteria.map(\.priority) == [10, 0, 5])
        #expect(
            criteria[0]
                == ProvisionedSubscriber.FilterCriterion(
                    priority: 10,
                    trigger: ProvisionedSubscriber.Trigger(
                        form: .disjunctive,
                        groups: [
                            [Condition(.method(.invite)), Condition(.sessionCase(.originating))],
                            [Condition(.method(SIPMethod("MESSAGE")))],
                        ]),
                    applicationServer: ProvisionedSubscriber.ApplicationServer(
                        uri: try SIPURI(parsing: "sip:as.ims.test"), defaultHandling: .terminate, serviceInfo: "gold"),
                    profilePart: .registered))
        #expect(
            criteria[1].trigger
                == ProvisionedSubscriber.Trigger(
                    form: .conjunctive,
                    groups: [
                        [
                            Condition(.requestURI("^sip:\\+1555"), isNegated: true),
                            Condition(.header(name: "P-Asserted-Identity", value: nil)),
                        ],
                        [
                            Condition(.header(name: "Accept-Contact", value: "video")),
                            Condition(.sdpLine(line: "m", content: nil)),
                        ],
                        [
                            Condition(.sdpLine(line: "a", content: "^rtpmap:.*AMR")),
                            Condition(.sessionCase(.originatingCDIV)),
                        ],
                    ]))
        #expect(criteria[1].applicationServer.uri == (try SIPURI(parsing: "sip:mmtel.ims.test;lr")))
        #expect(criteria[1].applicationServer.defaultHandling == .continue)
        #expect(criteria[1].applicationServer.serviceInfo == nil && criteria[1].profilePart == nil)
        // No trigger: every request.
        #expect(criteria[2].trigger == nil)
    }

    @Test func profileErrors() {
        let found = PolicyFixtures.subscriberDiagnostics(
            Self.head + """
                      - name: gold
                      - name: gold
                      - name: "silver plan"
                      - { ifc: [] }
                      - name: bronze
                        ifc:
                          - { priority: 1, application_server: "sip:as.ims.test" }
                          - { priority: 1, application_server: "tel:+1555" }
                          - { priority: -1 }
                          - { priority: 2, application_server: { uri: "sip:as.ims.test", default_handling: retry }, profile_part: always }
                """)
        #expect(
            found.map(\.located) == [
                "duplicate-key@7:15", "bad-name@8:15", "missing-key@9:9", "duplicate-priority@13:25",
                "bad-uri@13:48", "missing-key@14:13", "bad-value@14:25", "bad-value@15:92", "bad-value@15:115",
            ])
        #expect(found[0].message == "subscriber 'alice@ims.test': service profile 'gold' is defined twice")
        #expect(
            found[3].message
                == "subscriber 'alice@ims.test' service profile 'bronze': priority 1 is used by an earlier ifc")
        #expect(
            found[7].message
                == "subscriber 'alice@ims.test' service profile 'bronze' ifc 2 application_server default_handling 'retry' must be continue or terminate"
        )
    }

    @Test func triggerErrors() {
        let found = PolicyFixtures.subscriberDiagnostics(
            Self.head + """
                      - name: p
                        ifc:
                          - { priority: 0, application_server: "sip:as", trigger: {} }
                          - { priority: 1, application_server: "sip:as", trigger: { all: [[{ method: INVITE }]], any: [] } }
                          - { priority: 2, application_server: "sip:as", trigger: { any: [] } }
                          - { priority: 3, application_server: "sip:as", trigger: { any: [{ method: INVITE }] } }
                          - { priority: 4, application_server: "sip:as", trigger: { any: [[]] } }
                          - { priority: 5, application_server: "sip:as", trigger: { any: [[{}]] } }
                          - { priority: 6, application_server: "sip:as", trigger: { any: [[{ method: INVITE, header: To }]] } }
                          - { priority: 7, application_server: "sip:as", trigger: { any: [[{ method: invite }, { method: "IN VITE" }]] } }
                          - { priority: 8, application_server: "sip:as", trigger: { all: [[{ request_uri: "sip:(", not: yes }]] } }
                          - { priority: 9, application_server: "sip:as", trigger: { all: [[{ header: "X-*" }, { header: { value: a } }]] } }
                          - { priority: 10, application_server: "sip:as", trigger: { all: [[{ session_case: terminating }]] } }
                          - { priority: 11, application_server: "sip:as", trigger: { all: [[{ sdp_line: mm }, { sdp_line: { line: M } }]] } }
                          - { priority: 12, application_server: "sip:as", trigger: { all: [[{ sdp_line: { line: m, content: "[" } }]] } }
                """)
        #expect(
            found.map(\.located) == [
                "missing-key@8:67", "conflicting-keys@9:103", "bad-value@10:74", "wrong-type@11:75",
                "wrong-type@12:75", "missing-key@13:76", "conflicting-keys@14:102", "bad-method@15:86",
                "bad-method@15:106", "wrong-type@16:105", "bad-regex@16:97", "bad-header-name@17:86",
                "missing-key@17:105", "bad-value@18:93", "bad-value@19:89", "bad-value@19:115", "bad-regex@20:110",
            ])
        #expect(
            found[7].message.hasSuffix(
                "method 'invite' never matches: methods are case-sensitive (did you mean INVITE?)"))
        #expect(
            found[6].message
                == "a condition of subscriber 'alice@ims.test' service profile 'p' ifc 6 trigger any has one of method, request_uri, header, session_case, sdp_line; make method and header separate conditions"
        )
        #expect(
            found[13].message.hasSuffix(
                "session_case 'terminating' must be originating or terminating-registered or terminating-unregistered or originating-unregistered or originating-cdiv"
            ))
    }
}
