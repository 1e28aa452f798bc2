import GatehouseServer
import Testing

/// The pure half of the sd_notify support: what each notification says on the wire, and what the environment
/// systemd gives a service asks for.
struct SystemdNotificationTests {
    @Test func datagrams() {
        #expect(
            ServiceManagerNotification.ready(status: "serving edge-1", mainPID: 4242).datagram
                == "READY=1\nSTATUS=serving edge-1\nMAINPID=4242")
        #expect(
            ServiceManagerNotification.reloading(monotonicMicroseconds: 123_456_789).datagram
                == "RELOADING=1\nMONOTONIC_USEC=123456789")
        #expect(ServiceManagerNotification.stopping(status: "stopping").datagram == "STOPPING=1\nSTATUS=stopping")
        #expect(ServiceManagerNotification.watchdog.datagram == "WATCHDOG=1")
        #expect(ServiceManagerNotification.status("draining 3 calls").datagram == "STATUS=draining 3 calls")
    }

    /// A newline would end STATUS= and start a new assignment: a status can never smuggle in READY=1.
    @Test func aStatusStaysOneAssignment() {
        #expect(ServiceManagerNotification.status("a\nREADY=1\r\nb").datagram == "STATUS=a READY=1 b")
    }

    @Test func withoutNotifySocketNothingIsAsked() {
        let environment = ServiceManagerEnvironment(["PATH": "/usr/bin"], processID: 10)
        #expect(environment.socket == nil)
        #expect(environment.watchdogTimeout == nil)
        #expect(environment.ignored.isEmpty)
        #expect(ServiceManagerEnvironment(["NOTIFY_SOCKET": ""], processID: 10).socket == nil)
    }

    @Test func socketPathsAndAbstractNames() {
        #expect(
            ServiceManagerEnvironment(["NOTIFY_SOCKET": "/run/systemd/notify"], processID: 10).socket
                == .path("/run/systemd/notify"))
        #expect(
            ServiceManagerEnvironment(["NOTIFY_SOCKET": "@/org/freedesktop/systemd1/notify/42"], processID: 10)
                .socket == .abstract("/org/freedesktop/systemd1/notify/42"))
    }

    @Test func unusableSocketNamesAreIgnoredAndSaidSo() {
        let longest = "/" + String(repeating: "n", count: ServiceManagerEnvironment.maximumSocketNameLength - 1)
        #expect(ServiceManagerEnvironment(["NOTIFY_SOCKET": longest], processID: 1).socket == .path(longest))
        for name in ["run/notify", "@", longest + "n", "@" + String(repeating: "a", count: 108)] {
            let environment = ServiceManagerEnvironment(["NOTIFY_SOCKET": name], processID: 1)
            #expect(environment.socket == nil, "\(name)")
            #expect(environment.ignored.count == 1, "\(name)")
        }
    }

    @Test func theWatchdogIsPingedEveryHalfTimeout() {
        let environment = ServiceManagerEnvironment(
            ["NOTIFY_SOCKET": "/run/notify", "WATCHDOG_USEC": "30000000"], processID: 10)
        #expect(environment.watchdogTimeout == .seconds(30))
        #expect(environment.watchdogInterval == .seconds(15))
    }

    /// WATCHDOG_PID names the process the watchdog is for; a process that inherited it from another stays quiet.
    @Test func theWatchdogBelongsToTheProcessItNames() {
        let variables = ["NOTIFY_SOCKET": "/run/notify", "WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "77"]
        #expect(ServiceManagerEnvironment(variables, processID: 77).watchdogTimeout == .seconds(1))
        let other = ServiceManagerEnvironment(variables, processID: 78)
        #expect(other.watchdogTimeout == nil)
        #expect(other.ignored.isEmpty)
    }

    @Test func badWatchdogValuesAreIgnoredAndSaidSo() {
        for (usec, pid) in [("0", nil), ("soon", nil), ("-5", nil), ("1000000", "me")] as [(String, String?)] {
            var variables = ["NOTIFY_SOCKET": "/run/notify", "WATCHDOG_USEC": usec]
            variables["WATCHDOG_PID"] = pid
            let environment = ServiceManagerEnvironment(variables, processID: 10)
            #expect(environment.watchdogTimeout == nil, "\(variables)")
            #expect(environment.ignored.count == 1, "\(variables)")
            #expect(environment.socket == .path("/run/notify"))
        }
    }
}
