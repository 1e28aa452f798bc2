import GatehousePolicy
import SIPMessage
import Testing

/// Initial filter criteria in TS 29.228's XML form (`ifc_xml`), next to the YAML form.
struct FilterCriteriaXMLPolicyTests {
    typealias Condition = ProvisionedSubscriber.Condition

    /// `FilterCriteriaPolicyTests.head`, a profile `gold` whose `ifc_xml` block starts on line 8.
    static func profile(_ xml: String, yamlCriteria: String = "") -> String {
        let indented = xml.split(separator: "\n", omittingEmptySubsequences: false).map { "            \($0)" }
        return FilterCriteriaPolicyTests.head + """
                  - name: gold
                    ifc_xml: |

            """ + indented.joined(separator: "\n") + "\n" + yamlCriteria
    }

    static let subscription = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- As an HSS exports it -->
        <IMSSubscription>
          <PrivateID>alice@ims.test</PrivateID>
          <ServiceProfile>
            <PublicIdentity><Identity>sip:alice@ims.test</Identity></PublicIdentity>
            <InitialFilterCriteria>
              <Priority>10</Priority>
              <TriggerPoint>
                <ConditionTypeCNF>1</ConditionTypeCNF>
                <SPT><ConditionNegated>0</ConditionNegated><Group>0</Group><Method>INVITE</Method></SPT>
                <SPT><Group>0</Group><Method>MESSAGE</Method></SPT>
                <SPT><Group>1</Group><SessionCase>0</SessionCase></SPT>
                <SPT><ConditionNegated>1</ConditionNegated><Group>2</Group>
                  <SIPHeader><Header>Accept-Contact</Header><Content>video</Content></SIPHeader></SPT>
              </TriggerPoint>
              <ApplicationServer>
                <ServerName>sip:as.ims.test</ServerName>
                <DefaultHandling>1</DefaultHandling>
                <ServiceInfo>gold &amp; silver</ServiceInfo>
              </ApplicationServer>
              <ProfilePartIndicator>0</ProfilePartIndicator>
            </InitialFilterCriteria>
            <InitialFilterCriteria>
              <Priority>20</Priority>
              <TriggerPoint>
                <ConditionTypeCNF>0</ConditionTypeCNF>
                <SPT><Group>0</Group><Group>1</Group><RequestURI><![CDATA[^sip:\\+1555]]></RequestURI></SPT>
                <SPT><Group>1</Group><SessionDescription><Line>m</Line><Content>^video</Content></SessionDescription></SPT>
              </TriggerPoint>
              <ApplicationServer><ServerName>sip:mmtel.ims.test;lr</ServerName></ApplicationServer>
            </InitialFilterCriteria>
          </ServiceProfile>
        </IMSSubscription>
        """

    @Test func anIMSSubscriptionDocumentBecomesTheSameCriteria() throws {
        let subscribers = try PolicyFixtures.subscribers(Self.profile(Self.subscription))
        let criteria = try #require(subscribers.first?.serviceProfiles.first?.filterCriteria)
        #expect(criteria.map(\.priority) == [10, 20])
        #expect(
            criteria[0]
                == ProvisionedSubscriber.FilterCriterion(
                    priority: 10,
                    trigger: ProvisionedSubscriber.Trigger(
                        form: .conjunctive,
                        groups: [
                            [Condition(.method(.invite)), Condition(.method(SIPMethod("MESSAGE")))],
                            [Condition(.sessionCase(.originating))],
                            [Condition(.header(name: "Accept-Contact", value: "video"), isNegated: true)],
                        ]),
                    applicationServer: ProvisionedSubscriber.ApplicationServer(
                        uri: try SIPURI(parsing: "sip:as.ims.test"), defaultHandling: .terminate,
                        serviceInfo: "gold & silver"),
                    profilePart: .registered))
        #expect(
            criteria[1].trigger
                == ProvisionedSubscriber.Trigger(
                    form: .disjunctive,
                    groups: [
                        [Condition(.requestURI("^sip:\\+1555"))],
                        [Condition(.requestURI("^sip:\\+1555")), Condition(.sdpLine(line: "m", content: "^video"))],
                    ]))
        #expect(criteria[1].applicationServer.defaultHandling == .continue)
        #expect(criteria[1].profilePart == nil)
    }

    @Test func aLoneCriterionAndYAMLCriteriaTogether() throws {
        let xml = """
            <InitialFilterCriteria>
              <Priority>5</Priority>
              <ApplicationServer><ServerName>sip:log.ims.test</ServerName></ApplicationServer>
            </InitialFilterCriteria>
            """
        let yaml = """
                    ifc:
                      - { priority: 1, application_server: "sip:first.ims.test" }

            """
        let subscribers = try PolicyFixtures.subscribers(Self.profile(xml, yamlCriteria: yaml))
        let criteria = try #require(subscribers.first?.serviceProfiles.first?.filterCriteria)
        #expect(criteria.map(\.priority) == [1, 5])
        #expect(criteria[1].trigger == nil)
    }

    @Test func brokenDocumentsAreReportedWithTheirXMLPosition() {
        let unclosed = PolicyFixtures.subscriberDiagnostics(Self.profile("<InitialFilterCriteria><Priority>1"))
        #expect(unclosed.map(\.code) == [.badXML])
        #expect(unclosed.first?.message.contains("is not closed") == true, "\(unclosed)")
        let entity = PolicyFixtures.subscriberDiagnostics(
            Self.profile("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><InitialFilterCriteria/>"))
        #expect(entity.first?.message.contains("document type declarations are not accepted") == true)
        let wrong = PolicyFixtures.subscriberDiagnostics(
            Self.profile(
                """
                <ServiceProfile>
                  <InitialFilterCriteria>
                    <Priority>x</Priority>
                    <TriggerPoint><ConditionTypeCNF>1</ConditionTypeCNF>
                      <SPT><Method>INVITE</Method><SessionCase>9</SessionCase></SPT></TriggerPoint>
                    <ApplicationServer><ServerName>mailto:as@ims.test</ServerName></ApplicationServer>
                  </InitialFilterCriteria>
                </ServiceProfile>
                """))
        #expect(
            wrong.map(\.message) == [
                "subscriber 'alice@ims.test' service profile 'gold' ifc_xml: <Priority> must be 0 to 2147483647, not 'x' (XML 3:5)",
                "subscriber 'alice@ims.test' service profile 'gold' ifc_xml: <SPT> needs exactly one of <Method>, <RequestURI>, <SIPHeader>, <SessionCase>, <SessionDescription> (XML 5:7)",
                "subscriber 'alice@ims.test' service profile 'gold' ifc_xml: <TriggerPoint> has no <SPT> (XML 4:5)",
                "subscriber 'alice@ims.test' service profile 'gold' ifc_xml: <ServerName> 'mailto:as@ims.test' is not a SIP URI (XML 6:24)",
            ])
        #expect(wrong.allSatisfy { $0.code == .badXML })
    }
}
